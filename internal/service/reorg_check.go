package service

import (
	"context"
	"fmt"
	"strings"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/store"
	"ketnap/internal/vn"
)

// The judgement of a reorganisation plan: every problem at once (unknown
// or repeated codes, a code that exists, a unit not open on the date or
// outside the caller's scope, a unit closed while it still holds children,
// people, open cases, villages or schools, a target left without a unit, a
// move under the unit itself or out of date order, a plan applied before).

// reorgRun is one plan being judged and applied, in one transaction.
type reorgRun struct {
	s     *Service // bound to the transaction
	ctx   context.Context
	me    *domain.User
	p     *domain.ReorgPlan
	date  time.Time // zero when the plan's date is wrong
	today time.Time
	sha   string
	res   *ReorgResult

	orgs    map[string]*domain.Org         // code → unit of the store (nil: none)
	creates map[string]*domain.ReorgCreate // code → the plan's creation of it
	subject map[string]opRef               // code → the one operation that merges, moves or closes it
	closing map[string]bool                // merged or closed by the plan
	holds   map[int64]*store.Holdings      // what a unit merged or closed holds
	kids    map[int64][]*domain.Org        // the child units of a merged or closed unit that outlive the date, bar the plan's subjects

	created map[string]*domain.Org // the units the plan created (apply)
	moved   []reorgAudit           // what moved, for the audit record
	touched []string               // codes of the units merged (their open cases moved and are recomputed)
	authTop []string               // codes of the units whose subtree changed place
}

// opRef is where an operation sits in the plan: its kind, its item (from
// 1) and, for a workbook, its row.
type opRef struct {
	op   string
	item int
	row  int
}

func (a opRef) String() string {
	if a.row > 0 {
		return fmt.Sprintf("%s (dòng %d)", strings.ToLower(domain.ReorgOpNames[a.op]), a.row)
	}
	return fmt.Sprintf("%s, mục %d", strings.ToLower(domain.ReorgOpNames[a.op]), a.item)
}

func newReorgRun(ctx context.Context, s *Service, me *domain.User, p *domain.ReorgPlan, opt ReorgOptions) *reorgRun {
	r := &reorgRun{s: s, ctx: ctx, me: me, p: p, today: domain.Today(s.Now),
		res:  &ReorgResult{Decision: p.Decision, Date: p.Date, DryRun: opt.DryRun, Units: []ReorgUnit{}, Problems: []domain.ReorgProblem{}},
		orgs: map[string]*domain.Org{}, creates: map[string]*domain.ReorgCreate{}, subject: map[string]opRef{},
		closing: map[string]bool{}, holds: map[int64]*store.Holdings{}, kids: map[int64][]*domain.Org{}, created: map[string]*domain.Org{}}
	r.res.Operations = ReorgOps{Create: len(p.Create), Move: len(p.Move), Rename: len(p.Rename), Close: len(p.Close)}
	for _, m := range p.Merge {
		r.res.Operations.Merge += len(m.From)
	}
	return r
}

// refuse records a problem of the operation a about the field and the
// unit with the code.
func (r *reorgRun) refuse(a opRef, field, code, format string, args ...any) {
	pr := domain.ReorgProblem{Operation: a.op, Item: a.item, Row: a.row, Field: field, Unit: code, Message: fmt.Sprintf(format, args...)}
	if a.row > 0 || a.op == domain.ReorgOpPlan {
		pr.Sheet = r.p.Sheets[a.op]
	}
	r.res.Problems = append(r.res.Problems, pr)
}

// forbid records that the unit with the code is outside the caller's
// scope, or for a caller bound to a unit unknown: the one message that
// names nothing (scope.go).
func (r *reorgRun) forbid(a opRef, field, code string) {
	r.refuse(a, field, code, "%s", msgOutOfScope)
	r.res.Problems[len(r.res.Problems)-1].Forbidden = true
}

// unknown records that no unit has the code: for a caller bound to a unit,
// the answer for a unit outside the scope.
func (r *reorgRun) unknown(a opRef, field, code string) {
	if r.me.OrgPath != "" {
		r.forbid(a, field, code)
		return
	}
	r.refuse(a, field, code, "Không tìm thấy tổ chức mã %s", code)
}

