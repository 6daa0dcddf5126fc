package testkit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
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

// ErrSkip is the reason SharedDSN gives for skipping (testdb.ErrSkip).
var ErrSkip = testdb.ErrSkip

// OpenStore opens a store on a fresh database (migrations run), closed
// when the test ends. On PostgreSQL the database is a copy of one migrated
// once (see migrated), which saves running every migration for each test.
func OpenStore(t testing.TB) *store.Store {
	t.Helper()
	return Open(t, MigratedDSN(t))
}

// MigratedDSN is DSN for a store to open: on PostgreSQL a copy of the
// migrated template, so that opening it has no migration left to run.
func MigratedDSN(t testing.TB) string {
	t.Helper()
	if testdb.Postgres() {
		if name := migrated(); name != "" {
			return testdb.FromTemplate(t, name)
		}
	}
	return DSN(t)
}

var template struct {
	once sync.Once
	name string
}

// migrated returns the name of a PostgreSQL database holding the current
// migrations, kept on the server as ketnap_tpl_<hash of the migration
// files>, or "" when it cannot be made (then each test migrates its own
// database, and DSN reports an unreachable server).
func migrated() string {
	template.once.Do(func() {
		_, file, _, ok := runtime.Caller(0)
		if !ok {
			return
		}
		dir := filepath.Join(filepath.Dir(file), "..", "store", "migrations", store.Postgres)
		files, err := filepath.Glob(filepath.Join(dir, "*.sql"))
		if err != nil || len(files) == 0 {
			return
		}
		h := sha256.New()
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				return
			}
			fmt.Fprintf(h, "%s %d\n", filepath.Base(f), len(data))
			h.Write(data)
		}
		name, err := testdb.Template(hex.EncodeToString(h.Sum(nil))[:16], func(dsn string) error {
			st, err := store.Open(context.Background(), dsn)
			if err != nil {
				return err
			}
			return st.Close()
		})
		if err == nil {
			template.name = name
		}
	})
	return template.name
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
