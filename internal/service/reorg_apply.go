package service

import (
	"encoding/json"
	"errors"
	"slices"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/store"
)

// The writes of a reorganisation plan judged without problems, in the
// order of reorg.go, inside the transaction of ApplyReorg.

// errStopped ends the writes when the store refused one (its message is
// then a problem of the plan): the transaction is rolled back.
var errStopped = errors.New("service: reorganisation stopped")

// reorgAudit is what one operation moved, as the audit record lists it.
type reorgAudit struct {
	Operation        string   `json:"operation"`
	Unit             string   `json:"unit"`
	To               string   `json:"to,omitempty"`
	Name             string   `json:"name,omitempty"`
	Units            []string `json:"units,omitempty"`
	People           []int64  `json:"people,omitempty"`
	OpenCases        []int64  `json:"open_cases,omitempty"`
	ResidentialUnits []int64  `json:"residential_units,omitempty"`
	Schools          []int64  `json:"schools,omitempty"`
	Users            []int64  `json:"users,omitempty"`
}

// stop turns a refusal of the store into a problem of the operation a
// (and errStopped); any other failure is returned as it is.
func (r *reorgRun) stop(a opRef, code string, err error) error {
	if domain.ErrorCode(err) == domain.EInternal {
		return err
	}
	r.refuse(a, errField(err), code, "%s", domain.ErrorMessage(err))
	return errStopped
}

// apply writes the plan. A refusal of the store becomes a problem and ends
// the writes (the caller rolls back).
func (r *reorgRun) apply() error {
	for _, step := range []func() error{r.applyCreates, r.applyRenames, r.applyMoves, r.applyMerges, r.applyCloses, r.carryAuthorities, r.refreshCases} {
		if err := step(); err != nil {
			if errors.Is(err, errStopped) {
				return nil
			}
			return err
		}
	}
	return nil
}

// unit is the unit with the code, of the store or created by the plan.
func (r *reorgRun) unit(code string) *domain.Org {
	if o := r.created[code]; o != nil {
		return o
	}
	return r.orgs[code]
}

// applyCreates opens the new units on the date, each after its parent.
func (r *reorgRun) applyCreates() error {
	done := map[string]bool{}
	for len(done) < len(r.p.Create) {
		progress := false
		for i := range r.p.Create {
			c := &r.p.Create[i]
			if done[c.Code] || (r.creates[c.Parent] != nil && !done[c.Parent]) {
				continue
			}
			done[c.Code], progress = true, true
			o := &domain.Org{Code: c.Code, Name: c.Name, Kind: c.Kind, Sector: r.sectorOf(c), ValidFrom: r.date}
			if c.Parent != "" {
				o.ParentID = r.unit(c.Parent).ID
			}
			if err := r.s.store.CreateOrg(r.ctx, o); err != nil {
				return r.stop(opRef{domain.ReorgOpCreate, i + 1, c.Row}, c.Code, err)
			}
			r.created[c.Code] = o
			r.moved = append(r.moved, reorgAudit{Operation: domain.ReorgOpCreate, Unit: c.Code, To: c.Parent, Name: c.Name})
		}
		if !progress {
			return errors.New("service: the plan's new units loop") // judged before: cannot happen
		}
	}
	return nil
}

// applyRenames renames the units.
func (r *reorgRun) applyRenames() error {
	for i, x := range r.p.Rename {
		o := r.unit(x.Unit)
		if err := r.s.store.RenameOrg(r.ctx, o.ID, x.Name, r.date); err != nil {
			return r.stop(opRef{domain.ReorgOpRename, i + 1, x.Row}, x.Unit, err)
		}
		r.moved = append(r.moved, reorgAudit{Operation: domain.ReorgOpRename, Unit: x.Unit, Name: x.Name})
	}
	return nil
}

// applyMoves puts each unit moved, with its subtree, under its new parent
// from the date.
func (r *reorgRun) applyMoves() error {
	for i, m := range r.p.Move {
		o, to := r.unit(m.Unit), r.unit(m.To)
		if err := r.s.store.MoveOrg(r.ctx, o.ID, to.ID, r.date); err != nil {
			return r.stop(opRef{domain.ReorgOpMove, i + 1, m.Row}, m.Unit, err)
		}
		r.authTop = append(r.authTop, o.Code)
		r.moved = append(r.moved, reorgAudit{Operation: domain.ReorgOpMove, Unit: m.Unit, To: m.To})
	}
	return nil
}

// applyMerges moves the child units and the holdings of each unit merged
// to the unit it merges into, and closes it with that unit as successor.
func (r *reorgRun) applyMerges() error {
	for i, m := range r.p.Merge {
		into := r.unit(m.Into)
		for j, code := range m.From {
			a := opRef{domain.ReorgOpMerge, i + 1, mergeRow(m, j)}
			o := r.unit(code)
			kids := r.kids[o.ID]
			codes := make([]string, 0, len(kids))
			for _, k := range kids {
				if err := r.s.store.MoveOrg(r.ctx, k.ID, into.ID, r.date); err != nil {
					return r.stop(a, k.Code, err)
				}
				codes = append(codes, k.Code)
				r.authTop = append(r.authTop, k.Code)
			}
			h := r.holds[o.ID]
			if err := r.s.store.MoveHoldings(r.ctx, o.ID, into.ID, r.date, r.s.Now()); err != nil {
				return r.stop(a, code, err)
			}
			if err := r.s.store.CloseOrg(r.ctx, o.ID, r.date, into.ID); err != nil {
				return r.stop(a, code, err)
			}
			r.touched = append(r.touched, code)
			r.moved = append(r.moved, reorgAudit{Operation: domain.ReorgOpMerge, Unit: code, To: m.Into, Units: codes,
				People: h.People, OpenCases: h.OpenCases, ResidentialUnits: h.Places, Schools: h.Schools, Users: h.Users})
		}
	}
	return nil
}

