package store

import (
	"context"
	"encoding/json"
	"time"

	"ketnap/internal/domain"
)

// SetTarget creates or replaces an organization's target for a year.
func (s *Store) SetTarget(ctx context.Context, t *domain.Target) (err error) {
	defer wrap(&err, "store.SetTarget")
	var breakdown any
	if len(t.Breakdown) > 0 {
		b, _ := json.Marshal(t.Breakdown)
		breakdown = string(b)
	}
	_, err = s.q.ExecContext(ctx,
		`INSERT INTO targets (org_id, year, kind, value, deadline, breakdown) VALUES ($1, $2, $3, $4, $5, $6)
		 ON CONFLICT (org_id, year, kind) DO UPDATE SET value = excluded.value, deadline = excluded.deadline,
		   breakdown = excluded.breakdown`,
		t.OrgID, t.Year, t.Kind, t.Value, dateArgPtr(t.Deadline), breakdown)
	return mapErr(err)
}

// DeleteTarget removes an organization's target of a kind for a year.
func (s *Store) DeleteTarget(ctx context.Context, orgID int64, year int, kind string) (err error) {
	defer wrap(&err, "store.DeleteTarget(%d, %d, %q)", orgID, year, kind)
	_, err = s.q.ExecContext(ctx, `DELETE FROM targets WHERE org_id = $1 AND year = $2 AND kind = $3`, orgID, year, kind)
	return mapErr(err)
}

// Targets returns the targets of a year for the organizations under path.
func (s *Store) Targets(ctx context.Context, path string, year int) (_ []*domain.Target, err error) {
	return s.TargetsOn(ctx, path, time.Time{}, year)
}

// TargetsOn returns the targets of a year for the organizations under
// path in the tree of day on (unitsOn: the current tree when on is zero).
func (s *Store) TargetsOn(ctx context.Context, path string, on time.Time, year int) (_ []*domain.Target, err error) {
	defer wrap(&err, "store.TargetsOn(%d)", year)
	lo, hi := pathRange(path)
	rows, err := s.q.QueryContext(ctx,
		`SELECT t.org_id, t.year, t.kind, t.value, t.deadline, t.breakdown FROM targets t JOIN `+unitsOn(on, 4)+` o ON o.id = t.org_id
		 WHERE t.year = $3 AND o.path >= $1 AND o.path < $2`, lo, hi, year, onArg(on))
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []*domain.Target
	for rows.Next() {
		var t domain.Target
		var deadline dateCol
		var breakdown nullText
		if err := rows.Scan(&t.OrgID, &t.Year, &t.Kind, &t.Value, &deadline, &breakdown); err != nil {
			return nil, err
		}
		t.Deadline = deadline.ptr()
		if breakdown != "" {
			if err := json.Unmarshal([]byte(breakdown), &t.Breakdown); err != nil {
				return nil, err
			}
		}
		out = append(out, &t)
	}
	return out, mapErr(rows.Err())
}
