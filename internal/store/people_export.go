package store

import (
	"context"

	"ketnap/internal/domain"
)

// EachPerson streams the people matching f in the people list's order
// (Vietnamese name order, then id) with the name of their organization,
// in one query: fn is called once per row while the rows are read, and
// an error it returns stops the scan. f.Limit > 0 caps the rows (no
// count, no offset); f.Offset is ignored.
func (s *Store) EachPerson(ctx context.Context, f PersonFilter, fn func(p *domain.Person, unit string) error) (err error) {
	defer wrap(&err, "store.EachPerson")
	where, args := f.where()
	query := `SELECT ` + personCols + `, o.name FROM people p JOIN orgs o ON o.id = p.org_id WHERE ` + where +
		` ORDER BY p.name_key, p.id`
	if f.Limit > 0 {
		args = append(args, f.Limit)
		query += ` LIMIT $` + itoa(len(args))
	}
	rows, err := s.q.QueryContext(ctx, query, args...)
	if err != nil {
		return mapErr(err)
	}
	defer rows.Close()
	var unit string
	for rows.Next() {
		p, err := scanPerson(scanTail{rows, &unit})
		if err != nil {
			return err
		}
		if err := fn(p, unit); err != nil {
			return err
		}
	}
	return mapErr(rows.Err())
}
