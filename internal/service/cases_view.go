package service

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/rules"
	"ketnap/internal/store"
	"ketnap/internal/vn"
)

// Reading cases: one case with its timeline, checklist, verdicts and
// deadlines; lists of cases; "Việc cần làm".

// IntroducerView is an introducer with the member's record.
type IntroducerView struct {
	*domain.CaseIntroducer
	Person *domain.Person
}

// DeadlineView is a pending deadline and whether it has passed.
type DeadlineView struct {
	domain.CaseDeadline
	Overdue bool
}

// TimelineEvent is one dated fact of the case.
type TimelineEvent struct {
	Date time.Time
	What string
}

// CaseView is a case as its page shows it.
type CaseView struct {
	*domain.Case
	Person       *domain.Person
	Org          *domain.Org
	Helper       *domain.Person // nil when none
	Decider      *domain.Org    // the competent body (for the stage the case is at), nil when unknown
	RulesID      string         // the rule set in force for the case
	RulesName    string
	Subcommittee bool // a sub-committee review is part of the ladder
	Committee    bool // a grassroots committee resolution is part of the ladder
	Authorised   bool // the decider is an authorised grassroots committee

	Introducers   []IntroducerView
	Documents     []*domain.CaseDocument
	Votes         []*domain.CaseVote
	Verifications []*domain.CaseVerification
	Consents      []*domain.CaseConsent
	Exceptions    []*domain.CaseException
	Transfers     []*domain.CaseTransfer
	Files         []*domain.CaseFile
	Corrections   []*domain.CaseCorrection // facts corrected in place, oldest first (not during a bulk replay)

	Checklist []ChecklistItem
	Verdicts  []CaseVerdict
	Waivers   []rules.Waiver // the rule set's answer, for every rule, on waiving it by an exception
	Deadlines []DeadlineView
	Overdue   bool // a deadline has passed
	Referred  bool // in probation after the chapter's third failed vote: the upper committee decides (QĐ294 §4.2.3)
	Timeline  []TimelineEvent
	Today     time.Time
}

// Waivable reports whether the case's rule set lets an exception waive
// the rule (an exception stored on one it does not is of no effect).
func (v *CaseView) Waivable(rule string) bool {
	for _, w := range v.Waivers {
		if w.Rule == rule {
			return w.Allowed
		}
	}
	return false
}

// Case returns a case the user sees, with its timeline, checklist,
// verdicts and deadlines as of the date pages open on.
func (s *Service) Case(ctx context.Context, id int64) (*CaseView, error) {
	st, err := s.loadView(ctx, id)
	if err != nil {
		return nil, err
	}
	pl, err := s.plan(ctx, s.store, st)
	if err != nil {
		return nil, err
	}
	st.c.NextAction, st.c.NextOwner, st.c.NextDue = pl.Action, pl.Owner, pl.Due
	v := newCaseView(st, pl, st.today)
	return v, s.viewDetails(ctx, st, pl, v)
}

// stepView is the case as a step (or the opening) leaves it, built from
// the transaction's state and the step's own plan; what is overdue is
// judged on the date pages open on, as Case judges it. During a bulk
// replay (the import) it leaves out the details that cost queries.
func (s *Service) stepView(ctx context.Context, st *caseState, pl *casePlan) (*CaseView, error) {
	if s.bulk() {
		return newCaseView(st, pl, st.today), nil
	}
	v := newCaseView(st, pl, s.DefaultAsOf(ctx))
	return v, s.viewDetails(ctx, st, pl, v)
}

// Replaying returns a copy of s, bound to the same store, for replaying
// many steps of the procedure in one transaction (the demo; the
// candidates import does the same): it remembers the admission ladders it
// reads, which cannot change inside that transaction, and its steps
// return the case without the details that cost queries (helper and
// introducers, verdicts, timeline).
func (s *Service) Replaying() *Service {
	c := *s
	c.ladders = map[ladderKey]ladder{}
	c.pagesDay = &pagesDay{}
	return &c
}

// bulk reports whether s replays many steps in one transaction
// (Replaying, or the candidates import, which sets the ladder cache).
func (s *Service) bulk() bool { return s.ladders != nil }

