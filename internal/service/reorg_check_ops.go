package service

import (
	"errors"
	"strings"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/store"
	"ketnap/internal/vn"
)

// The checks of each operation of a plan after the creations: renames,
// moves, merges and closes, with what each would carry.

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
