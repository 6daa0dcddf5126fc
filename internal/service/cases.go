package service

import (
	"context"
	"time"

	"ketnap/internal/calendar"
	"ketnap/internal/domain"
	"ketnap/internal/store"
	"ketnap/internal/vn"
)

// The admission procedure (DOMAIN §5), one service method per user
// action. Every action runs wholly in one transaction (runStep): it loads
// the case, checks the user's subtree and role, refuses a stale version
// with a 409, judges the step with the rules in force, writes it, computes
// the next action and the deadlines once from what the transaction holds,
// saves them with an audit record, and returns the case as its page shows
// it. Inputs are plain structs whose Version is the case version the user
// saw.

// Who may take a step: the chapter's steps are open to secretaries,
// organizers and admins; the steps of the committees and the competent
// body (votes above the chapter, decisions, consents, exceptions,
// transfers) to organizers and admins.
const (
	byChapter = iota
	byBoard
)

func mayAct(u *domain.User, who int) bool {
	switch u.Role {
	case domain.RoleAdmin, domain.RoleOrganizer:
		return true
	case domain.RoleSecretary:
		return who == byChapter
	}
	return false
}

// caseState is a case loaded for a step or a view.
type caseState struct {
	me     *domain.User
	c      *domain.Case
	path   string
	person *domain.Person
	org    *domain.Org // the chapter
	// successor is the unit that carries the chapter's history when the
	// chapter is closed (nil otherwise, or when none is recorded).
	successor *domain.Org
	parts     *store.CaseParts
	cal       *calendar.Calendar
	today     time.Time
}

// caseStep is one step of the procedure, as runStep runs it.
type caseStep struct {
	action  string // the audit record's action
	who     int    // byChapter or byBoard
	version int64  // the case version the user saw
	// apply judges the step on the case as the transaction holds it and
	// writes it; s is the service bound to the transaction. It returns
	// the audit record's detail.
	apply func(ctx context.Context, s *Service, st *caseState) (detail any, err error)
	// withPlan, when set, finishes the step with the plan of the case as
	// apply left it: it judges the step on that plan (an error rolls the
	// whole step back) or writes what needs it.
	withPlan func(ctx context.Context, s *Service, st *caseState, pl *casePlan) error
}

