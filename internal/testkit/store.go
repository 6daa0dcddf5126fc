package testkit

import (
	"testing"

	"ketnap/internal/store"
	"ketnap/internal/testkit/testdb"
)

// The database a test runs on (DESIGN, GoToSocial and pkgsite): SQLite in
// t.TempDir() by default; with KETNAP_TEST_POSTGRES set to a PostgreSQL DSN
// (postgres://postgres@localhost:5432/postgres?sslmode=disable), a fresh
// database ketnap_t_<random> on that server, dropped WITH (FORCE) when the
// test ends. With KETNAP_REQUIRE_POSTGRES=1 a missing or unreachable server
// fails the test instead of skipping it. internal/store's own tests, which
// cannot import this package, use internal/testkit/testdb directly.

// OnPostgres reports whether the tests run on PostgreSQL.
func OnPostgres() bool { return testdb.Postgres() }

// DSN returns a fresh, empty database for the test, as the value of
// --db: a SQLite file path or a PostgreSQL DSN. Nothing is created in it
// (on SQLite the file does not exist yet); opening it runs the migrations.
func DSN(t testing.TB) string {
	t.Helper()
	return testdb.DSN(t)
}

// CopyDB returns a fresh copy of the database src (a SQLite file, or a
// PostgreSQL database made by these helpers that no connection holds any
// more), removed when the test ends.
func CopyDB(t testing.TB, src string) string {
	t.Helper()
	return testdb.Copy(t, src)
}

// SharedDSN returns a database for a whole package, made in TestMain: a
// SQLite file in dir, or a new PostgreSQL database; drop removes the
// latter after m.Run. An error wrapping ErrSkip means PostgreSQL was asked
// for, is unreachable and is not required; other errors fail the package.
func SharedDSN(dir string) (dsn string, drop func() error, err error) {
	return testdb.Shared(dir)
}

// ErrSkip: see SharedDSN.
var ErrSkip = testdb.ErrSkip

// OpenStore opens a store on a fresh database (migrations run), closed
// when the test ends.
func OpenStore(t testing.TB) *store.Store {
	t.Helper()
	return Open(t, DSN(t))
}

// Open opens a store on the database dsn (migrations run), closed when
// the test ends.
func Open(t testing.TB, dsn string) *store.Store {
	t.Helper()
	st, err := store.Open(t.Context(), dsn)
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}
