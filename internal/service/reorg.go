package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/store"
	"ketnap/internal/vn"
)

// A reorganisation as the product's own operation (issue 12, item 2;
// CONTRACT "Reorganisation plan"; DOMAIN §2): one plan, one legal decision,
// applied on its date in one transaction or not at all.
//
// Inside a plan the operations run in this order, whatever order the file
// gives them in:
//
//  1. create: the new units open on the date (a parent before its children,
//     so a plan may create a commune and the chapters under it);
//  2. rename;
//  3. move: a unit takes a new parent from the date, with its subtree, its
//     people, cases and history (org_links);
//  4. merge: each unit merged closes on the date with the unit it merges
//     into as its successor; its child units move under that unit (as in
//     3), and its people, open cases, residential units, schools and the
//     users bound to it go there too;
//  5. close: a unit whose children have all been merged or moved away by
//     then closes on the date.
//
// Then the admission authorities of the units that changed place are
// carried over (a unit's own authority record that names as decider a body
// that is no longer above it gets a new record from the date, naming the
// nearest committee above it in the new tree, as the tree's default would),
// and every open case of the units that moved or received cases has its
// next step and deadlines recomputed (RefreshCases), so that after the date
// they name the new deciding body. A case moved by a merger keeps its facts
// and its history: it is not a candidate's personal transfer (no
// case_transfers row, no new helper, no 30-working-day transfer deadline).
// The plan is recorded (table reorg_plans, with its summary) and one audit
// record lists what moved.
//
// Every problem of the plan is reported at once and nothing is written
// when there is one. A dry run judges the plan, then applies it in a
// transaction that it rolls back, so that it reports exactly what the real
// run would do.

// ReorgOptions change how a plan is applied.
type ReorgOptions struct {
	DryRun bool // judge and report, write nothing
}

// ReorgOrg is a unit as a summary names it.
type ReorgOrg struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// ReorgOps counts the operations of a plan.
type ReorgOps struct {
	Create int `json:"create"`
	Merge  int `json:"merge"` // units merged (each unit of each from list)
	Move   int `json:"move"`
	Rename int `json:"rename"`
	Close  int `json:"close"`
}

// ReorgCounts are what moves, per kind.
type ReorgCounts struct {
	Units            int `json:"units"`             // units under a new parent (a move counts its whole subtree)
	People           int `json:"people"`            // people whose unit changes (or who move with their unit)
	OpenCases        int `json:"open_cases"`        // open admission cases likewise
	ResidentialUnits int `json:"residential_units"` // villages and residential groups
	Schools          int `json:"schools"`
	Users            int `json:"users"` // users whose scope moves
}

func (c *ReorgCounts) add(o ReorgCounts) {
	c.Units += o.Units
	c.People += o.People
	c.OpenCases += o.OpenCases
	c.ResidentialUnits += o.ResidentialUnits
	c.Schools += o.Schools
	c.Users += o.Users
}

// Text writes the counts: "3 đơn vị, 120 người, 4 hồ sơ đang mở, …".
func (c ReorgCounts) Text() string {
	return fmt.Sprintf("%s đơn vị, %s người, %s hồ sơ đang mở, %s thôn/buôn/tổ dân phố, %s trường học, %s tài khoản",
		vn.Int(c.Units), vn.Int(c.People), vn.Int(c.OpenCases), vn.Int(c.ResidentialUnits), vn.Int(c.Schools), vn.Int(c.Users))
}

// ReorgTotals are the plan's counts, and what the writes recomputed.
type ReorgTotals struct {
	ReorgCounts
	// Authorities is how many admission-authority records were carried
	// over to the new tree; CasesRefreshed how many open cases had their
	// next step and deadlines recomputed. Both are known when the plan
	// was applied (or rehearsed by a dry run without problems).
	Authorities    int `json:"authorities"`
	CasesRefreshed int `json:"cases_refreshed"`
}

// ReorgUnit is what one operation does to one unit: the unit, where it
// goes (the new parent of a create or a move, the unit a merged one goes
// into, the successor of a closed one), its new name (rename), the child
// units that follow a merger, and the counts of what moves.
type ReorgUnit struct {
	Operation string    `json:"operation"`
	Unit      ReorgOrg  `json:"unit"`
	To        *ReorgOrg `json:"to,omitempty"`
	Name      string    `json:"name,omitempty"`
	Children  []string  `json:"children,omitempty"`
	ReorgCounts
}

// Text describes what the operation does to the unit, in Vietnamese.
func (u ReorgUnit) Text() string {
	name := func(o ReorgOrg) string { return o.Name + " (" + o.Code + ")" }
	to := ""
	if u.To != nil {
		to = name(*u.To)
	}
	switch u.Operation {
	case domain.ReorgOpCreate:
		if to == "" {
			return "Thành lập " + name(u.Unit) + ", cấp trên cùng"
		}
		return "Thành lập " + name(u.Unit) + " trực thuộc " + to
	case domain.ReorgOpRename:
		return "Đổi tên " + name(u.Unit) + " thành " + u.Name
	case domain.ReorgOpMove:
		return "Chuyển " + name(u.Unit) + " về trực thuộc " + to + ": " + u.ReorgCounts.Text()
	case domain.ReorgOpMerge:
		return "Sáp nhập " + name(u.Unit) + " vào " + to + ": " + u.ReorgCounts.Text()
	case domain.ReorgOpClose:
		if to == "" {
			return "Giải thể " + name(u.Unit)
		}
		return "Giải thể " + name(u.Unit) + ", đơn vị kế thừa " + to
	}
	return name(u.Unit)
}