// runStep runs a step in one transaction: it loads the case, checks the
// user's subtree and role, the version the user saw and that the case is
// open; applies the step; computes the plan once from what the
// transaction then holds; saves the case with its next action (the
// store's WHERE version = ? refuses a change made meanwhile), the
// deadlines and the audit record; and returns the case as its page shows
// it, built from that state and that plan.
func (s *Service) runStep(ctx context.Context, id int64, step caseStep) (*CaseView, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	var v *CaseView
	err = s.store.Tx(ctx, func(tx *store.Store) error {
		ts := s.in(tx)
		st, err := ts.loadStep(ctx, me, id, step.who, step.version)
		if err != nil {
			return err
		}
		detail, err := step.apply(ctx, ts, st)
		if err != nil {
			return err
		}
		if st.parts, err = tx.CaseParts(ctx, id); err != nil {
			return err
		}
		pl, err := ts.plan(ctx, tx, st)
		if err != nil {
			return err
		}
		if step.withPlan != nil {
			if err := step.withPlan(ctx, ts, st, pl); err != nil {
				return err
			}
		}
		if err := ts.saveCase(ctx, st, pl, step.action, detail); err != nil {
			return err
		}
		v, err = ts.stepView(ctx, st, pl)
		return err
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// loadStep loads the case of a step: the user must see it and may take
// the step (who), version must be the case's current one, and the case
// must be open. This is the only place a step's version is checked. The
// step is judged on the date pages open on (the demo's date in the demo,
// today otherwise), and no step may be dated after it.
func (s *Service) loadStep(ctx context.Context, me *domain.User, id int64, who int, version int64) (*caseState, error) {
	c, path, err := s.caseIn(ctx, me, id, "")
	if err != nil {
		return nil, err
	}
	if !mayAct(me, who) {
		if who == byBoard && me.CanWrite("people") {
			return nil, domain.Errorf(domain.EForbidden, "Bước này do cấp ủy cấp trên ghi: chỉ cán bộ tổ chức hoặc quản trị viên được thực hiện")
		}
		return nil, cannotWrite(me)
	}
	st := &caseState{me: me, c: c, path: path, today: s.stepDay(ctx)}
	if st.person, _, err = s.store.GetPerson(ctx, c.PersonID); err != nil {
		return nil, err
	}
	switch {
	case version <= 0:
		return nil, domain.FieldError("version", "Thiếu phiên bản của hồ sơ bạn đã xem (version); hãy tải lại hồ sơ rồi làm lại")
	case version != c.Version:
		return nil, domain.StaleCase(st.person.FullName)
	case c.Closed():
		return nil, domain.Errorf(domain.EConflict, "Hồ sơ kết nạp của %s đã kết thúc (%s) ngày %s; không thể thay đổi",
			st.person.FullName, lowerInitial(domain.CaseStageName(c.Stage)), vn.Date(*c.ClosedOn))
	}
	return st, s.fill(ctx, st)
}

// loadView loads a case the user sees, judged on the date pages open on
// (the demo's date in the demo district).
func (s *Service) loadView(ctx context.Context, id int64) (*caseState, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	c, path, err := s.caseIn(ctx, me, id, "")
	if err != nil {
		return nil, err
	}
	st := &caseState{me: me, c: c, path: path, today: s.DefaultAsOf(ctx)}
	if st.person, _, err = s.store.GetPerson(ctx, c.PersonID); err != nil {
		return nil, err
	}
	return st, s.fill(ctx, st)
}

// fill loads the chapter, the parts and the calendar of a case state.
func (s *Service) fill(ctx context.Context, st *caseState) (err error) {
	if st.org, err = s.store.GetOrg(ctx, st.c.OrgID); err != nil {
		return err
	}
	if st.org.ValidTo != nil && st.org.SuccessorID != 0 {
		if st.successor, err = s.store.GetOrg(ctx, st.org.SuccessorID); err != nil {
			return err
		}
	}
	if st.parts, err = s.store.CaseParts(ctx, st.c.ID); err != nil {
		return err
	}
	st.cal, err = s.Calendar(ctx)
	return err
}

// saveCase saves a step's case with the plan's next action (refused with
// 409 when someone changed it meanwhile), its deadlines and the audit
// record, in the transaction s is bound to.
func (s *Service) saveCase(ctx context.Context, st *caseState, pl *casePlan, action string, detail any) error {
	st.c.NextAction, st.c.NextOwner, st.c.NextDue = pl.Action, pl.Owner, pl.Due
	if err := s.store.UpdateCase(ctx, st.c, st.person.FullName, s.Now()); err != nil {
		return err
	}
	if err := s.store.SetCaseDeadlines(ctx, st.c, pl.Deadlines, s.stepDeadlineDay(ctx, st.c, st.parts)); err != nil {
		return err
	}
	return s.audit(ctx, s.store, st.me, action, "case", st.c.ID, detail)
}

// RefreshCases recomputes what comes next for the open cases of the
// people after something outside the case changed: a training class
// issued a certificate (which the case then links), or time passed in the
// demo. It writes only what is derived (the linked certificate, the next
// action, the deadlines): the version stays, so nobody's page goes stale.
// It checks no role: other services call it inside their own transaction.
func (s *Service) RefreshCases(ctx context.Context, personIDs ...int64) error {
	for _, pid := range personIDs {
		cases, err := s.store.CasesOfPerson(ctx, pid)
		if err != nil {
			return err
		}
		for _, c := range cases {
			if c.Closed() {
				continue
			}
			st := &caseState{me: System, c: c, today: domain.Today(s.Now)}
			if st.person, st.path, err = s.store.GetPerson(ctx, pid); err != nil {
				return err
			}
			if err := s.fill(ctx, st); err != nil {
				return err
			}
			pl, err := s.plan(ctx, s.store, st)
			if err != nil {
				return err
			}
			c.NextAction, c.NextOwner, c.NextDue = pl.Action, pl.Owner, pl.Due
			if err := s.store.RefreshCase(ctx, c); err != nil {
				return err
			}
			if err := s.store.SetCaseDeadlines(ctx, c, pl.Deadlines, s.deadlineDay(ctx)); err != nil {
				return err
			}
		}
	}
	return nil
}

// OpenCaseInput opens a case for a person of a chapter: the day the
// chapter selected them into the list of sources, the helper, and the
// facts the rules need. Readmission is set for a former member.
type OpenCaseInput struct {
	PersonID         int64
	OpenedOn         time.Time // zero: today
	HelperID         int64     // an official member of the chapter's unit; 0: assigned later
	HardshipArea     bool
	VillageElder     bool
	YouthUnionExists *bool // a Youth Union organisation where the candidate works, studies or lives; nil: the unit's (Org.YouthUnion)
	PoliticalIssue   bool
	Readmission      *ReadmissionInput
}

// ReadmissionInput are the facts of a former member asking to be admitted again.
type ReadmissionInput struct {
	LeftOn        time.Time
	Ground        string // rules.Ground
	RecordCleared *time.Time
}

// OpenCase opens the admission case of a person in the user's subtree
// (a source, or a former member for a re-admission), in one transaction
// with its plan, and returns it as its page shows it.
func (s *Service) OpenCase(ctx context.Context, in OpenCaseInput) (*CaseView, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if !mayAct(me, byChapter) {
		return nil, cannotWrite(me)
	}
	var v *CaseView
	err = s.store.Tx(ctx, func(tx *store.Store) error {
		ts := s.in(tx)
		st, err := ts.newCase(ctx, me, in)
		if err != nil {
			return err
		}
		pl, err := ts.plan(ctx, tx, st)
		if err != nil {
			return err
		}
		if err := ts.createCase(ctx, st, pl); err != nil {
			return err
		}
		v, err = ts.stepView(ctx, st, pl)
		return err
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// newCase checks the opening of a case and returns its state, not yet
// written.
func (s *Service) newCase(ctx context.Context, me *domain.User, in OpenCaseInput) (*caseState, error) {
	p, _, err := s.personIn(ctx, me, in.PersonID, "person_id")
	if err != nil {
		return nil, err
	}
	org, err := s.store.GetOrg(ctx, p.OrgID)
	if err != nil {
		return nil, err
	}
	if !org.Kind.IsChapter() {
		return nil, domain.FieldError("person_id", "%s thuộc %s, không phải một chi bộ; hãy chuyển người này về chi bộ sinh hoạt trước khi lập hồ sơ kết nạp", p.FullName, org.Name)
	}
	today := s.stepDay(ctx) // no step is dated after the date pages open on
	c := &domain.Case{PersonID: p.ID, OrgID: org.ID, Kind: domain.CaseFirst, Stage: domain.CaseSource, StageBefore: p.Stage,
		OpenedOn: in.OpenedOn, HardshipArea: in.HardshipArea, VillageElder: in.VillageElder,
		YouthUnionExists: org.YouthUnion, PoliticalIssue: in.PoliticalIssue}
	if in.YouthUnionExists != nil {
		c.YouthUnionExists = *in.YouthUnionExists
	}
	if c.OpenedOn.IsZero() {
		c.OpenedOn = today
	}
	if err := notFuture("opened_on", c.OpenedOn, today); err != nil {
		return nil, err
	}
	if err := openingKind(c, p, in.Readmission); err != nil {
		return nil, err
	}
	if !c.OpenedOn.After(p.BirthDate) {
		return nil, domain.FieldError("opened_on", "Ngày đưa vào danh sách phải sau ngày sinh")
	}
	st := &caseState{me: me, c: c, path: org.Path, person: p, org: org, parts: &store.CaseParts{}, today: today}
	if st.cal, err = s.Calendar(ctx); err != nil {
		return nil, err
	}
	if in.HelperID != 0 {
		// a new case holds no exception: a helper from another unit is
		// assigned once the exception is recorded
		if _, err := s.helper(ctx, st, in.HelperID, "helper_id", "người giúp đỡ khi lập hồ sơ (lập hồ sơ chưa phân công người giúp đỡ, ghi ngoại lệ rồi phân công)"); err != nil {
			return nil, err
		}
		c.HelperID = in.HelperID
	}
	return st, nil
}

// openingKind makes c a re-admission when r is given (for a former
// member), and refuses a person who cannot be a candidate.
func openingKind(c *domain.Case, p *domain.Person, r *ReadmissionInput) error {
	switch {
	case r != nil:
		if p.Stage != domain.StageStruckOff && p.Stage != domain.StageLeft {
			return domain.FieldError("readmission", "Chỉ xét kết nạp lại người đã ra khỏi Đảng; %s đang là %s", p.FullName, lowerInitial(domain.StageName(p.Stage)))
		}
		if r.LeftOn.IsZero() || r.LeftOn.After(c.OpenedOn) {
			return domain.FieldError("left_on", "Cần ngày ra khỏi Đảng, trước ngày lập hồ sơ")
		}
		c.Kind, c.LeftOn, c.LeftGround, c.RecordCleared = domain.CaseReadmission, &r.LeftOn, r.Ground, r.RecordCleared
	case p.Stage != domain.StageSource && p.Stage != domain.StageCandidate:
		return domain.FieldError("person_id", "%s đang là %s; chỉ lập hồ sơ kết nạp cho quần chúng (hoặc kết nạp lại người đã ra khỏi Đảng)",
			p.FullName, lowerInitial(domain.StageName(p.Stage)))
	}
	return nil
}

// createCase writes a new case with its plan, its deadlines and the audit
// record (a former member becomes a source again).
func (s *Service) createCase(ctx context.Context, st *caseState, pl *casePlan) error {
	c, p := st.c, st.person
	c.NextAction, c.NextOwner, c.NextDue = pl.Action, pl.Owner, pl.Due
	if err := s.store.CreateCase(ctx, c, s.Now()); err != nil {
		return err
	}
	for i := range pl.Deadlines {
		pl.Deadlines[i].CaseID = c.ID
	}
	if err := s.store.SetCaseDeadlines(ctx, c, pl.Deadlines, s.stepDeadlineDay(ctx, c, nil)); err != nil {
		return err
	}
	if c.Kind == domain.CaseReadmission {
		if err := s.setPersonStage(ctx, st, domain.StageSource); err != nil {
			return err
		}
	}
	return s.audit(ctx, s.store, st.me, "open", "case", c.ID, map[string]any{"person": p.ID, "name": p.FullName, "kind": c.Kind})
}

// member returns an official member the user sees who may help or
// introduce the candidate of st: not the candidate. Whether the member is
// of the candidate's chapter is the same-chapter rule's (checkSponsor).
func (s *Service) member(ctx context.Context, st *caseState, id int64, field string) (*domain.Person, error) {
	m, path, err := s.store.GetPerson(ctx, id)
	if err != nil && st.me.OrgPath == "" && domain.ErrorCode(err) == domain.ENotFound {
		return nil, domain.FieldError(field, "Không tìm thấy đảng viên có mã số %d", id)
	}
	if err := reach(st.me, field, err, path); err != nil {
		return nil, err
	}
	if m.ID == st.person.ID {
		return nil, domain.FieldError(field, "Người vào Đảng không thể tự giúp đỡ hay giới thiệu mình")
	}
	if m.Stage != domain.StageOfficial {
		return nil, domain.FieldError(field, "%s là %s, không phải đảng viên chính thức (Điều lệ Đ.4)", m.FullName, lowerInitial(domain.StageName(m.Stage)))
	}
	return m, nil
}

// helper returns the member who may help the candidate of st from today:
// an official member (member, officialThen) of the case's chapter, or of
// another unit when an exception to the same-chapter rule is on the case
// (checkSponsor); step names the step in a refusal.
func (s *Service) helper(ctx context.Context, st *caseState, id int64, field, step string) (*domain.Person, error) {
	m, err := s.member(ctx, st, id, field)
	if err != nil {
		return nil, err
	}
	if err := s.officialThen(ctx, m, st.today, field); err != nil {
		return nil, err
	}
	return m, s.checkSponsor(ctx, st, m, true, st.today, step)
}

// notFuture refuses a date after today.
func notFuture(field string, d, today time.Time) error {
	if d.IsZero() {
		return domain.FieldError(field, "Cần ngày")
	}
	if d.After(today) {
		return domain.FieldError(field, "Ngày %s chưa đến: chỉ ghi việc đã diễn ra", vn.Date(d))
	}
	return nil
}

// dated checks the date of a step on the case: recorded (not after the
// date the pages open on, notFuture) and on a day its chapter existed: a
// step dated on or after the chapter's closing is refused, naming the
// unit that carries its history, to which the case is transferred first
// (DOMAIN §2: nothing new is recorded on a closed unit after its closing).
func (st *caseState) dated(field string, d time.Time) error {
	if err := notFuture(field, d, st.today); err != nil {
		return err
	}
	if o := st.org; o != nil && o.ValidTo != nil && !d.Before(*o.ValidTo) {
		if x := st.successor; x != nil {
			return domain.FieldError(field, "%s không còn từ ngày %s (giải thể, sáp nhập; đơn vị kế thừa: %s): không ghi việc từ ngày đó vào hồ sơ ở đơn vị này; hãy chuyển hồ sơ về %s trước",
				o.Name, vn.Date(*o.ValidTo), x.Name, x.Name)
		}
		return domain.FieldError(field, "%s không còn từ ngày %s (giải thể, sáp nhập): không ghi việc từ ngày đó vào hồ sơ ở đơn vị này; hãy chuyển hồ sơ về chi bộ đang sinh hoạt trước",
			o.Name, vn.Date(*o.ValidTo))
	}
	return nil
}

// notBefore refuses a date before an earlier step's.
func notBefore(field string, d time.Time, earlier *time.Time, what string) error {
	if earlier != nil && d.Before(*earlier) {
		return domain.FieldError(field, "Ngày %s trước %s (%s)", vn.Date(d), what, vn.Date(*earlier))
	}
	return nil
}

// setPersonStage changes the candidate's stage, in the transaction s is
// bound to.
func (s *Service) setPersonStage(ctx context.Context, st *caseState, stage string) error {
	if st.person.Stage == stage {
		return nil
	}
	st.person.Stage = stage
	return s.store.SetStage(ctx, st.person.ID, stage, s.Now())
}
