package service

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"ketnap/internal/calendar"
	"ketnap/internal/domain"
	"ketnap/internal/store"
	"ketnap/internal/vn"
)

// Training classes (DOMAIN §6): creating and editing a class, opening it
// (≥ 25 learners or a recorded reason), finishing it with the completion
// decision, cancelling it. Who sees a class: users whose subtree holds the
// organization that owns it, or a unit it serves, or who sit below a unit
// it serves (a chapter secretary whose people attend a district class);
// such a user sees only the learners of their own subtree. Who changes a
// class: the trainer and organizer roles (and admins) whose subtree holds
// the owning organization.

// ClassInput is what a user enters for a class.
type ClassInput struct {
	Code              string
	Name              string
	Programme         string
	OrgCode           string // the organization that owns it
	Organiser         string
	Place             string
	Lecturers         string
	StartDate         time.Time
	Sessions          int         // number of sessions, generated on working days from StartDate
	LessonsPerSession int         // default 5 (QĐ1147: 1 buổi = 5 tiết)
	SessionDates      []time.Time // explicit session dates instead of Sessions
	ExamDate          *time.Time
	Capacity          int
	UnitCodes         []string // the units it serves
	Version           int64
}

// maxSessions bounds a class's sessions.
const maxSessions = 120

// sessionDates returns the session dates of in: the explicit ones, sorted,
// or n working days from the start (Monday to Friday outside the years
// the calendar covers).
func sessionDates(in ClassInput) ([]time.Time, error) {
	if len(in.SessionDates) > 0 {
		ds := slices.Clone(in.SessionDates)
		slices.SortFunc(ds, func(a, b time.Time) int { return a.Compare(b) })
		ds = slices.CompactFunc(ds, func(a, b time.Time) bool { return a.Equal(b) })
		if len(ds) > maxSessions {
			return nil, domain.FieldError("sessions", "Tối đa %d buổi học", maxSessions)
		}
		return ds, nil
	}
	if in.Sessions < 1 || in.Sessions > maxSessions {
		return nil, domain.FieldError("sessions", "Số buổi học phải từ 1 đến %d", maxSessions)
	}
	var out []time.Time
	for d := in.StartDate; len(out) < in.Sessions; d = d.AddDate(0, 0, 1) {
		ok, err := calendar.IsWorkday(d)
		if err != nil {
			ok = d.Weekday() != time.Saturday && d.Weekday() != time.Sunday
		}
		if ok {
			out = append(out, d)
		}
	}
	return out, nil
}

// toClass validates in and fills c and its sessions.
func (s *Service) toClass(ctx context.Context, me *domain.User, in ClassInput, c *domain.Class) ([]domain.Session, error) {
	c.Name, c.Organiser, c.Place, c.Lecturers = vn.Clean(in.Name), vn.Clean(in.Organiser), vn.Clean(in.Place), vn.Clean(in.Lecturers)
	c.Capacity, c.ExamDate = in.Capacity, in.ExamDate
	if in.StartDate.IsZero() {
		return nil, domain.FieldError("start_date", "Cần ngày khai giảng")
	}
	c.StartDate = in.StartDate
	dates, err := sessionDates(in)
	if err != nil {
		return nil, err
	}
	if dates[0].Before(c.StartDate) {
		return nil, domain.FieldError("sessions", "Buổi học %s trước ngày khai giảng", vn.Date(dates[0]))
	}
	c.EndDate = dates[len(dates)-1]
	lessons := in.LessonsPerSession
	if lessons == 0 {
		lessons = domain.LessonsPerSession
	}
	if lessons < 1 || lessons > 10 {
		return nil, domain.FieldError("lessons", "Số tiết mỗi buổi phải từ 1 đến 10")
	}
	sessions := make([]domain.Session, len(dates))
	for i, d := range dates {
		sessions[i] = domain.Session{Date: d, Lessons: lessons}
	}
	had := c.UnitIDs
	c.UnitIDs = nil
	for _, code := range in.UnitCodes {
		code = strings.TrimSpace(code)
		if code == "" {
			continue
		}
		u, err := s.store.GetOrgByCode(ctx, code)
		switch {
		case err == nil && slices.Contains(had, u.ID):
			// a unit the class already serves (the class page shows it)
		case err != nil && me.OrgPath == "":
			return nil, &domain.Error{Code: domain.EInvalid, Field: "units", Message: domain.ErrorMessage(err)}
		default:
			// the units served are units of the user's subtree
			var path string
			if err == nil {
				path = u.Path
			}
			if err := reach(me, "units", err, path); err != nil {
				return nil, err
			}
		}
		if !slices.Contains(c.UnitIDs, u.ID) {
			c.UnitIDs = append(c.UnitIDs, u.ID)
		}
	}
	return sessions, c.Validate()
}