// applyCloses closes the units closed, with their successors.
func (r *reorgRun) applyCloses() error {
	for i, c := range r.p.Close {
		o := r.unit(c.Unit)
		var succ int64
		if c.Successor != "" {
			succ = r.unit(c.Successor).ID
		}
		if err := r.s.store.CloseOrg(r.ctx, o.ID, r.date, succ); err != nil {
			return r.stop(opRef{domain.ReorgOpClose, i + 1, c.Row}, c.Unit, err)
		}
		r.moved = append(r.moved, reorgAudit{Operation: domain.ReorgOpClose, Unit: c.Unit, To: c.Successor})
	}
	return nil
}

// carryAuthorities gives a new admission-authority record from the date to
// each unit that changed place and whose own record in force names as
// decider a body no longer above it: the nearest district, commune or
// province committee above it in the new tree decides (the tree's
// default), with the same intermediate steps.
func (r *reorgRun) carryAuthorities() error {
	for _, code := range r.authTop {
		top, err := r.s.store.GetOrgByCode(r.ctx, code)
		if err != nil {
			return err
		}
		recs, err := r.s.store.AuthoritiesUnder(r.ctx, top.Path, r.date)
		if err != nil {
			return err
		}
		if len(recs) == 0 {
			continue
		}
		sub, err := r.s.store.Subtree(r.ctx, top.Path, time.Time{})
		if err != nil {
			return err
		}
		above, err := r.s.store.OrgsByIDs(r.ctx, store.PathIDs(top.Path))
		if err != nil {
			return err
		}
		byID := map[int64]*domain.Org{}
		for _, o := range append(above, sub...) {
			byID[o.ID] = o
		}
		for _, a := range recs {
			u := byID[a.OrgID]
			if u == nil {
				continue
			}
			ids := store.PathIDs(u.Path)
			if slices.Contains(ids, a.DeciderID) {
				continue
			}
			b := domain.Authority{OrgID: u.ID, ValidFrom: r.date, DeciderID: defaultDecider(ids, byID),
				SubCommittee: a.SubCommittee, GrassrootsLevel: a.GrassrootsLevel}
			if err := r.s.store.SetAuthority(r.ctx, &b); err != nil {
				return err
			}
			r.res.Totals.Authorities++
		}
	}
	return nil
}

// defaultDecider is the body that decides for the unit at the end of ids
// when no record says otherwise: the nearest district, commune or province
// committee above it, else the root (as ladderOf's default reads the tree).
func defaultDecider(ids []int64, byID map[int64]*domain.Org) int64 {
	for i := len(ids) - 2; i >= 0; i-- {
		if o := byID[ids[i]]; o != nil {
			switch o.Kind {
			case domain.KindDistrict, domain.KindCommune, domain.KindProvince:
				return o.ID
			}
		}
	}
	return ids[0]
}

// refreshCases recomputes the next step and the deadlines of every open
// case that moved: those of the units merged (now in the unit they merged
// into) and those under the units that changed place.
func (r *reorgRun) refreshCases() error {
	seen := map[int64]bool{}
	var people []int64
	add := func(ids []int64) {
		for _, id := range ids {
			if !seen[id] {
				seen[id] = true
				people = append(people, id)
			}
		}
	}
	for _, code := range r.touched {
		add(r.holds[r.unit(code).ID].CasePeople)
	}
	for _, code := range r.authTop {
		o, err := r.s.store.GetOrgByCode(r.ctx, code)
		if err != nil {
			return err
		}
		ids, err := r.s.store.OpenCasePeopleUnder(r.ctx, o.Path)
		if err != nil {
			return err
		}
		add(ids)
	}
	if err := r.s.RefreshCases(r.ctx, people...); err != nil {
		return err
	}
	r.res.Totals.CasesRefreshed = len(people)
	return nil
}

// record keeps the applied plan with its summary and writes the audit
// record of what moved.
func (r *reorgRun) record() error {
	now := r.s.Now()
	r.res.Applied, r.res.AppliedAt = true, &now
	summary, err := json.Marshal(struct {
		Decision   string      `json:"decision"`
		Date       string      `json:"date"`
		Operations ReorgOps    `json:"operations"`
		Totals     ReorgTotals `json:"totals"`
		Units      []ReorgUnit `json:"units"`
	}{r.res.Decision, r.res.Date, r.res.Operations, r.res.Totals, r.res.Units})
	if err != nil {
		return err
	}
	p := &domain.AppliedReorg{SHA256: r.sha, Decision: r.p.Decision, Date: r.date, Plan: string(r.p.Canonical()), Summary: string(summary),
		AppliedAt: now, AppliedBy: r.me.ID, AppliedByName: r.me.Username}
	if err := r.s.store.AddReorgPlan(r.ctx, p); err != nil {
		if errors.Is(err, &store.ErrDuplicate{}) {
			// applied meanwhile by another request
			r.res.Applied, r.res.AppliedAt = false, nil
			r.refuse(opRef{op: domain.ReorgOpPlan}, "", "", "Phương án này vừa được áp dụng bởi một yêu cầu khác; không áp dụng lại")
			r.res.Problems[len(r.res.Problems)-1].Conflict = true
			return errRollback
		}
		return err
	}
	r.res.PlanID = p.ID
	return r.s.audit(r.ctx, r.s.store, r.me, "reorg", "reorg", p.ID, map[string]any{
		"decision": r.p.Decision, "date": r.p.Date, "sha256": r.sha,
		"operations": r.res.Operations, "totals": r.res.Totals, "moved": r.moved})
}