// org finds the unit with the code in the store, nil when there is none.
func (r *reorgRun) org(code string) (*domain.Org, error) {
	if o, ok := r.orgs[code]; ok {
		return o, nil
	}
	o, err := r.s.store.GetOrgByCode(r.ctx, code)
	if domain.ErrorCode(err) == domain.ENotFound {
		r.orgs[code] = nil
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	r.orgs[code] = o
	return o, nil
}

// check judges the whole plan, recording every problem, and builds the
// summary of what it moves.
func (r *reorgRun) check() error {
	r.checkPlan()
	if applied, err := r.appliedBefore(); err != nil || applied {
		return err
	}
	if err := r.indexCreates(); err != nil {
		return err
	}
	r.indexSubjects()
	for _, step := range []func() error{r.checkCreates, r.checkRenames, r.checkMoves, r.checkMerges, r.checkCloses} {
		if err := step(); err != nil {
			return err
		}
	}
	for _, u := range r.res.Units {
		r.res.Totals.add(u.ReorgCounts)
	}
	return nil
}

// checkPlan judges the date, the decision and that there is something to do.
func (r *reorgRun) checkPlan() {
	a := opRef{op: domain.ReorgOpPlan}
	switch d, err := time.Parse(domain.DateLayout, r.p.Date); {
	case r.p.Date == "":
		r.refuse(a, "date", "", "Cần ngày hiệu lực của phương án (date, dạng NNNN-TT-NN)")
	case err != nil:
		r.refuse(a, "date", "", "Ngày hiệu lực %q không hợp lệ: cần một ngày có thật, dạng NNNN-TT-NN trong JSON (ví dụ 2025-07-01), ngày/tháng/năm trong Excel (01/07/2025)", vn.Echo(r.p.Date))
	default:
		r.date = d
		if d.After(r.today) {
			r.refuse(a, "date", "", "Ngày hiệu lực %s chưa đến (hôm nay là %s): chỉ áp dụng phương án từ ngày nó có hiệu lực; trước đó hãy kiểm tra (dry run)", vn.Date(d), vn.Date(r.today))
		}
	}
	switch n := len([]rune(r.p.Decision)); {
	case n == 0:
		r.refuse(a, "decision", "", "Cần số và ngày của quyết định (decision), ví dụ “Quyết định số 1234-QĐ/TU ngày 25/6/2025”")
	case n > 500:
		r.refuse(a, "decision", "", "Nội dung quyết định quá dài (tối đa 500 ký tự)")
	}
	if r.p.Empty() {
		r.refuse(a, "", "", "Phương án không có thao tác nào (create, merge, move, rename, close)")
	}
}

// appliedBefore refuses a plan applied before, naming when and by whom.
func (r *reorgRun) appliedBefore() (bool, error) {
	r.sha = planSHA(r.p)
	prev, err := r.s.store.ReorgPlanByHash(r.ctx, r.sha)
	if domain.ErrorCode(err) == domain.ENotFound {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	r.refuse(opRef{op: domain.ReorgOpPlan}, "", "", "%s", errAppliedBefore(prev).Message)
	r.res.Problems[len(r.res.Problems)-1].Conflict = true
	return true, nil
}

// errAppliedBefore is the refusal of a plan applied before.
func errAppliedBefore(prev *domain.AppliedReorg) *domain.Error {
	by := prev.AppliedByName
	if by == "" {
		by = System.Username
	}
	return domain.Errorf(domain.EConflict, "Phương án này đã được áp dụng lúc %s (phương án số %d, %s, hiệu lực %s, người áp dụng: %s); không áp dụng lại",
		vn.DateTime(prev.AppliedAt), prev.ID, prev.Decision, vn.Date(prev.Date), by)
}

// indexCreates judges the codes the plan creates: well-formed, not in the
// store, not twice in the plan.
func (r *reorgRun) indexCreates() error {
	first := map[string]opRef{}
	for i := range r.p.Create {
		c := &r.p.Create[i]
		a := opRef{domain.ReorgOpCreate, i + 1, c.Row}
		if err := domain.ValidateCode(c.Code); err != nil {
			r.refuse(a, "code", c.Code, "%s", domain.ErrorMessage(err))
			continue
		}
		if prev, dup := first[c.Code]; dup {
			r.refuse(a, "code", c.Code, "Mã tổ chức %s trùng với %s", c.Code, prev)
			continue
		}
		first[c.Code] = a
		o, err := r.org(c.Code)
		if err != nil {
			return err
		}
		if o != nil && !r.me.Sees(o.Path) {
			r.refuse(a, "code", c.Code, "Mã tổ chức %s đã được dùng: đơn vị thành lập mới cần mã khác", c.Code)
			continue
		}
		if o != nil {
			r.refuse(a, "code", c.Code, "Mã tổ chức %s đã được dùng cho %s: đơn vị thành lập mới cần mã khác", c.Code, o.Name)
			continue
		}
		r.creates[c.Code] = c
	}
	return nil
}

// indexSubjects records which operation merges, moves or closes each
// unit: a unit may be the subject of one of them only.
func (r *reorgRun) indexSubjects() {
	add := func(a opRef, field, code string, closing bool) {
		if code == "" {
			return
		}
		if prev, dup := r.subject[code]; dup {
			r.refuse(a, field, code, "%s đã có trong %s: trong một phương án, mỗi đơn vị chỉ được sáp nhập, chuyển hoặc giải thể một lần", code, prev)
			return
		}
		r.subject[code] = a
		r.closing[code] = r.closing[code] || closing
	}
	for i, m := range r.p.Merge {
		for j, code := range m.From {
			add(opRef{domain.ReorgOpMerge, i + 1, mergeRow(m, j)}, "from", code, true)
		}
	}
	for i, m := range r.p.Move {
		add(opRef{domain.ReorgOpMove, i + 1, m.Row}, "unit", m.Unit, false)
	}
	for i, c := range r.p.Close {
		add(opRef{domain.ReorgOpClose, i + 1, c.Row}, "unit", c.Unit, true)
	}
}

// node is a unit an operation puts something under or into: one of the
// store, or one the plan creates.
type node struct {
	org    *domain.Org
	create *domain.ReorgCreate
}

func (n node) ok() bool { return n.org != nil || n.create != nil }

func (n node) ref() ReorgOrg {
	if n.org != nil {
		return ReorgOrg{n.org.Code, n.org.Name}
	}
	return ReorgOrg{n.create.Code, n.create.Name}
}

func (n node) kind() domain.OrgKind {
	if n.org != nil {
		return n.org.Kind
	}
	return n.create.Kind
}

// subjectUnit finds the unit an operation changes (merges, moves, renames or
// closes): a unit of the store, open on the date, in the caller's scope.
// A unit the plan creates, an unknown code and a unit closed by then are
// problems; nil then.
func (r *reorgRun) subjectUnit(a opRef, field, code string) (*domain.Org, error) {
	if code == "" {
		r.refuse(a, field, "", "Cần mã tổ chức (%s)", field)
		return nil, nil
	}
	if r.creates[code] != nil {
		r.refuse(a, field, code, "%s là đơn vị do chính phương án này thành lập: không thể đồng thời %s nó", code, strings.ToLower(domain.ReorgOpNames[a.op]))
		return nil, nil
	}
	o, err := r.org(code)
	if err != nil || o == nil {
		if err == nil {
			r.unknown(a, field, code)
		}
		return nil, err
	}
	if !r.me.Sees(o.Path) {
		r.forbid(a, field, o.Code)
		return nil, nil
	}
	if !r.openOn(a, field, o) {
		return nil, nil
	}
	return o, nil
}

// openOn refuses a unit that does not exist on the plan's date.
func (r *reorgRun) openOn(a opRef, field string, o *domain.Org) bool {
	if r.date.IsZero() || o.OpenOn(r.date) {
		return true
	}
	if o.ValidTo != nil && !r.date.Before(*o.ValidTo) {
		r.refuse(a, field, o.Code, "%s (mã %s) đã giải thể hoặc sáp nhập từ ngày %s: không còn hoạt động vào ngày %s", o.Name, o.Code, vn.Date(*o.ValidTo), vn.Date(r.date))
	} else {
		r.refuse(a, field, o.Code, "%s (mã %s) thành lập ngày %s: chưa hoạt động vào ngày %s", o.Name, o.Code, vn.Date(o.ValidFrom), vn.Date(r.date))
	}
	return false
}

// target finds the unit an operation puts something under or into (a
// parent, the unit merged into, a successor): a unit of the store open on
// the date and in scope, or one the plan creates; in both cases one the
// plan does not close.
func (r *reorgRun) target(a opRef, field, code string) (node, error) {
	if code == "" {
		r.refuse(a, field, "", "Cần mã tổ chức (%s)", field)
		return node{}, nil
	}
	if r.closing[code] {
		r.refuse(a, field, code, "%s bị sáp nhập hoặc giải thể trong chính phương án này (%s): không thể đưa đơn vị hay người vào đó", code, r.subject[code])
		return node{}, nil
	}
	if c := r.creates[code]; c != nil {
		return node{create: c}, nil
	}
	o, err := r.org(code)
	if err != nil || o == nil {
		if err == nil {
			r.unknown(a, field, code)
		}
		return node{}, err
	}
	if !r.me.Sees(o.Path) {
		r.forbid(a, field, o.Code)
		return node{}, nil
	}
	if !r.openOn(a, field, o) {
		return node{}, nil
	}
	return node{org: o}, nil
}

// anchor is the unit of the store a node stands under: itself, or for a
// unit the plan creates the first unit of the store up its chain of
// parents (nil for a new root, or a chain that loops).
func (r *reorgRun) anchor(n node) *domain.Org {
	seen := map[string]bool{}
	for n.org == nil && n.create != nil {
		if seen[n.create.Code] {
			return nil
		}
		seen[n.create.Code] = true
		parent := n.create.Parent
		if c := r.creates[parent]; c != nil {
			n = node{create: c}
			continue
		}
		o := r.orgs[parent]
		if o == nil {
			return nil
		}
		return o
	}
	return n.org
}

// within reports whether the node lies in the subtree of the unit o (o
// itself included).
func (r *reorgRun) within(n node, o *domain.Org) bool {
	x := r.anchor(n)
	return x != nil && o.Contains(x)
}

// checkCreates judges each unit the plan creates: its name, kind and
// sector, and its parent (a unit of the store or one the plan creates, not
// a chapter, and no loop among the plan's new units).
func (r *reorgRun) checkCreates() error {
	for i := range r.p.Create {
		c := &r.p.Create[i]
		a := opRef{domain.ReorgOpCreate, i + 1, c.Row}
		from := r.date
		if from.IsZero() {
			from = domain.Day(2000, 1, 1)
		}
		o := &domain.Org{Code: c.Code, Name: c.Name, Kind: c.Kind, Sector: c.Sector, ValidFrom: from}
		if o.Sector == "" {
			o.Sector = "commune" // the default is judged once the parent is known
		}
		if err := o.Validate(); err != nil {
			if f := errField(err); f != "code" {
				r.refuse(a, f, c.Code, "%s", domain.ErrorMessage(err))
			}
		}
		if c.Parent == "" {
			if r.me.OrgPath != "" {
				r.refuse(a, "parent", c.Code, "%s", domain.ErrorMessage(errRootsByAdmin()))
			}
			continue
		}
		if c.Parent == c.Code {
			r.refuse(a, "parent", c.Code, "Đơn vị %s không thể trực thuộc chính nó", c.Code)
			continue
		}
		p, err := r.target(a, "parent", c.Parent)
		if err != nil {
			return err
		}
		switch {
		case !p.ok():
		case p.kind().IsChapter():
			r.refuse(a, "parent", c.Code, "%s là chi bộ: chi bộ không có đơn vị trực thuộc", p.ref().Name)
		case p.create != nil && r.anchor(p) == nil && r.loops(c):
			r.refuse(a, "parent", c.Code, "Các đơn vị thành lập mới trực thuộc lẫn nhau thành vòng (%s)", c.Code)
		}
	}
	for i := range r.p.Create {
		c := &r.p.Create[i]
		if r.creates[c.Code] != c {
			continue // a code refused above
		}
		u := ReorgUnit{Operation: domain.ReorgOpCreate, Unit: ReorgOrg{c.Code, c.Name}}
		if c.Parent != "" {
			if p := r.creates[c.Parent]; p != nil {
				u.To = &ReorgOrg{p.Code, p.Name}
			} else if o := r.orgs[c.Parent]; o != nil {
				u.To = &ReorgOrg{o.Code, o.Name}
			}
		}
		r.res.Units = append(r.res.Units, u)
	}
	return nil
}

// loops reports whether the chain of parents of a new unit comes back to it.
func (r *reorgRun) loops(c *domain.ReorgCreate) bool {
	seen := map[string]bool{}
	for c != nil && !seen[c.Code] {
		seen[c.Code] = true
		c = r.creates[c.Parent]
	}
	return c != nil
}

// sectorOf is the sector of a new unit: its own, or by default "commune"
// for a province, district or commune committee and its parent's for any
// other unit.
func (r *reorgRun) sectorOf(c *domain.ReorgCreate) domain.Sector {
	if c.Sector != "" {
		return c.Sector
	}
	switch c.Kind {
	case domain.KindProvince, domain.KindDistrict, domain.KindCommune:
		return "commune"
	}
	if p := r.creates[c.Parent]; p != nil && p != c {
		return r.sectorOf(p)
	}
	if o := r.orgs[c.Parent]; o != nil {
		return o.Sector
	}
	return "commune"
}