// newCaseView is the view of what st and pl hold, overdue judged on asOf.
func newCaseView(st *caseState, pl *casePlan, asOf time.Time) *CaseView {
	c := st.c
	v := &CaseView{Case: c, Person: st.person, Org: st.org, RulesID: pl.Set.ID, RulesName: pl.Set.Name, Today: asOf,
		Documents: st.parts.Documents, Votes: st.parts.Votes, Verifications: st.parts.Verifications,
		Consents: st.parts.Consents, Exceptions: st.parts.Exceptions, Transfers: st.parts.Transfers, Files: st.parts.Files,
		Checklist: pl.Checklist, Referred: st.referred(), Waivers: pl.Set.Waivers}
	l := pl.Ladder
	if c.CeremonyDate != nil {
		l = pl.RecognitionLadder
	}
	v.Decider, v.Subcommittee, v.Committee, v.Authorised = l.Decider, l.Sub, l.Committee, l.Authorised
	for _, d := range pl.Deadlines {
		dv := DeadlineView{CaseDeadline: d, Overdue: d.Due.Before(asOf)}
		v.Overdue = v.Overdue || dv.Overdue
		v.Deadlines = append(v.Deadlines, dv)
	}
	return v
}

// viewDetails adds to v what costs queries: the helper and the
// introducers with their records, the verdicts and the timeline.
func (s *Service) viewDetails(ctx context.Context, st *caseState, pl *casePlan, v *CaseView) (err error) {
	if v.HelperID != 0 {
		if v.Helper, _, err = s.store.GetPerson(ctx, v.HelperID); err != nil {
			return err
		}
	}
	for _, x := range st.parts.Introducers {
		p, _, err := s.store.GetPerson(ctx, x.PersonID)
		if err != nil {
			return err
		}
		v.Introducers = append(v.Introducers, IntroducerView{CaseIntroducer: x, Person: p})
	}
	if v.Verdicts, err = s.verdicts(ctx, st, pl); err != nil {
		return err
	}
	if v.Corrections, err = s.store.CaseCorrections(ctx, st.c.ID); err != nil {
		return err
	}
	names := map[int64]string{}
	for _, x := range v.Introducers {
		names[x.PersonID] = x.Person.FullName
	}
	if v.Timeline, err = s.timeline(ctx, st, names); err != nil {
		return err
	}
	v.Timeline = withCorrections(v.Timeline, v.Corrections)
	return nil
}