// CreateClass creates a class (status planned) owned by an organization in
// the user's subtree.
func (s *Service) CreateClass(ctx context.Context, in ClassInput) (*domain.Class, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if !me.CanWrite("classes") {
		return nil, cannotWrite(me)
	}
	code := strings.TrimSpace(in.Code)
	c := &domain.Class{Code: code, Programme: in.Programme, Status: domain.ClassPlanned}
	if in.OrgCode == "" {
		return nil, domain.FieldError("org", "Cần mã đơn vị tổ chức lớp")
	}
	org, err := s.orgIn(ctx, me, in.OrgCode, "org")
	if err != nil {
		return nil, err
	}
	c.OrgID = org.ID
	sessions, err := s.toClass(ctx, me, in, c)
	if err != nil {
		return nil, err
	}
	err = s.store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.CreateClass(ctx, c, sessions, s.Now()); err != nil {
			return err
		}
		return s.audit(ctx, tx, me, "create", "class", c.ID, map[string]any{"code": c.Code, "programme": c.Programme})
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// UpdateClass edits a class that is not finished or cancelled; in.Version
// must be the version the user saw. Its sessions change only while it is
// planned (attendance is taken once it is open).
func (s *Service) UpdateClass(ctx context.Context, id int64, in ClassInput) (*domain.Class, error) {
	me, c, _, err := s.classForWrite(ctx, id)
	if err != nil {
		return nil, err
	}
	if c.Status == domain.ClassFinished || c.Status == domain.ClassCancelled {
		return nil, domain.Errorf(domain.EConflict, "Lớp %s %s nên không sửa được", c.Code, strings.ToLower(domain.ClassStatusName(c.Status)))
	}
	old := *c
	sessions, err := s.toClass(ctx, me, in, c)
	if err != nil {
		return nil, err
	}
	c.Version = in.Version
	if c.Status != domain.ClassPlanned && (!c.StartDate.Equal(old.StartDate) || !c.EndDate.Equal(old.EndDate)) {
		return nil, domain.FieldError("start_date", "Lớp đã khai giảng nên không đổi được lịch học")
	}
	err = s.store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.UpdateClass(ctx, c); err != nil {
			return err
		}
		if c.Status == domain.ClassPlanned {
			if err := tx.ReplaceSessions(ctx, c.ID, sessions); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, me, "update", "class", c.ID, map[string]any{"code": c.Code})
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// classSeen loads a class and checks that the user may see it; it
// returns the user, the class and the path of the owning organization.
func (s *Service) classSeen(ctx context.Context, id int64) (*domain.User, *domain.Class, string, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, nil, "", err
	}
	c, path, err := s.store.GetClass(ctx, id)
	if err != nil {
		return nil, nil, "", hidden(me, "", err)
	}
	if me.Sees(path) {
		return me, c, path, nil
	}
	units, err := s.store.OrgsByIDs(ctx, c.UnitIDs)
	if err != nil {
		return nil, nil, "", err
	}
	for _, u := range units {
		if me.Sees(u.Path) || strings.HasPrefix(me.OrgPath, u.Path) {
			return me, c, path, nil
		}
	}
	return nil, nil, "", outOfScope("")
}

// classForWrite loads a class the user may change.
func (s *Service) classForWrite(ctx context.Context, id int64) (*domain.User, *domain.Class, string, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, nil, "", err
	}
	if !me.CanWrite("classes") {
		return nil, nil, "", cannotWrite(me)
	}
	c, path, err := s.store.GetClass(ctx, id)
	if err := reach(me, "", err, path); err != nil {
		return nil, nil, "", err
	}
	return me, c, path, nil
}

// ClassID returns the id of the class with the code.
func (s *Service) ClassID(ctx context.Context, code string) (int64, error) {
	me, err := actor(ctx)
	if err != nil {
		return 0, err
	}
	id, err := s.store.ClassIDByCode(ctx, code)
	if err != nil {
		return 0, hidden(me, "", err)
	}
	if _, _, _, err := s.classSeen(ctx, id); err != nil {
		return 0, err
	}
	return id, nil
}

