package service

import (
	"context"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/store"
)

// The classes report and its alerts (DOMAIN §6, §7): classes held,
// learners and outcomes per programme in a year up to a date; sources not
// sent to any class for more than N months, per chapter; candidates with a
// valid awareness certificate not yet voted on; certificates about to lapse.

// Defaults of the classes report.
const (
	DefaultNotSentMonths = 6  // "sources not sent to a class for more than 6 months"
	DefaultLapseDays     = 90 // "certificates about to lapse": within 90 days
)

// ClassReportQuery selects the report.
type ClassReportQuery struct {
	OrgCode   string
	Year      int
	AsOf      time.Time
	Months    int // sources waiting more than this many months; default 6
	LapseDays int // certificates lapsing within this many days; default 90
}

// ClassReport is the classes report of a unit.
type ClassReport struct {
	Org        *domain.Org
	Year       int
	AsOf       time.Time
	From, To   time.Time // the period counted: 1/1 of the year to the as-of date (or 31/12)
	Months     int
	LapseDays  int
	Cutoff     time.Time // sources in the pool on or before this day count as waiting
	Awareness  domain.ProgrammeCount
	NewMember  domain.ProgrammeCount
	Other      domain.ProgrammeCount
	NotSent    int                   // sources not sent to any class for more than Months months
	ByChapter  []domain.ChapterCount // the same per chapter, most first
	Certified  int                   // sources and candidates holding a valid awareness certificate
	Lapsing    int                   // of those, certificates lapsing within LapseDays days
	LapseUntil time.Time
}

// normalise fills the defaults and checks the query.
func (q *ClassReportQuery) normalise(today time.Time) error {
	if q.AsOf.IsZero() {
		q.AsOf = today
	}
	if q.Year == 0 {
		q.Year = q.AsOf.Year()
	}
	if q.Year < 1930 || q.Year > 2200 {
		return domain.FieldError("year", "Năm %d không hợp lệ", q.Year)
	}
	if q.Months == 0 {
		q.Months = DefaultNotSentMonths
	}
	if q.Months < 1 || q.Months > 120 {
		return domain.FieldError("months", "Số tháng phải từ 1 đến 120")
	}
	if q.LapseDays == 0 {
		q.LapseDays = DefaultLapseDays
	}
	if q.LapseDays < 1 || q.LapseDays > 3650 {
		return domain.FieldError("lapse_days", "Số ngày phải từ 1 đến 3.650")
	}
	return nil
}

// reportOrg is the unit a report is about: the code, or the user's home.
func (s *Service) reportOrg(ctx context.Context, code string) (*domain.Org, error) {
	if code == "" {
		return s.HomeOrg(ctx)
	}
	return s.Org(ctx, code)
}

// ClassReport counts the classes of the year up to the as-of date.
//
//   - classes: classes of the programme, not cancelled, whose first day
//     falls between 1 January and the as-of date (31 December at most),
//     organised by the unit or its subtree or with a learner from it;
//   - learners: their enrolments (not withdrawn) of people of the subtree;
//     a person in two classes counts twice, as the article's "350 learners
//     in 4 classes" does;
//   - passed: of those, the learners whose result (essay or retake) is a
//     pass dated on or before the as-of date;
//   - sources not sent: people of the subtree at the source stage, in the
//     pool since more than Months months before the as-of date (the date
//     they entered the pool, else the day their record was created), never
//     enrolled in a class (not cancelled) starting on or before the date.
func (s *Service) ClassReport(ctx context.Context, q ClassReportQuery) (*ClassReport, error) {
	if _, err := actor(ctx); err != nil {
		return nil, err
	}
	if err := q.normalise(domain.Today(s.Now)); err != nil {
		return nil, err
	}
	org, err := s.reportOrg(ctx, q.OrgCode)
	if err != nil {
		return nil, err
	}
	r := &ClassReport{Org: org, Year: q.Year, AsOf: q.AsOf, Months: q.Months, LapseDays: q.LapseDays,
		From: domain.Day(q.Year, 1, 1), To: domain.Day(q.Year, 12, 31)}
	if q.AsOf.Before(r.To) {
		r.To = q.AsOf
	}
	if !r.To.Before(r.From) {
		counts, err := s.store.ClassCounts(ctx, org.Path, r.From, r.To)
		if err != nil {
			return nil, err
		}
		for p, dst := range map[string]*domain.ProgrammeCount{domain.ProgAwareness: &r.Awareness,
			domain.ProgNewMember: &r.NewMember, domain.ProgOther: &r.Other} {
			if c := counts[p]; c != nil {
				*dst = *c
			}
		}
	}
	r.Cutoff = domain.AddMonths(q.AsOf, -q.Months).AddDate(0, 0, -1)
	if r.ByChapter, err = s.store.SourcesNotSentByOrg(ctx, org.Path, r.Cutoff, q.AsOf); err != nil {
		return nil, err
	}
	for _, c := range r.ByChapter {
		r.NotSent += c.Count
	}
	if _, r.Certified, err = s.store.AwarenessHolders(ctx, org.Path, q.AsOf, time.Time{}, 1, 0); err != nil {
		return nil, err
	}
	r.LapseUntil = q.AsOf.AddDate(0, 0, q.LapseDays)
	if _, r.Lapsing, err = s.store.AwarenessHolders(ctx, org.Path, q.AsOf, r.LapseUntil, 1, 0); err != nil {
		return nil, err
	}
	return r, nil
}