// timeline lists the dated facts of the case in order; names are the
// introducers' names by person id.
func (s *Service) timeline(ctx context.Context, st *caseState, names map[int64]string) ([]TimelineEvent, error) {
	c := st.c
	var ev []TimelineEvent
	add := func(d time.Time, format string, args ...any) {
		ev = append(ev, TimelineEvent{Date: d, What: fmt.Sprintf(format, args...)})
	}
	kind := "Đưa vào danh sách cảm tình Đảng"
	switch c.Kind {
	case domain.CaseReadmission:
		kind = "Lập hồ sơ xét kết nạp lại"
	case domain.CaseImported:
		kind = fmt.Sprintf("Quyết định kết nạp số %s (nhập từ danh sách đảng viên; các bước trước quyết định không ghi trong ketnap)", c.DecisionNo)
	}
	add(c.OpenedOn, "%s", kind)
	if c.CertificateDate != nil {
		add(*c.CertificateDate, "Giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng số %s", c.CertificateNo)
	}
	if c.DossierOpened != nil {
		add(*c.DossierOpened, "Lập hồ sơ kết nạp")
	}
	for _, d := range st.parts.Documents {
		add(d.Date, "%s %s", domain.DocumentNames[d.Kind], d.Number)
	}
	for _, x := range st.parts.Introducers {
		if x.LetterDate != nil {
			add(*x.LetterDate, "Giấy giới thiệu của đảng viên %s", names[x.PersonID])
		}
	}
	for _, x := range st.parts.Verifications {
		add(x.SentOn, "Gửi yêu cầu thẩm tra lý lịch (%s) đến %s, hạn trả lời %s", lowerInitial(subjectName(x.Subject)), x.Addressee, vn.Date(x.Due))
		if x.ReceivedOn != nil {
			add(*x.ReceivedOn, "%s nhận yêu cầu thẩm tra lý lịch (%s)", x.Addressee, lowerInitial(subjectName(x.Subject)))
		}
		if x.RepliedOn != nil {
			add(*x.RepliedOn, "%s trả lời thẩm tra: %s", x.Addressee, x.Result)
		}
	}
	for _, x := range st.parts.Consents {
		add(x.Date, "Văn bản đồng ý của Ban Thường vụ Tỉnh ủy số %s (%s)", x.Number, rules.ConsentName(rules.Consent(x.Kind)))
	}
	for _, x := range st.parts.Exceptions {
		add(domain.DateOf(x.At.In(domain.Vietnam)), "Ngoại lệ cho quy định %q do %s ghi: %s", x.Rule, x.Username, x.Reason)
	}
	for _, x := range st.parts.Votes {
		result := "đạt"
		if !x.Passed {
			result = "không đạt"
		}
		add(x.Date, "%s %s đề nghị %s: %d/%d tán thành (%d không tính), %s", domain.LevelNames[x.Level], x.Number,
			domain.PurposeNames[x.Purpose], x.Yes, x.Counted(), x.Excluded, result)
	}
	if c.DecisionReceived != nil {
		add(*c.DecisionReceived, "Chi bộ nhận quyết định kết nạp")
	}
	if c.CeremonyDate != nil {
		add(*c.CeremonyDate, "Lễ kết nạp; bắt đầu 12 tháng dự bị")
	}
	for _, x := range st.parts.Transfers {
		from, err := s.store.GetOrg(ctx, x.FromOrgID)
		if err != nil {
			return nil, err
		}
		to, err := s.store.GetOrg(ctx, x.ToOrgID)
		if err != nil {
			return nil, err
		}
		add(x.Date, "Chuyển từ %s đến %s", from.Name, to.Name)
		if x.ReceivedOn != nil {
			add(*x.ReceivedOn, "%s nhận hồ sơ chuyển đến", to.Name)
		}
	}
	if c.PausedOn != nil {
		add(*c.PausedOn, "Tạm dừng: %s", c.PauseReason)
	}
	if c.ClosedOn != nil {
		add(*c.ClosedOn, "%s: %s", domain.CaseStageName(c.Stage), c.CloseReason)
	}
	slices.SortStableFunc(ev, func(a, b TimelineEvent) int { return a.Date.Compare(b.Date) })
	return ev, nil
}

// CaseQuery selects a page of cases.
type CaseQuery struct {
	OrgCode string    // subtree; "" for the user's whole scope
	Direct  bool      // only cases of exactly that chapter
	Stages  []string  // any of these case stages
	Open    bool      // only open cases
	Overdue bool      // only cases with a deadline passed
	Query   string    // part of the candidate's name, diacritics ignored
	AsOf    time.Time // the day overdue is judged on; zero: the date pages open on (DefaultAsOf)
	Page    int       // from 1
	PerPage int
}

// CasePage is one page of cases.
type CasePage struct {
	Cases []domain.CaseRow
	// Total is how many match, counted up to store.CountCap; More says
	// there are more than that (Total is then CountCap).
	Total   int
	More    bool
	Page    int
	PerPage int
	Today   time.Time
}

// Pages is the number of pages (one more than store.CountCap makes when
// there are more: the next ones are found by going on).
func (p *CasePage) Pages() int {
	n := max(1, (p.Total+p.PerPage-1)/p.PerPage)
	if p.More {
		n = max(n, p.Page)
		if len(p.Cases) == p.PerPage {
			n++
		}
	}
	return n
}

