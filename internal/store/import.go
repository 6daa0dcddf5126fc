package store

import (
	"context"

	"ketnap/internal/domain"
)

// PeopleByCCCD returns the people with the given citizen ID numbers, keyed
// by number, with their organization's path; one query per 500 numbers
// (the bulk import checks a whole file against the store this way).
func (s *Store) PeopleByCCCD(ctx context.Context, cccds []string) (_ map[string]*domain.Person, _ map[int64]string, err error) {
	defer wrap(&err, "store.PeopleByCCCD")
	out := map[string]*domain.Person{}
	paths := map[int64]string{}
	for len(cccds) > 0 {
		n := min(len(cccds), 500)
		args := make([]any, n)
		for i, c := range cccds[:n] {
			args[i] = c
		}
		rows, err := s.q.QueryContext(ctx, `SELECT `+personCols+`, o.path FROM people p JOIN orgs o ON o.id = p.org_id
			WHERE p.cccd IN (`+placeholders(1, n)+`)`, args...)
		if err != nil {
			return nil, nil, mapErr(err)
		}
		for rows.Next() {
			var path string
			p, err := scanPerson(scanTail{rows, &path})
			if err != nil {
				rows.Close()
				return nil, nil, err
			}
			out[p.CCCD] = p
			paths[p.ID] = path
		}
		if err := rows.Err(); err != nil {
			rows.Close()
			return nil, nil, mapErr(err)
		}
		rows.Close()
		cccds = cccds[n:]
	}
	return out, paths, nil
}

// OfficialsUnder lists the official members of the organizations under
// path, in name order.
func (s *Store) OfficialsUnder(ctx context.Context, path string) (_ []domain.MemberRef, err error) {
	defer wrap(&err, "store.OfficialsUnder")
	lo, hi := pathRange(path)
	rows, err := s.q.QueryContext(ctx, `SELECT p.id, p.full_name, p.name_fold, COALESCE(p.cccd, ''), p.org_id, o.path
		FROM people p JOIN orgs o ON o.id = p.org_id
		WHERE o.path >= $1 AND o.path < $2 AND p.stage = 'official' ORDER BY p.name_key, p.id`, lo, hi)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []domain.MemberRef
	for rows.Next() {
		var m domain.MemberRef
		if err := rows.Scan(&m.ID, &m.FullName, &m.Fold, &m.CCCD, &m.OrgID, &m.Path); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, mapErr(rows.Err())
}