// ClassView is a class as the user may see it.
type ClassView struct {
	*domain.Class
	Org          *domain.Org
	Units        []*domain.Org
	Sessions     []domain.Session
	TotalLessons int
	Recorded     map[int64]bool // sessions whose attendance is taken
	Enrolled     int            // all learners, whatever the user's scope
	Learners     []domain.LearnerRow
	Attendance   map[int64]map[int64]int
	Certificates map[int64]*domain.Certificate // by learner id
	CanWrite     bool
	Programme    domain.Programme
}

// Class returns a class with the learners of the user's subtree.
func (s *Service) Class(ctx context.Context, id int64) (*ClassView, error) {
	me, c, path, err := s.classSeen(ctx, id)
	if err != nil {
		return nil, err
	}
	v := &ClassView{Class: c, CanWrite: me.CanWrite("classes") && me.Sees(path)}
	v.Programme, _ = domain.ProgrammeOf(c.Programme)
	if v.Org, err = s.store.GetOrg(ctx, c.OrgID); err != nil {
		return nil, err
	}
	if v.Units, err = s.store.OrgsByIDs(ctx, c.UnitIDs); err != nil {
		return nil, err
	}
	vn.SortByText(v.Units, func(o *domain.Org) string { return o.Name }, nil)
	if v.Sessions, err = s.store.Sessions(ctx, c.ID); err != nil {
		return nil, err
	}
	for _, x := range v.Sessions {
		v.TotalLessons += x.Lessons
	}
	if v.Recorded, err = s.store.RecordedSessions(ctx, c.ID); err != nil {
		return nil, err
	}
	if v.Enrolled, err = s.store.CountLearners(ctx, c.ID); err != nil {
		return nil, err
	}
	if v.Learners, err = s.store.Learners(ctx, c.ID, scopePath(me)); err != nil {
		return nil, err
	}
	if v.Attendance, err = s.store.Attendance(ctx, c.ID); err != nil {
		return nil, err
	}
	certs, err := s.store.CertificatesOfClass(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	v.Certificates = map[int64]*domain.Certificate{}
	for _, k := range certs {
		v.Certificates[k.EnrolmentID] = k
	}
	return v, nil
}

// ClassQuery selects a page of classes.
type ClassQuery struct {
	Programme string
	Status    string
	Year      int
	Query     string
	Page      int
	PerPage   int
	// AsOf is the day the list stands on (DefaultAsOf when zero): on a day
	// before today (the demo's date) it holds the classes recorded by then.
	AsOf time.Time
}

// ClassPage is one page of classes.
type ClassPage struct {
	Classes []domain.ClassRow
	Total   int
	Page    int
	PerPage int
}

// Pages is the number of pages.
func (p *ClassPage) Pages() int { return max(1, (p.Total+p.PerPage-1)/p.PerPage) }

// Classes lists the classes the user may see, newest first.
func (s *Service) Classes(ctx context.Context, q ClassQuery) (*ClassPage, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	f := store.ClassFilter{Path: scopePath(me), Programme: q.Programme, Status: q.Status, Query: q.Query}
	if me.OrgPath != "" {
		f.Ancestors = store.PathIDs(me.OrgPath)
	}
	if q.Programme != "" {
		if _, ok := domain.ProgrammeOf(q.Programme); !ok {
			return nil, domain.FieldError("programme", "Chương trình %q không hợp lệ", q.Programme)
		}
	}
	if q.Year != 0 {
		f.From, f.To = domain.Day(q.Year, 1, 1), domain.Day(q.Year, 12, 31)
	}
	if q.AsOf.IsZero() {
		q.AsOf = s.DefaultAsOf(ctx)
	}
	if q.AsOf.Before(domain.Today(s.Now)) {
		f.KnownBy = q.AsOf
		if me.OrgID != 0 { // and the units above the user's on that day
			if _, at, err := s.store.PlaceOn(ctx, me.OrgID, q.AsOf); err == nil {
				f.Ancestors = append(f.Ancestors, store.PathIDs(at)...)
			}
		}
	}
	if q.PerPage <= 0 || q.PerPage > 200 {
		q.PerPage = 50
	}
	q.Page = max(q.Page, 1)
	f.Limit, f.Offset = q.PerPage, (q.Page-1)*q.PerPage
	rows, total, err := s.store.ListClasses(ctx, f)
	if err != nil {
		return nil, err
	}
	return &ClassPage{Classes: rows, Total: total, Page: q.Page, PerPage: q.PerPage}, nil
}

// OpenClass opens a planned class on the date. With fewer than 25
// learners (QĐ1147) it is refused unless the user gives a reason, which
// is recorded with the class and in the audit log.
func (s *Service) OpenClass(ctx context.Context, id int64, on time.Time, reason string, version int64) (*domain.Class, error) {
	me, c, _, err := s.classForWrite(ctx, id)
	if err != nil {
		return nil, err
	}
	if c.Status != domain.ClassPlanned {
		return nil, domain.Errorf(domain.EConflict, "Chỉ mở được lớp đang ở trạng thái dự kiến (lớp %s: %s)", c.Code, domain.ClassStatusName(c.Status))
	}
	if on.IsZero() {
		on = c.StartDate
	}
	n, err := s.store.CountLearners(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	reason = vn.Clean(reason)
	if n < domain.MinLearners && reason == "" {
		return nil, &domain.Error{Code: domain.EConflict, Field: "override_reason", Message: fmt.Sprintf(
			"Lớp mới có %d học viên, chưa đủ %d học viên để mở lớp (%s). Nếu vẫn mở lớp, hãy ghi lý do.",
			n, domain.MinLearners, domain.SrcQD1147)}
	}
	if n >= domain.MinLearners {
		reason = ""
	}
	c.Status, c.OpenedOn, c.OpenOverride, c.Version = domain.ClassOpen, &on, reason, version
	err = s.store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.UpdateClass(ctx, c); err != nil {
			return err
		}
		return s.audit(ctx, tx, me, "open", "class", c.ID, map[string]any{"learners": n, "override_reason": reason})
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// FinishClass records the completion decision (number and date) of an
// open class: its results are final and certificates may be issued.
func (s *Service) FinishClass(ctx context.Context, id int64, no string, date time.Time, version int64) (*domain.Class, error) {
	me, c, _, err := s.classForWrite(ctx, id)
	if err != nil {
		return nil, err
	}
	if c.Status != domain.ClassOpen {
		return nil, domain.Errorf(domain.EConflict, "Chỉ kết thúc được lớp đang học (lớp %s: %s)", c.Code, domain.ClassStatusName(c.Status))
	}
	no = vn.Clean(no)
	if no == "" || len([]rune(no)) > 60 {
		return nil, domain.FieldError("completion_no", "Cần số quyết định công nhận kết quả (tối đa 60 ký tự)")
	}
	if date.IsZero() || date.Before(c.Exam()) {
		return nil, domain.FieldError("completion_date", "Ngày quyết định công nhận kết quả phải từ ngày viết thu hoạch %s", vn.Date(c.Exam()))
	}
	if date.After(s.DefaultAsOf(ctx)) {
		return nil, domain.FieldError("completion_date", "Ngày quyết định không được sau hôm nay")
	}
	c.Status, c.CompletionNo, c.CompletionDate, c.Version = domain.ClassFinished, no, &date, version
	err = s.store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.UpdateClass(ctx, c); err != nil {
			return err
		}
		return s.audit(ctx, tx, me, "finish", "class", c.ID, map[string]any{"completion_no": no, "date": date})
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// CancelClass cancels a planned or open class; its learners become free
// for other classes.
func (s *Service) CancelClass(ctx context.Context, id int64, reason string, version int64) (*domain.Class, error) {
	me, c, _, err := s.classForWrite(ctx, id)
	if err != nil {
		return nil, err
	}
	if c.Status != domain.ClassPlanned && c.Status != domain.ClassOpen {
		return nil, domain.Errorf(domain.EConflict, "Lớp %s %s nên không hủy được", c.Code, strings.ToLower(domain.ClassStatusName(c.Status)))
	}
	reason = vn.Clean(reason)
	if reason == "" {
		return nil, domain.FieldError("reason", "Cần ghi lý do hủy lớp")
	}
	c.Status, c.Version = domain.ClassCancelled, version
	err = s.store.Tx(ctx, func(tx *store.Store) error {
		if err := tx.UpdateClass(ctx, c); err != nil {
			return err
		}
		return s.audit(ctx, tx, me, "cancel", "class", c.ID, map[string]any{"reason": reason})
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}