// Cases lists the cases in the user's subtree, in the candidates'
// Vietnamese name order, scoped and paginated in SQL.
func (s *Service) Cases(ctx context.Context, q CaseQuery) (*CasePage, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	today := q.AsOf
	if today.IsZero() {
		today = s.DefaultAsOf(ctx)
	}
	f := store.CaseFilter{Path: scopePath(me), Stages: q.Stages, Open: q.Open, Overdue: q.Overdue, Today: today, Query: q.Query,
		Past: today.Before(domain.Today(s.Now)), Sorted: ctx.Value(scratchKey{}) != nil}
	if f.Past { // the user's unit in the tree of that day
		f.Path = s.scopePathOn(ctx, me, today)
	}
	if q.OrgCode != "" {
		o, err := s.Org(ctx, q.OrgCode)
		if err != nil {
			return nil, err
		}
		f.Path = o.Path
		if f.Past { // its place in the tree of that day
			if _, at, err := s.store.PlaceOn(ctx, o.ID, today); err == nil {
				f.Path = at
			}
		}
		if q.Direct {
			f.OrgID = o.ID
		}
	}
	for _, st := range q.Stages {
		if !domain.ValidCaseStage(st) {
			return nil, domain.FieldError("stage", "Bước %q không hợp lệ", st)
		}
	}
	q.PerPage, q.Page = perPage(q.PerPage), max(q.Page, 1)
	f.Limit, f.Offset = q.PerPage, (q.Page-1)*q.PerPage
	rows, total, err := s.store.ListCases(ctx, f)
	if err != nil {
		return nil, err
	}
	page := &CasePage{Cases: rows, Total: total, Page: q.Page, PerPage: q.PerPage, Today: today}
	if total > store.CountCap {
		page.Total, page.More = store.CountCap, true
	}
	return page, nil
}

func perPage(n int) int {
	if n <= 0 || n > 200 {
		return 50
	}
	return n
}

// PersonCases lists a person's cases (a re-admitted member has two).
func (s *Service) PersonCases(ctx context.Context, personID int64) ([]*domain.Case, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	if _, _, err := s.personIn(ctx, me, personID, ""); err != nil {
		return nil, err
	}
	return s.store.CasesOfPerson(ctx, personID)
}

// TodoQuery selects the deadlines due in the user's scope.
type TodoQuery struct {
	OrgCode string    // subtree; "" for the user's whole scope
	Overdue bool      // only the deadlines already passed
	Kinds   []string  // domain.Deadline* kinds; none for all
	Days    int       // due within this many days from today (default 30); overdue ones always included
	AsOf    time.Time // "today"; zero: the date pages open on (DefaultAsOf)
	Page    int
	PerPage int
}

// TodoItem is one deadline of "Việc cần làm".
type TodoItem struct {
	domain.TodoRow
	Overdue   bool
	OwnerName string
}

// TodoPage is one page of "Việc cần làm".
type TodoPage struct {
	Items   []TodoItem
	Total   int
	Page    int
	PerPage int
	Today   time.Time
	Until   time.Time
}

// Pages is the number of pages.
func (p *TodoPage) Pages() int { return max(1, (p.Total+p.PerPage-1)/p.PerPage) }

// Todo lists the deadlines of the open cases in the user's scope that are
// overdue or fall due within the coming days, soonest first: verification
// replies, dossiers and certificates about to lapse, decisions,
// ceremonies, recognitions. Scoped and paginated in SQL.
func (s *Service) Todo(ctx context.Context, q TodoQuery) (*TodoPage, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	today := q.AsOf
	if today.IsZero() {
		today = s.DefaultAsOf(ctx)
	}
	if q.Days <= 0 {
		q.Days = 30
	}
	if q.Days > 3660 {
		return nil, domain.FieldError("days", "Số ngày tối đa là 3660")
	}
	for _, k := range q.Kinds {
		if _, ok := domain.DeadlineNames[k]; !ok {
			return nil, domain.FieldError("kind", "Loại thời hạn %q không hợp lệ", k)
		}
	}
	// the deadlines are read in the tree of that day: the unit's place then
	f := store.TodoFilter{Path: s.scopePathOn(ctx, me, today), Overdue: q.Overdue, Kinds: q.Kinds, Today: today, Until: today.AddDate(0, 0, q.Days),
		Sorted: ctx.Value(scratchKey{}) != nil}
	if q.OrgCode != "" {
		o, err := s.Org(ctx, q.OrgCode)
		if err != nil {
			return nil, err
		}
		f.Path = s.pathOn(ctx, o, today)
	}
	q.PerPage, q.Page = perPage(q.PerPage), max(q.Page, 1)
	f.Limit, f.Offset = q.PerPage, (q.Page-1)*q.PerPage
	if counted, err := s.funnelCounted(ctx); err != nil {
		return nil, err
	} else if q.Days == store.TodoDays && counted {
		// how many: from the deadline counts kept per unit
		counts, err := s.todoCounts(ctx, f.Path, today, q.Days)
		if err != nil {
			return nil, err
		}
		total, which := 0, 1 // due within the days, the overdue included
		if q.Overdue {
			which = 0
		}
		for kind, n := range counts {
			if len(q.Kinds) == 0 || slices.Contains(q.Kinds, kind) {
				total += n[which]
			}
		}
		f.Total = &total
	}
	rows, total, err := s.store.Todo(ctx, f)
	if err != nil {
		return nil, err
	}
	p := &TodoPage{Total: total, Page: q.Page, PerPage: q.PerPage, Today: today, Until: f.Until}
	for _, r := range rows {
		p.Items = append(p.Items, TodoItem{TodoRow: r, Overdue: r.Due.Before(today), OwnerName: domain.OwnerNames[r.Owner]})
	}
	return p, nil
}