// PoolQuery selects a page of a report's list of people.
type PoolQuery struct {
	OrgCode   string
	AsOf      time.Time
	Months    int // for the sources not sent
	LapseDays int // for the lapsing certificates; 0 = every valid certificate
	Page      int
	PerPage   int
}

func (q *PoolQuery) page() (limit, offset int) {
	if q.PerPage <= 0 || q.PerPage > 200 {
		q.PerPage = 50
	}
	q.Page = max(q.Page, 1)
	return q.PerPage, (q.Page - 1) * q.PerPage
}

// SourcesNotSentPage is one page of sources never sent to a class.
type SourcesNotSentPage struct {
	Org     *domain.Org
	Cutoff  time.Time
	People  []domain.PoolRow
	Total   int
	Page    int
	PerPage int
}

// Pages is the number of pages.
func (p *SourcesNotSentPage) Pages() int { return max(1, (p.Total+p.PerPage-1)/p.PerPage) }

// SourcesNotSent lists the sources of a unit not sent to any class for
// more than q.Months months (default 6), the longest waiting first.
func (s *Service) SourcesNotSent(ctx context.Context, q PoolQuery) (*SourcesNotSentPage, error) {
	if _, err := actor(ctx); err != nil {
		return nil, err
	}
	rq := ClassReportQuery{AsOf: q.AsOf, Months: q.Months}
	if err := rq.normalise(domain.Today(s.Now)); err != nil {
		return nil, err
	}
	org, err := s.reportOrg(ctx, q.OrgCode)
	if err != nil {
		return nil, err
	}
	limit, offset := q.page()
	cutoff := domain.AddMonths(rq.AsOf, -rq.Months).AddDate(0, 0, -1)
	people, total, err := s.store.SourcesNotSent(ctx, org.Path, cutoff, rq.AsOf, limit, offset)
	if err != nil {
		return nil, err
	}
	return &SourcesNotSentPage{Org: org, Cutoff: cutoff, People: people, Total: total, Page: q.Page, PerPage: q.PerPage}, nil
}

// HoldersPage is one page of holders of a valid awareness certificate.
type HoldersPage struct {
	Org     *domain.Org
	Until   time.Time // zero: every valid certificate
	People  []domain.CertRow
	Total   int
	Page    int
	PerPage int
}

// Pages is the number of pages.
func (p *HoldersPage) Pages() int { return max(1, (p.Total+p.PerPage-1)/p.PerPage) }

// AwarenessHolders lists the sources and candidates of a unit holding an
// awareness certificate valid on the as-of date, the soonest to lapse
// first; with q.LapseDays only those lapsing within that many days.
func (s *Service) AwarenessHolders(ctx context.Context, q PoolQuery) (*HoldersPage, error) {
	if _, err := actor(ctx); err != nil {
		return nil, err
	}
	if q.AsOf.IsZero() {
		q.AsOf = domain.Today(s.Now)
	}
	if q.LapseDays < 0 || q.LapseDays > 3650 {
		return nil, domain.FieldError("lapse_days", "Số ngày phải từ 0 đến 3.650")
	}
	org, err := s.reportOrg(ctx, q.OrgCode)
	if err != nil {
		return nil, err
	}
	var until time.Time
	if q.LapseDays > 0 {
		until = q.AsOf.AddDate(0, 0, q.LapseDays)
	}
	limit, offset := q.page()
	people, total, err := s.store.AwarenessHolders(ctx, org.Path, q.AsOf, until, limit, offset)
	if err != nil {
		return nil, err
	}
	return &HoldersPage{Org: org, Until: until, People: people, Total: total, Page: q.Page, PerPage: q.PerPage}, nil
}

// SetSourceSince records the day a source entered the chapter's pool of
// outstanding non-members (the "not sent to a class" alert counts from it).
func (s *Service) SetSourceSince(ctx context.Context, personID int64, since time.Time) error {
	me, err := actor(ctx)
	if err != nil {
		return err
	}
	if !me.CanWrite("people") {
		return cannotWrite(me)
	}
	p, path, err := s.store.GetPerson(ctx, personID)
	if err != nil {
		return err
	}
	if !me.Sees(path) {
		return forbidden("hồ sơ này")
	}
	if since.IsZero() || since.After(domain.Today(s.Now)) || since.Before(p.BirthDate) {
		return domain.FieldError("since", "Ngày đưa vào danh sách quần chúng ưu tú không hợp lệ")
	}
	return s.store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.SetSourceSince(ctx, p.ID, since); err != nil {
			return err
		}
		return s.audit(ctx, tx, me, "source_since", "person", p.ID, map[string]any{"since": since})
	})
}

// SourcesNotSentByUnit counts, per unit of the organization's subtree, the
// sources not sent to any class for more than months months on asof (the
// dashboard's block; the same rule as ClassReport's), most first.
func (s *Service) SourcesNotSentByUnit(ctx context.Context, code string, asof time.Time, months int) ([]domain.ChapterCount, error) {
	if _, err := actor(ctx); err != nil {
		return nil, err
	}
	q := ClassReportQuery{AsOf: asof, Months: months}
	if err := q.normalise(domain.Today(s.Now)); err != nil {
		return nil, err
	}
	org, err := s.reportOrg(ctx, code)
	if err != nil {
		return nil, err
	}
	return s.store.SourcesNotSentByOrg(ctx, org.Path, domain.AddMonths(q.AsOf, -q.Months).AddDate(0, 0, -1), q.AsOf)
}
