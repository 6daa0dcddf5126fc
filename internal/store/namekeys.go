package store

import (
	"context"

	"ketnap/internal/vn"
)

// metaNameKeyVersion names the meta row that records which collation the
// stored name keys (people.name_key) were computed with.
const metaNameKeyVersion = "name_key_version"

// nameKeyBatch is how many people one transaction of the recomputation updates.
const nameKeyBatch = 2000

// refreshNameKeys recomputes people.name_key when the keys were computed
// with another vn.SortKeyVersion than this binary's (an upgrade of
// golang.org/x/text changed the collation tables: orders in SQL would mix
// two encodings), or with an unknown one, then records the version. A
// store with the current version does one query. It returns how many keys
// were recomputed.
func (s *Store) refreshNameKeys(ctx context.Context) (int, error) {
	v, err := s.GetMeta(ctx, metaNameKeyVersion)
	if err != nil || v == vn.SortKeyVersion {
		return 0, err
	}
	n := 0
	var last int64
	for {
		type row struct {
			id        int64
			name, key string
		}
		var batch []row
		rows, err := s.q.QueryContext(ctx, `SELECT id, full_name, name_key FROM people WHERE id > $1 ORDER BY id LIMIT $2`, last, nameKeyBatch)
		if err != nil {
			return n, mapErr(err)
		}
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.id, &r.name, &r.key); err != nil {
				rows.Close()
				return n, err
			}
			batch = append(batch, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return n, mapErr(err)
		}
		if len(batch) == 0 {
			break
		}
		last = batch[len(batch)-1].id
		err = s.Tx(ctx, func(tx *Store) error {
			for _, r := range batch {
				if k := nameKey(r.name); k != r.key {
					if _, err := tx.q.ExecContext(ctx, `UPDATE people SET name_key = $1 WHERE id = $2`, k, r.id); err != nil {
						return mapErr(err)
					}
					if err := tx.rekeyPersonWords(ctx, r.id, r.key, k); err != nil {
						return err
					}
					n++
				}
			}
			return nil
		})
		if err != nil {
			return n, err
		}
	}
	return n, s.SetMeta(ctx, metaNameKeyVersion, vn.SortKeyVersion)
}
