package service

import (
	"context"
	"errors"
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

// forbid records that the unit is outside the caller's scope.
func (r *reorgRun) forbid(a opRef, field string, o *domain.Org) {
	r.refuse(a, field, o.Code, "Bạn không có quyền với %s (mã %s): đơn vị này nằm ngoài phạm vi được giao cho tài khoản của bạn", o.Name, o.Code)
	r.res.Problems[len(r.res.Problems)-1].Forbidden = true
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
		r.refuse(a, "date", "", "Ngày hiệu lực %q không hợp lệ: cần một ngày có thật, dạng NNNN-TT-NN trong JSON (ví dụ 2025-07-01), ngày/tháng/năm trong Excel (01/07/2025)", r.p.Date)
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
			r.refuse(a, field, code, "Không tìm thấy tổ chức mã %s", code)
		}
		return nil, err
	}
	if !r.me.Sees(o.Path) {
		r.forbid(a, field, o)
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
			r.refuse(a, field, code, "Không tìm thấy tổ chức mã %s", code)
		}
		return node{}, err
	}
	if !r.me.Sees(o.Path) {
		r.forbid(a, field, o)
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

// checkRenames judges each renaming: an open unit of the scope, not
// merged or closed by the plan, renamed once, to a valid name.
func (r *reorgRun) checkRenames() error {
	first := map[string]opRef{}
	for i, x := range r.p.Rename {
		a := opRef{domain.ReorgOpRename, i + 1, x.Row}
		if prev, dup := first[x.Unit]; dup && x.Unit != "" {
			r.refuse(a, "unit", x.Unit, "%s đã được đổi tên ở %s", x.Unit, prev)
			continue
		}
		first[x.Unit] = a
		switch n := len([]rune(x.Name)); {
		case n == 0:
			r.refuse(a, "name", x.Unit, "Cần tên mới (name)")
		case n > 200:
			r.refuse(a, "name", x.Unit, "Tên tổ chức quá dài (tối đa 200 ký tự)")
		}
		o, err := r.subjectUnit(a, "unit", x.Unit)
		if err != nil {
			return err
		}
		if o == nil {
			continue
		}
		if r.closing[o.Code] {
			r.refuse(a, "unit", o.Code, "%s bị sáp nhập hoặc giải thể trong chính phương án này (%s): không đổi tên", o.Name, r.subject[o.Code])
			continue
		}
		r.res.Units = append(r.res.Units, ReorgUnit{Operation: domain.ReorgOpRename, Unit: ReorgOrg{o.Code, o.Name}, Name: x.Name})
	}
	return nil
}

// checkMoves judges each move: an open unit of the scope under a new
// parent that is not a chapter, not the unit itself or below it, not its
// parent already, and no place of the unit's subtree or of the new
// parent's line dated after the plan.
func (r *reorgRun) checkMoves() error {
	for i, m := range r.p.Move {
		a := opRef{domain.ReorgOpMove, i + 1, m.Row}
		if first, ok := r.subject[m.Unit]; ok && first != a {
			continue // named twice: reported once
		}
		o, err := r.subjectUnit(a, "unit", m.Unit)
		if err != nil {
			return err
		}
		to, err := r.target(a, "to", m.To)
		if err != nil {
			return err
		}
		if o == nil || !to.ok() {
			continue
		}
		switch {
		case to.kind().IsChapter():
			r.refuse(a, "to", m.To, "%s là chi bộ: không thể chuyển %s về trực thuộc một chi bộ", to.ref().Name, o.Name)
			continue
		case r.within(to, o):
			r.refuse(a, "to", m.To, "Không thể chuyển %s về trực thuộc %s: %s nằm trong chính %s", o.Name, to.ref().Name, to.ref().Name, o.Name)
			continue
		case to.org != nil && to.org.ID == o.ParentID:
			r.refuse(a, "to", m.To, "%s đã trực thuộc %s", o.Name, to.org.Name)
			continue
		}
		if err := r.inDateOrder(a, "unit", o); err != nil {
			return err
		}
		if err := r.lineInDateOrder(a, "to", to, o.Name); err != nil {
			return err
		}
		c, err := r.s.store.CountHoldings(r.ctx, nil, []string{o.Path})
		if err != nil {
			return err
		}
		to1 := to.ref()
		r.res.Units = append(r.res.Units, ReorgUnit{Operation: domain.ReorgOpMove, Unit: ReorgOrg{o.Code, o.Name}, To: &to1, ReorgCounts: counts(c)})
	}
	return nil
}

// inDateOrder refuses to move the unit o (with its subtree) on the plan's
// date when a unit of its subtree was placed later: reorganisations are
// recorded in date order.
func (r *reorgRun) inDateOrder(a opRef, field string, o *domain.Org) error {
	if r.date.IsZero() {
		return nil
	}
	latest, err := r.s.store.LatestLinkUnder(r.ctx, o.Path)
	if err != nil {
		return err
	}
	if latest.After(r.date) {
		r.refuse(a, field, o.Code, "%s (hoặc một đơn vị trực thuộc) đã được sắp xếp lại từ ngày %s: không thể chuyển nó từ ngày %s (hãy áp dụng các phương án theo thứ tự ngày)",
			o.Name, vn.Date(latest), vn.Date(r.date))
	}
	return nil
}

// lineInDateOrder refuses to put a unit under the node on the plan's date
// when the node or a unit above it was placed later.
func (r *reorgRun) lineInDateOrder(a opRef, field string, n node, what string) error {
	x := r.anchor(n)
	if r.date.IsZero() || x == nil {
		return nil
	}
	latest, err := r.s.store.LatestLinkAbove(r.ctx, x.Path)
	if err != nil {
		return err
	}
	if latest.After(r.date) {
		r.refuse(a, field, n.ref().Code, "%s (hoặc cấp trên của nó) đã được sắp xếp lại từ ngày %s: không thể đưa %s vào đó từ ngày %s (hãy áp dụng các phương án theo thứ tự ngày)",
			n.ref().Name, vn.Date(latest), what, vn.Date(r.date))
	}
	return nil
}

// children returns the child units of o that still exist on or after the
// plan's date and that the plan does not itself merge, move or close:
// those a merger carries along, and those that stop a closing.
func (r *reorgRun) children(o *domain.Org) ([]*domain.Org, error) {
	if k, ok := r.kids[o.ID]; ok {
		return k, nil
	}
	all, err := r.s.store.Children(r.ctx, o.ID, time.Time{})
	if err != nil {
		return nil, err
	}
	var out []*domain.Org
	for _, k := range all {
		if _, planned := r.subject[k.Code]; planned {
			continue
		}
		if k.ValidTo == nil || r.date.IsZero() || k.ValidTo.After(r.date) {
			out = append(out, k)
		}
	}
	r.kids[o.ID] = out
	return out, nil
}

// holdings returns what the unit holds directly.
func (r *reorgRun) holdings(o *domain.Org) (*store.Holdings, error) {
	if h := r.holds[o.ID]; h != nil {
		return h, nil
	}
	h, err := r.s.store.HoldingsOf(r.ctx, o.ID)
	if err != nil {
		return nil, err
	}
	r.holds[o.ID] = h
	return h, nil
}

// mergeRow is the workbook row of the j-th unit merged by m.
func mergeRow(m domain.ReorgMerge, j int) int {
	if j < len(m.FromRows) && m.FromRows[j] > 0 {
		return m.FromRows[j]
	}
	return m.Row
}

// errField is the field an application error names, "" when none.
func errField(err error) string {
	if e, ok := errors.AsType[*domain.Error](err); ok {
		return e.Field
	}
	return ""
}

// checkMerges judges each merger: units of the scope open on the date,
// merged into a unit of the same level (a chapter into a chapter, a
// committee into a committee) that is not inside any of them, their
// children movable on the date, and no target left to a unit that closes.
func (r *reorgRun) checkMerges() error {
	for i, m := range r.p.Merge {
		a := opRef{domain.ReorgOpMerge, i + 1, m.Row}
		if len(m.From) == 0 {
			r.refuse(a, "from", m.Into, "Cần ít nhất một đơn vị bị sáp nhập (from)")
		}
		into, err := r.target(a, "into", m.Into)
		if err != nil {
			return err
		}
		if into.ok() && len(m.From) > 0 {
			if err := r.lineInDateOrder(a, "into", into, "các đơn vị trực thuộc của đơn vị bị sáp nhập"); err != nil {
				return err
			}
		}
		for j, code := range m.From {
			aj := opRef{a.op, a.item, mergeRow(m, j)}
			if code != "" && code == m.Into {
				r.refuse(aj, "from", code, "Đơn vị %s không thể sáp nhập vào chính nó", code)
				continue
			}
			if first, ok := r.subject[code]; ok && first != aj {
				continue // named twice: reported once
			}
			o, err := r.subjectUnit(aj, "from", code)
			if err != nil {
				return err
			}
			if o == nil {
				continue
			}
			if err := r.checkMerged(aj, o, into); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkMerged judges the unit o merged into the node into, and adds what
// moves to the summary.
func (r *reorgRun) checkMerged(a opRef, o *domain.Org, into node) error {
	r.notFoundedOnDate(a, "from", o)
	if into.ok() {
		switch {
		case o.Kind.IsChapter() != into.kind().IsChapter():
			r.refuse(a, "into", into.ref().Code, "Không thể sáp nhập %s (%s) vào %s (%s): chi bộ sáp nhập vào chi bộ, đảng bộ vào đảng bộ",
				o.Name, lowerInitial(o.Kind.Name()), into.ref().Name, lowerInitial(into.kind().Name()))
		case r.within(into, o):
			r.refuse(a, "into", into.ref().Code, "Không thể sáp nhập %s vào %s: %s nằm trong chính %s", o.Name, into.ref().Name, into.ref().Name, o.Name)
		}
	}
	kids, err := r.children(o)
	if err != nil {
		return err
	}
	codes := make([]string, 0, len(kids))
	paths := make([]string, 0, len(kids))
	for _, k := range kids {
		if err := r.inDateOrder(a, "from", k); err != nil {
			return err
		}
		codes, paths = append(codes, k.Code), append(paths, k.Path)
	}
	if err := r.orphanTargets(a, "from", o); err != nil {
		return err
	}
	if _, err := r.holdings(o); err != nil {
		return err
	}
	// what moves: the unit's own holdings and everything under the child
	// units that follow it (the unit itself closes: it is not counted)
	c, err := r.s.store.CountHoldings(r.ctx, []int64{o.ID}, paths)
	if err != nil {
		return err
	}
	c.Units--
	u := ReorgUnit{Operation: domain.ReorgOpMerge, Unit: ReorgOrg{o.Code, o.Name}, Children: codes, ReorgCounts: counts(c)}
	if into.ok() {
		to := into.ref()
		u.To = &to
	}
	r.res.Units = append(r.res.Units, u)
	return nil
}

// checkCloses judges each closing: a unit of the scope open on the date
// whose children are all merged or moved away by the plan, that holds no
// people (struck-off and departed members stay as its history), no open
// case, no village and no school, whose targets end before the date, with
// a successor (optional) that stays open.
func (r *reorgRun) checkCloses() error {
	for i, c := range r.p.Close {
		a := opRef{domain.ReorgOpClose, i + 1, c.Row}
		if first, ok := r.subject[c.Unit]; ok && first != a {
			continue // named twice: reported once
		}
		o, err := r.subjectUnit(a, "unit", c.Unit)
		if err != nil {
			return err
		}
		var succ node
		if c.Successor != "" {
			if c.Successor == c.Unit {
				r.refuse(a, "successor", c.Successor, "%s", domain.ErrorMessage(errSelfSuccessor()))
			} else if succ, err = r.target(a, "successor", c.Successor); err != nil {
				return err
			}
		}
		if o == nil {
			continue
		}
		r.notFoundedOnDate(a, "unit", o)
		if succ.ok() && r.within(succ, o) {
			r.refuse(a, "successor", c.Successor, "Đơn vị kế thừa %s nằm trong chính %s, đơn vị giải thể", succ.ref().Name, o.Name)
		}
		if err := r.checkEmpty(a, o); err != nil {
			return err
		}
		if err := r.orphanTargets(a, "unit", o); err != nil {
			return err
		}
		u := ReorgUnit{Operation: domain.ReorgOpClose, Unit: ReorgOrg{o.Code, o.Name}}
		if succ.ok() {
			to := succ.ref()
			u.To = &to
		}
		r.res.Units = append(r.res.Units, u)
	}
	return nil
}

// checkEmpty refuses to close a unit that would still hold children,
// people, open cases, villages or schools after the plan's mergers and
// moves.
func (r *reorgRun) checkEmpty(a opRef, o *domain.Org) error {
	kids, err := r.children(o)
	if err != nil {
		return err
	}
	if len(kids) > 0 {
		names := make([]string, 0, 3)
		for _, k := range kids[:min(len(kids), 3)] {
			names = append(names, k.Name+" ("+k.Code+")")
		}
		more := ""
		if len(kids) > 3 {
			more = ", …"
		}
		r.refuse(a, "unit", o.Code, "Chưa thể giải thể %s: còn %d đơn vị trực thuộc chưa được sáp nhập hoặc chuyển đi trong phương án (%s%s)",
			o.Name, len(kids), strings.Join(names, ", "), more)
	}
	h, err := r.holdings(o)
	if err != nil {
		return err
	}
	hint := "hãy sáp nhập đơn vị này vào đơn vị khác (merge) thay vì giải thể"
	if h.Active > 0 {
		r.refuse(a, "unit", o.Code, "Chưa thể giải thể %s: còn %s người (quần chúng, đảng viên) sinh hoạt tại đây; %s", o.Name, vn.Int(h.Active), hint)
	}
	if n := len(h.OpenCases); n > 0 {
		r.refuse(a, "unit", o.Code, "Chưa thể giải thể %s: còn %s hồ sơ kết nạp đang mở; %s", o.Name, vn.Int(n), hint)
	}
	if n := len(h.Places); n > 0 {
		r.refuse(a, "unit", o.Code, "Chưa thể giải thể %s: còn %s thôn, buôn, tổ dân phố thuộc đơn vị này; %s", o.Name, vn.Int(n), hint)
	}
	if n := len(h.Schools); n > 0 {
		r.refuse(a, "unit", o.Code, "Chưa thể giải thể %s: còn %s trường học gắn với đơn vị này; %s", o.Name, vn.Int(n), hint)
	}
	return nil
}

// orphanTargets refuses to close a unit that holds a quota or plan of the
// date's year or later whose deadline is on or after the date (a target
// without a deadline runs to the end of its year): nobody would carry it.
func (r *reorgRun) orphanTargets(a opRef, field string, o *domain.Org) error {
	if r.date.IsZero() {
		return nil
	}
	ts, err := r.s.store.TargetsFrom(r.ctx, o.ID, r.date.Year())
	if err != nil {
		return err
	}
	for _, t := range ts {
		due := domain.Day(t.Year, time.December, 31)
		if t.Deadline != nil {
			due = *t.Deadline
		}
		if due.Before(r.date) {
			continue
		}
		what := "Chỉ tiêu"
		if t.Kind == domain.TargetPlan {
			what = "Kế hoạch"
		}
		r.refuse(a, field, o.Code, "%s năm %d của %s (%s, hạn %s) sẽ không còn đơn vị thực hiện khi %s thôi hoạt động ngày %s: hãy giao lại cho đơn vị kế thừa hoặc xóa trước khi áp dụng",
			what, t.Year, o.Name, vn.Int(t.Value), vn.Date(due), o.Name, vn.Date(r.date))
	}
	return nil
}

// counts are the store's counts as a summary gives them.
func counts(c store.HoldingCounts) ReorgCounts {
	return ReorgCounts{Units: c.Units, People: c.People, OpenCases: c.OpenCases, ResidentialUnits: c.Places, Schools: c.Schools, Users: c.Users}
}

// notFoundedOnDate refuses to close a unit on the day it was founded (it
// would never have existed).
func (r *reorgRun) notFoundedOnDate(a opRef, field string, o *domain.Org) {
	if !r.date.IsZero() && o.ValidFrom.Equal(r.date) {
		r.refuse(a, field, o.Code, "%s thành lập đúng ngày %s: không thể sáp nhập hay giải thể nó ngay trong ngày đó", o.Name, vn.Date(r.date))
	}
}
