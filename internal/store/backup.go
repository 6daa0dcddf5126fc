package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
)

// BackupSQLite writes a consistent copy of the SQLite database at path
// into target, a file that must not exist yet (issue 13, item 6). It is
// SQLite's VACUUM INTO: one read transaction, so the copy is the database
// as one moment saw it while the server's writes go on beside it (WAL),
// compacted, a database of its own that opens like any other. The copy is
// checked (quick_check) before BackupSQLite returns. It opens its own
// connection, which writes nothing to path and runs no migration: the
// copy is the database as it is.
func BackupSQLite(ctx context.Context, path, target string) (err error) {
	defer wrap(&err, "store.BackupSQLite(%q)", target)
	if _, err := os.Stat(path); err != nil {
		return err // never create the database the copy is of
	}
	// not query_only: SQLite counts writing the copy as a write
	db, err := sql.Open("sqlite", "file:"+path+"?"+sqlitePragmas(writerCacheKB).Encode())
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, `VACUUM INTO $1`, target); err != nil {
		return mapErr(err)
	}
	return checkSQLite(ctx, target)
}

// checkSQLite runs SQLite's quick check on the database file at path.
func checkSQLite(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=query_only(1)")
	if err != nil {
		return err
	}
	defer db.Close()
	var verdict string
	if err := db.QueryRowContext(ctx, `PRAGMA quick_check`).Scan(&verdict); err != nil {
		return err
	}
	if verdict != "ok" {
		return errors.New("the copy does not pass SQLite's quick_check: " + verdict)
	}
	return nil
}

// TableCounts returns the number of rows of every table of the store (but
// SQLite's and goose's own), for comparing a database with its copy.
func (s *Store) TableCounts(ctx context.Context) (_ map[string]int, err error) {
	defer wrap(&err, "store.TableCounts")
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'goose_db_version' ORDER BY name`
	if s.engine == Postgres {
		q = `SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'goose_db_version' ORDER BY tablename`
	}
	rows, err := s.q.QueryContext(ctx, q)
	if err != nil {
		return nil, mapErr(err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return nil, err
		}
		names = append(names, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make(map[string]int, len(names))
	for _, n := range names {
		var c int
		// the names come from the catalogue, not from a user
		if err := s.q.QueryRowContext(ctx, fmt.Sprintf(`SELECT COUNT(*) FROM %q`, n)).Scan(&c); err != nil {
			return nil, mapErr(err)
		}
		out[n] = c
	}
	return out, nil
}
