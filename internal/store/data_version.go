package store

import (
	"context"
	"fmt"
)

// The data version (issue 15, item 4) is one number that every committed
// write advances, kept in the database so that every server sharing it
// sees the same. A response cached under a version is served only while
// the version is unchanged.
//
// Correctness rests on two facts. The number is advanced by triggers in
// the writing transaction itself, so it becomes visible together with the
// data it covers: never before (a reader cannot see the new number with
// the old data) and never after (it cannot see the new data under the old
// number and keep serving it once the number moves). And a reader reads
// the number before the data: whatever it then reads is at least as new
// as the number, so caching it under that number is safe.
//
// The triggers are created here, at open, on every table but those that
// feed no response (sessions, login failures, the tokens' last use), so a
// table added by a later migration is covered without anyone remembering
// to. On SQLite they fire per row (one writer: no contention, a few
// microseconds a row); on PostgreSQL they are deferred constraint
// triggers that advance the row once per transaction at its commit.

// unversioned are the tables whose writes leave the data version alone:
// bookkeeping that no cached response shows, and the name search's words,
// written only with the people they index (whose writes advance it).
var unversioned = map[string]bool{
	"goose_db_version": true, "data_version": true, "sessions": true, "login_throttle": true, "api_tokens": true,
	"person_words": true, "person_words_by_name": true, "outbox_keys": true,
}

// DataVersion returns the current data version: one read of one row.
func (s *Store) DataVersion(ctx context.Context) (_ int64, err error) {
	defer wrap(&err, "store.DataVersion")
	var v int64
	err = s.q.QueryRowContext(ctx, `SELECT version FROM data_version WHERE id = 1`).Scan(&v)
	return v, mapErr(err)
}

// versionTrigger is the name of the trigger on table (per event on SQLite).
func versionTrigger(table, event string) string {
	if event == "" {
		return "data_version_" + table
	}
	return "data_version_" + event + "_" + table
}

// ensureVersionTriggers creates the data version's triggers on the tables
// that lack them.
func (s *Store) ensureVersionTriggers(ctx context.Context) (err error) {
	defer wrap(&err, "store.ensureVersionTriggers")
	if s.engine == Postgres {
		return s.Tx(ctx, func(tx *Store) error {
			// several servers may open the database at once
			if _, err := tx.q.ExecContext(ctx, `SELECT pg_advisory_xact_lock(4815162342)`); err != nil {
				return mapErr(err)
			}
			missing, err := tx.strings(ctx, `SELECT t.tablename FROM pg_tables t WHERE t.schemaname = current_schema()
				AND NOT EXISTS (SELECT 1 FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
				  JOIN pg_namespace n ON n.oid = c.relnamespace
				  WHERE n.nspname = t.schemaname AND c.relname = t.tablename AND g.tgname = 'data_version_' || t.tablename)
				ORDER BY 1`)
			if err != nil {
				return err
			}
			for _, t := range missing {
				if unversioned[t] {
					continue
				}
				q := fmt.Sprintf(`CREATE CONSTRAINT TRIGGER %s AFTER INSERT OR UPDATE OR DELETE ON %s
					DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ketnap_bump_data_version()`,
					quoteIdent(versionTrigger(t, "")), quoteIdent(t))
				if _, err := tx.q.ExecContext(ctx, q); err != nil {
					return mapErr(err)
				}
			}
			return nil
		})
	}
	tables, err := s.strings(ctx, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
		AND name NOT IN (SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name = 'data_version_delete_' || tbl_name)
		ORDER BY 1`)
	if err != nil || len(tables) == 0 {
		return err
	}
	return s.Tx(ctx, func(tx *Store) error {
		for _, t := range tables {
			if unversioned[t] {
				continue
			}
			for _, ev := range []string{"insert", "update", "delete"} {
				q := fmt.Sprintf(`CREATE TRIGGER IF NOT EXISTS %s AFTER %s ON %s
					BEGIN UPDATE data_version SET version = version + 1 WHERE id = 1; END`,
					quoteIdent(versionTrigger(t, ev)), ev, quoteIdent(t))
				if _, err := tx.q.ExecContext(ctx, q); err != nil {
					return mapErr(err)
				}
			}
		}
		return nil
	})
}

// strings runs a query of one text column.
func (s *Store) strings(ctx context.Context, query string, args ...any) ([]string, error) {
	rows, err := s.q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, mapErr(rows.Err())
}

// quoteIdent quotes an SQL identifier (the same on both engines).
func quoteIdent(s string) string {
	out := []byte{'"'}
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			out = append(out, '"')
		}
		out = append(out, s[i])
	}
	return string(append(out, '"'))
}