// TodoCount is how many deadlines of a kind are overdue and due soon.
type TodoCount struct {
	Kind    string
	Name    string
	Overdue int
	Due     int // overdue ones included
}

// TodoCounts counts the deadlines in the user's scope (or under the
// organization) per kind as of asof (zero: DefaultAsOf), for the
// dashboard's links to Todo.
func (s *Service) TodoCounts(ctx context.Context, orgCode string, days int, asof time.Time) ([]TodoCount, error) {
	me, err := actor(ctx)
	if err != nil {
		return nil, err
	}
	today := asof
	if today.IsZero() {
		today = s.DefaultAsOf(ctx)
	}
	// the deadlines are read in the tree of that day: the unit's place then
	path := s.scopePathOn(ctx, me, today)
	if orgCode != "" {
		o, err := s.Org(ctx, orgCode)
		if err != nil {
			return nil, err
		}
		path = s.pathOn(ctx, o, today)
	}
	if days <= 0 {
		days = 30
	}
	m, err := s.todoCounts(ctx, path, today, days)
	if err != nil {
		return nil, err
	}
	var out []TodoCount
	for _, k := range []string{domain.DeadlineVerification, domain.DeadlineCertificateLapse, domain.DeadlineDossierLapse,
		domain.DeadlineDecision, domain.DeadlineTransfer, domain.DeadlineConclusion, domain.DeadlineCeremony, domain.DeadlineRecognitionVote, domain.DeadlineRecognition} {
		if n, ok := m[k]; ok {
			out = append(out, TodoCount{Kind: k, Name: domain.DeadlineNames[k], Overdue: n[0], Due: n[1]})
		}
	}
	return out, nil
}

// todoCounts counts the deadlines under path ("/": the whole system), per
// kind: overdue and due within days of today. For the default days they
// are the counts kept per unit (store.FunnelTotals); else, or
// FromScratch, they are counted from the deadlines of the subtree
// (store.TodoCounts).
func (s *Service) todoCounts(ctx context.Context, path string, today time.Time, days int) (map[string][2]int, error) {
	if counted, err := s.funnelCounted(ctx); err != nil {
		return nil, err
	} else if days != store.TodoDays || !counted {
		return s.store.TodoCounts(ctx, path, today, today.AddDate(0, 0, days))
	}
	// the unit at the end of the path, or every unit at the top that day
	units := store.PathIDs(path)
	if len(units) > 0 {
		units = units[len(units)-1:]
	} else {
		var err error
		if units, err = s.store.RootsOn(ctx, today); err != nil {
			return nil, err
		}
	}
	totals, err := s.store.FunnelTotals(ctx, units, today)
	if err != nil {
		return nil, err
	}
	out := map[string][2]int{}
	for m, n := range sumMeasures(totals) {
		if kind, ok := strings.CutPrefix(m, store.TodoOverdue); ok {
			c := out[kind]
			out[kind] = [2]int{c[0] + n, c[1]}
		} else if kind, ok := strings.CutPrefix(m, store.TodoDue); ok {
			c := out[kind]
			out[kind] = [2]int{c[0], c[1] + n}
		}
	}
	return out, nil
}

// sumMeasures adds up the units' measures.
func sumMeasures(totals map[int64]map[string]int) map[string]int {
	out := map[string]int{}
	for _, ms := range totals {
		for m, n := range ms {
			out[m] += n
		}
	}
	return out
}