// ReorgResult is what a plan did, or would do (DryRun), and every problem
// that stops it (nothing written when there is one).
type ReorgResult struct {
	Decision   string                `json:"decision"`
	Date       string                `json:"date"`
	DryRun     bool                  `json:"dry_run"`
	Applied    bool                  `json:"applied"`
	PlanID     int64                 `json:"plan_id,omitempty"`
	AppliedAt  *time.Time            `json:"applied_at,omitempty"`
	Operations ReorgOps              `json:"operations"`
	Totals     ReorgTotals           `json:"totals"`
	Units      []ReorgUnit           `json:"units"`
	Problems   []domain.ReorgProblem `json:"problems"`
}

// OK reports whether the plan has no problem.
func (r *ReorgResult) OK() bool { return len(r.Problems) == 0 }

// Forbidden reports whether a problem names a unit outside the caller's
// scope (the API answers 403).
func (r *ReorgResult) Forbidden() bool {
	for _, p := range r.Problems {
		if p.Forbidden {
			return true
		}
	}
	return false
}

// Status is the HTTP status of the result: 200 when it has no problem, 403
// when a unit named is outside the caller's scope, 409 for a plan applied
// before, 422 otherwise.
func (r *ReorgResult) Status() int {
	switch {
	case r.OK():
		return 200
	case r.Forbidden():
		return 403
	}
	for _, p := range r.Problems {
		if p.Conflict {
			return 409
		}
	}
	return 422
}

// RefusedReorg is the result of a plan file that could not be read: its
// problems (a workbook's missing sheet, a formula), nothing judged.
func RefusedReorg(problems []domain.ReorgProblem, dryRun bool) *ReorgResult {
	return &ReorgResult{DryRun: dryRun, Units: []ReorgUnit{}, Problems: problems}
}

// MayReorg refuses a caller who may not apply reorganisation plans: only
// administrators may (a system administrator anywhere; an administrator
// bound to a unit within that unit's subtree).
func (s *Service) MayReorg(ctx context.Context) error {
	me, err := actor(ctx)
	if err != nil {
		return err
	}
	if me.Role != domain.RoleAdmin {
		return domain.Errorf(domain.EForbidden, "Chỉ quản trị viên mới được áp dụng phương án sắp xếp tổ chức; vai trò %s thì không", domain.RoleName(me.Role))
	}
	return nil
}

// CanReorg reports whether the user may apply reorganisation plans.
func CanReorg(u *domain.User) bool { return u != nil && u.Active && u.Role == domain.RoleAdmin }

// errRollback ends the transaction of a refused plan or a dry run.
var errRollback = errors.New("service: reorganisation rolled back")

// ApplyReorg judges the plan and, when it has no problem and this is not a
// dry run, applies it in one transaction (see the order above). Problems
// are in the result; the error is for a caller who may not reorganise and
// for failures that are not the plan's fault. Texts of the plan (decision,
// names) are normalised in place.
func (s *Service) ApplyReorg(ctx context.Context, plan *domain.ReorgPlan, opt ReorgOptions) (*ReorgResult, error) {
	if err := s.MayReorg(ctx); err != nil {
		return nil, err
	}
	me := UserFrom(ctx)
	plan.Normalise()
	plan.Decision = vn.Clean(plan.Decision)
	for i := range plan.Create {
		plan.Create[i].Name = vn.Clean(plan.Create[i].Name)
	}
	for i := range plan.Rename {
		plan.Rename[i].Name = vn.Clean(plan.Rename[i].Name)
	}
	var res *ReorgResult
	err := s.store.Tx(ctx, func(tx *store.Store) error {
		r := newReorgRun(ctx, s.in(tx), me, plan, opt)
		res = r.res
		if err := r.check(); err != nil {
			return err
		}
		if !res.OK() {
			return errRollback
		}
		if err := r.apply(); err != nil {
			return err
		}
		if !res.OK() {
			// the store refused a write: nothing was carried over or recomputed
			res.Totals.Authorities, res.Totals.CasesRefreshed = 0, 0
			return errRollback
		}
		if opt.DryRun {
			return errRollback
		}
		return r.record()
	})
	if err != nil && !errors.Is(err, errRollback) {
		return nil, err
	}
	return res, nil
}

// planSHA is the SHA-256 of the plan's canonical JSON.
func planSHA(p *domain.ReorgPlan) string {
	sum := sha256.Sum256(p.Canonical())
	return hex.EncodeToString(sum[:])
}

// AppliedReorgView is an applied plan as the reorganisation page lists it.
type AppliedReorgView struct {
	*domain.AppliedReorg
	Operations ReorgOps
	Totals     ReorgTotals
}

// ReorgPlans lists the plans applied, the latest first (at most limit),
// for administrators.
func (s *Service) ReorgPlans(ctx context.Context, limit int) ([]AppliedReorgView, error) {
	if err := s.MayReorg(ctx); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 200 {
		limit = 20
	}
	plans, err := s.store.ReorgPlans(ctx, limit)
	if err != nil {
		return nil, err
	}
	out := make([]AppliedReorgView, 0, len(plans))
	for _, p := range plans {
		v := AppliedReorgView{AppliedReorg: p}
		var sum ReorgResult
		if err := json.Unmarshal([]byte(p.Summary), &sum); err == nil {
			v.Operations, v.Totals = sum.Operations, sum.Totals
		}
		out = append(out, v)
	}
	return out, nil
}
