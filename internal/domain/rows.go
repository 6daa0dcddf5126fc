package domain

import "time"

// The read models: rows of lists and reports, as the store reads them and
// the pages, the API and the reports show them.

// ResidenceRow is a village, buôn or residential group with the party
// members who live there now and whether it has a chapter open on the date.
type ResidenceRow struct {
	ResidentialUnit
	Commune    string
	Members    int  // probationary and official members living there (current records)
	HasChapter bool // its own chapter exists and is open on the date
}

// CaseRow is a case in a list, with the candidate's name and birth date
// and the chapter's name.
type CaseRow struct {
	*Case
	FullName  string
	BirthDate time.Time
	OrgCode   string
	OrgName   string
	Overdue   bool // a deadline of the case is before the filter's Today
}

// TodoRow is one pending deadline with its case and candidate.
type TodoRow struct {
	CaseDeadline
	Stage      string
	NextAction string
	FullName   string
	OrgCode    string
	OrgName    string
	Version    int64
}

// ClassRow is a class in a list with its number of learners.
type ClassRow struct {
	*Class
	Learners int
}

// LearnerRow is a learner with the person's name and unit, for lists.
type LearnerRow struct {
	*Learner
	Name      string
	NameKey   string
	BirthDate time.Time
	Sex       string
	Stage     string
	OrgID     int64
	OrgName   string
	OrgPath   string
}

// PersonRow is a person with the name of their organization.
type PersonRow struct {
	*Person
	OrgName string
	OrgCode string
}

// ChapterCount is a number per organization.
type ChapterCount struct {
	OrgID  int64
	Code   string
	Name   string
	Parent string // the name of the unit above, to tell "Chi bộ thôn 2" of two communes apart
	Path   string
	Count  int
}

// ProgrammeCount is what the classes report counts for one programme.
type ProgrammeCount struct {
	Classes, Learners, Passed, Failed, Absent, Ineligible, Pending int
}

// PoolRow is a source with the date they entered the pool.
type PoolRow struct {
	PersonRow
	Since time.Time // zero when unknown
}

// CertRow is a person's certificate with the person.
type CertRow struct {
	PersonRow
	Cert *Certificate
}

// MemberRef is an official member as the import matches a name or a
// citizen ID written in a file (helper, introducers).
type MemberRef struct {
	ID       int64
	FullName string
	Fold     string // the folded name
	CCCD     string
	OrgID    int64
	Path     string // the member's organization's path
}

// PendingImport is an Excel file checked on the import page and kept for
// a short time, so that the user confirms the import without choosing the
// file again. It belongs to one user and one kind; Token is random.
type PendingImport struct {
	Token     string
	UserID    int64
	Kind      string
	FileName  string
	SHA256    string // hex digest of Data, checked again before use
	Data      []byte
	CreatedAt time.Time
}

// SchoolRow is a school with its enrolment in one school year.
type SchoolRow struct {
	School
	Students int // 0 when not recorded
}

// HolidaySchedule is a year's schedule of days off as recorded by an
// administrator (table holiday_schedules). The store keeps it as given;
// the service validates it and turns it into a calendar.Schedule.
type HolidaySchedule struct {
	Year       int
	Official   bool
	Source     string
	Days       []HolidayDay
	RecordedAt time.Time
	RecordedBy string // the username of who recorded it
}

// HolidayDay is one exception to the Monday–Friday week: a weekday off or
// a weekend day worked. Kind is a calendar.Kind code ("holiday", …).
type HolidayDay struct {
	Date time.Time
	Kind string
	Name string
}
