package service

import (
	"context"
	"errors"
	"maps"
	"slices"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/store"
)

// TargetImportRow is one row of a targets file as the file gives it: a
// unit's quota or plan for a year. The problems name the fields org, year,
// kind, value, deadline and breakdown.<key> (a key of domain.BreakdownKeys).
type TargetImportRow struct {
	Line     int // the row's number in the file, for the messages that name it
	OrgCode  string
	Year     int
	Kind     string // domain.TargetQuota or domain.TargetPlan
	Value    int
	Deadline *time.Time
	// Breakdown holds the breakdown lines whose columns the file has, by
	// key: a nil value (an empty cell) removes the line. A line whose
	// column the file lacks keeps what is recorded.
	Breakdown map[string]*int
}

// targetKey is a target's identity.
type targetKey struct {
	org  int64
	year int
	kind string
}

// ImportTargetRows judges the rows of a targets file and, as the options
// allow, sets the targets in one transaction. A row equal to the target
// recorded is unchanged.
func (s *Service) ImportTargetRows(ctx context.Context, rows []TargetImportRow, opt ImportOptions) (*ImportReport, error) {
	r, err := s.startImport(ctx, ImportTargets, opt)
	if err != nil {
		return nil, err
	}
	c := &targetCheck{importRun: r, seen: map[targetKey]int{}, recorded: map[targetKey]*domain.Target{}, loaded: map[int]bool{}}
	for i := range rows {
		r.progress(ImportChecking, i+1, len(rows))
		c.row(i, &rows[i])
		if r.err != nil {
			return nil, r.err
		}
	}
	r.rep.Valid = len(c.out)
	at := slices.Clone(r.rep.Accepted)
	if err := r.replayWrites(&at, func(commit bool) error { return s.writeTargets(ctx, r.me, c.out, commit) },
		func(k int) { c.out = slices.Delete(c.out, k, k+1) }); err != nil {
		return nil, err
	}
	return r.done(), nil
}

// targetCheck judges the rows of a targets file.
type targetCheck struct {
	*importRun
	seen     map[targetKey]int            // the file's row number of each target
	recorded map[targetKey]*domain.Target // in the store, for the years loaded
	loaded   map[int]bool
	out      []*domain.Target
}

func (c *targetCheck) row(i int, row *TargetImportRow) {
	o, err := c.org(row.OrgCode)
	if err != nil {
		c.refuse(i, "org", err)
		return
	}
	k := targetKey{o.ID, row.Year, row.Kind}
	if first, dup := c.seen[k]; dup {
		c.refusef(i, "org", "Chỉ tiêu này (%s, năm %d) trùng với dòng %d của tệp", o.Code, row.Year, first)
		return
	}
	c.seen[k] = row.Line
	old := c.recordedTarget(k)
	t := &domain.Target{OrgID: o.ID, Year: row.Year, Kind: row.Kind, Value: row.Value, Deadline: row.Deadline}
	if !c.breakdown(i, row, old, t) {
		return
	}
	if err := t.Validate(); err != nil {
		c.refuse(i, breakdownField(err, t), err)
		return
	}
	if old != nil && old.Value == t.Value && maps.Equal(old.Breakdown, t.Breakdown) && sameDate(old.Deadline, t.Deadline) {
		c.rep.Unchanged++
		return
	}
	if err := quotaFromAbove(c.me, o, t.Kind); err != nil {
		c.refuse(i, "kind", err)
		return
	}
	c.rep.Accepted = append(c.rep.Accepted, i)
	c.out = append(c.out, t)
}

// recordedTarget is the target recorded with the key (nil for none),
// reading the targets of the user's subtree once a year.
func (c *targetCheck) recordedTarget(k targetKey) *domain.Target {
	if !c.loaded[k.year] && k.year >= 1930 && k.year <= 2200 {
		c.loaded[k.year] = true
		ts, err := c.s.store.Targets(c.ctx, scopePath(c.me), k.year)
		if err != nil {
			c.fault(err)
			return nil
		}
		for _, x := range ts {
			c.recorded[targetKey{x.OrgID, x.Year, x.Kind}] = x
		}
	}
	return c.recorded[k]
}

// breakdown sets t's breakdown lines: the recorded ones (old's), with
// those of the columns the file has. A recorded line above the new value
// that the file cannot change is a problem.
func (c *targetCheck) breakdown(i int, row *TargetImportRow, old, t *domain.Target) bool {
	if old != nil && len(old.Breakdown) > 0 {
		t.Breakdown = maps.Clone(old.Breakdown)
	}
	ok := true
	for _, b := range domain.BreakdownKeys {
		v, inFile := row.Breakdown[b.Code]
		switch {
		case !inFile:
			if n, kept := t.Breakdown[b.Code]; kept && n > t.Value {
				c.refusef(i, "value", "Chỉ tiêu chi tiết “%s” đã ghi (%d) lớn hơn Số lượng mới (%d): thêm cột “Trong đó: %s” vào tệp để sửa cả chỉ tiêu chi tiết", b.Name, n, t.Value, b.Name)
				ok = false
			}
		case v == nil:
			delete(t.Breakdown, b.Code)
		default:
			if t.Breakdown == nil {
				t.Breakdown = map[string]int{}
			}
			t.Breakdown[b.Code] = *v
		}
	}
	if len(t.Breakdown) == 0 {
		t.Breakdown = nil
	}
	return ok
}

// breakdownField is the field of a target's validation error: for a
// breakdown line out of range, the line's (breakdown.women).
func breakdownField(err error, t *domain.Target) string {
	if e, ok := errors.AsType[*domain.Error](err); !ok || e.Field != "breakdown" {
		return ""
	}
	for _, b := range domain.BreakdownKeys {
		if v, ok := t.Breakdown[b.Code]; ok && (v < 0 || v > t.Value) {
			return "breakdown." + b.Code
		}
	}
	return ""
}

// writeTargets sets targets already judged (their units in the user's
// subtree, a quota never on the user's own unit) in one transaction with
// one audit record.
func (s *Service) writeTargets(ctx context.Context, me *domain.User, targets []*domain.Target, commit bool) error {
	return s.store.Tx(ctx, func(tx *store.Store) error {
		for k, t := range targets {
			if err := t.Validate(); err != nil {
				return rowFailed(k, err)
			}
			if err := tx.SetTarget(ctx, t); err != nil {
				return rowFailed(k, err)
			}
		}
		if !commit {
			return errNoCommit
		}
		return s.audit(ctx, tx, me, "import", "target", 0, map[string]any{"count": len(targets)})
	})
}
