// Package testdb names the database a test runs on (DESIGN, GoToSocial and
// pkgsite): a SQLite file in a temporary directory by default; with
// KETNAP_TEST_POSTGRES set to a PostgreSQL DSN, a fresh database created
// on that server for the test and dropped after it. KETNAP_REQUIRE_POSTGRES=1
// turns a missing or unreachable server into a failure instead of a skip,
// so that CI cannot fall back silently.
//
// It imports no ketnap package, so that internal/store's own tests can use
// it; the other packages go through internal/testkit.
package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
)

// The environment variables.
const (
	EnvPostgres = "KETNAP_TEST_POSTGRES"
	EnvRequire  = "KETNAP_REQUIRE_POSTGRES"
)

// prefix starts the name of every test database.
const prefix = "ketnap_t_"

// ErrSkip is wrapped by Shared when PostgreSQL was asked for, is not
// reachable and not required: the caller skips.
var ErrSkip = errors.New("PostgreSQL is not reachable (set " + EnvRequire + "=1 to fail instead)")

// Postgres reports whether the tests run on PostgreSQL.
func Postgres() bool { return os.Getenv(EnvPostgres) != "" }

// Required reports whether KETNAP_REQUIRE_POSTGRES asks for PostgreSQL.
func Required() bool {
	v := os.Getenv(EnvRequire)
	return v != "" && v != "0" && v != "false"
}

var server struct {
	once sync.Once
	db   *sql.DB
	err  error
}

// admin returns the pool on the server's maintenance database, opened and
// pinged once per process.
func admin() (*sql.DB, error) {
	server.once.Do(func() {
		db, err := sql.Open("pgx", os.Getenv(EnvPostgres))
		if err != nil {
			server.err = err
			return
		}
		db.SetMaxOpenConns(2)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := db.PingContext(ctx); err != nil {
			db.Close()
			server.err = err
			return
		}
		server.db = db
	})
	return server.db, server.err
}

// withDatabase returns the server's DSN naming another database.
func withDatabase(name string) (string, error) {
	u, err := url.Parse(os.Getenv(EnvPostgres))
	if err != nil {
		return "", fmt.Errorf("%s: %w", EnvPostgres, err)
	}
	u.Path = "/" + name
	u.RawPath = ""
	return u.String(), nil
}

// databaseOf returns the database a DSN names.
func databaseOf(dsn string) (string, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return "", err
	}
	name := strings.TrimPrefix(u.Path, "/")
	if !strings.HasPrefix(name, prefix) {
		return "", fmt.Errorf("testdb: %q is not a test database", name)
	}
	return name, nil
}

// create creates an empty database (a copy of template when it is not
// "") and returns its DSN and the function that drops it.
func create(template string) (string, func() error, error) {
	db, err := admin()
	if err != nil {
		return "", nil, err
	}
	var b [8]byte
	rand.Read(b[:])
	name := prefix + hex.EncodeToString(b[:])
	dsn, err := withDatabase(name)
	if err != nil {
		return "", nil, err
	}
	q := "CREATE DATABASE " + name + " STRATEGY FILE_COPY"
	if template != "" {
		q += " TEMPLATE " + template
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := db.ExecContext(ctx, q); err != nil {
		return "", nil, fmt.Errorf("testdb: %s: %w", q, err)
	}
	drop := func() error {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_, err := db.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		return err
	}
	return dsn, drop, nil
}

// unavailable fails the test when PostgreSQL is required and skips it
// otherwise.
func unavailable(t testing.TB, err error) {
	t.Helper()
	if Required() {
		t.Fatalf("%s=1 but PostgreSQL is not usable: %v", EnvRequire, err)
	}
	t.Skipf("SKIPPING: %s is set but PostgreSQL is not usable: %v", EnvPostgres, err)
}

// DSN returns a fresh, empty database for the test: a SQLite file path in
// t.TempDir(), or the DSN of a new PostgreSQL database dropped (WITH
// FORCE) when the test ends.
func DSN(t testing.TB) string {
	t.Helper()
	if !Postgres() {
		if Required() {
			t.Fatalf("%s=1 but %s is empty", EnvRequire, EnvPostgres)
		}
		return filepath.Join(t.TempDir(), "t.db")
	}
	dsn, drop, err := create("")
	if err != nil {
		unavailable(t, err)
	}
	t.Cleanup(func() {
		if err := drop(); err != nil {
			t.Errorf("drop the test database: %v", err)
		}
	})
	return dsn
}

// FromTemplate returns a fresh PostgreSQL database for the test, a copy of
// the database template (from Template), dropped when the test ends.
func FromTemplate(t testing.TB, template string) string {
	t.Helper()
	dsn, drop, err := create(template)
	if err != nil {
		unavailable(t, err)
	}
	t.Cleanup(func() {
		if err := drop(); err != nil {
			t.Errorf("drop the test database: %v", err)
		}
	})
	return dsn
}

// Template returns the name of a PostgreSQL database that prepare filled
// from empty (the migrations), to copy for each test instead of preparing
// each one. It is made once on the server, named ketnap_tpl_<key>, and kept
// for later runs: key must change whenever what prepare does changes (a
// hash of the migrations). Two processes making it at once both prepare a
// database under a random name and rename it; the loser drops its own.
func Template(key string, prepare func(dsn string) error) (string, error) {
	db, err := admin()
	if err != nil {
		return "", err
	}
	name := "ketnap_tpl_" + key
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var n int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM pg_database WHERE datname = $1`, name).Scan(&n); err != nil {
		return "", err
	}
	if n == 1 {
		return name, nil
	}
	dsn, drop, err := create("")
	if err != nil {
		return "", err
	}
	if err := prepare(dsn); err != nil {
		return "", errors.Join(err, drop())
	}
	tmp, err := databaseOf(dsn)
	if err != nil {
		return "", errors.Join(err, drop())
	}
	if _, err := db.ExecContext(ctx, "ALTER DATABASE "+tmp+" RENAME TO "+name); err != nil {
		if perr, ok := errors.AsType[interface {
			error
			SQLState() string
		}](err); ok && perr.SQLState() == "42P04" {
			return name, drop() // another process made it first
		}
		return "", errors.Join(err, drop())
	}
	return name, nil
}

// Copy returns a fresh copy of the database src (a SQLite file, or a
// PostgreSQL database made here that no connection holds any more),
// removed when the test ends.
func Copy(t testing.TB, src string) string {
	t.Helper()
	if !strings.HasPrefix(src, "postgres://") && !strings.HasPrefix(src, "postgresql://") {
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(t.TempDir(), "copy.db")
		if err := os.WriteFile(dst, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return dst
	}
	name, err := databaseOf(src)
	if err != nil {
		t.Fatal(err)
	}
	dsn, drop, err := create(name)
	if err != nil {
		unavailable(t, err)
	}
	t.Cleanup(func() {
		if err := drop(); err != nil {
			t.Errorf("drop the test database: %v", err)
		}
	})
	return dsn
}

// Shared returns a database for a whole package, made in TestMain: a
// SQLite file in dir, or a new PostgreSQL database; drop removes the
// latter (call it after m.Run). An error wrapping ErrSkip means
// PostgreSQL was asked for, is unreachable and not required; any other
// error must fail the package.
func Shared(dir string) (dsn string, drop func() error, err error) {
	if !Postgres() {
		if Required() {
			return "", nil, fmt.Errorf("%s=1 but %s is empty", EnvRequire, EnvPostgres)
		}
		return filepath.Join(dir, "ketnap.db"), func() error { return nil }, nil
	}
	dsn, drop, err = create("")
	if err != nil {
		if Required() {
			return "", nil, fmt.Errorf("%s=1 but PostgreSQL is not usable: %w", EnvRequire, err)
		}
		return "", nil, fmt.Errorf("%w: %v", ErrSkip, err)
	}
	return dsn, drop, nil
}

// Built returns a database that build filled from empty, made once for
// key and kept for the later test processes and runs that ask for the
// same key (which must change whenever what build writes may change: a
// hash of the sources): a SQLite file in the system's temporary directory,
// or the PostgreSQL database ketnap_tpl_<kind>_<key>. The processes of one run
// (go test runs packages in parallel) wait for the first to build it
// rather than building it each: a file lock (SQLite) or an advisory lock
// (PostgreSQL). Built databases of the same kind under another key are
// removed when a new one is made (on SQLite those over an hour old; on
// PostgreSQL those no connection holds). Tests copy it (Copy,
// FromTemplate) and never write to it.
func Built(kind, key string, build func(dsn string) error) (string, error) {
	if Postgres() {
		return builtPostgres(kind, key, build)
	}
	dir := os.TempDir()
	path := filepath.Join(dir, "ketnap-test-"+kind+"-"+key+".db")
	lock, err := os.OpenFile(filepath.Join(dir, "ketnap-test-"+kind+".lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return "", err
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return "", err
	}
	defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN)
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	old, _ := filepath.Glob(filepath.Join(dir, "ketnap-test-"+kind+"-*.db"))
	for _, f := range old {
		// another checkout's run may still be copying a recent one
		if fi, err := os.Stat(f); err == nil && time.Since(fi.ModTime()) > time.Hour {
			os.Remove(f)
		}
	}
	tmp, err := os.MkdirTemp(dir, "ketnap-test-build-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	file := filepath.Join(tmp, "built.db")
	if err := build(file); err != nil {
		return "", err
	}
	if err := os.Rename(file, path); err != nil {
		return "", err
	}
	return path, nil
}

func builtPostgres(kind, key string, build func(dsn string) error) (string, error) {
	db, err := admin()
	if err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	conn, err := db.Conn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	lockKey := "ketnap_tpl_" + kind
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(hashtext($1))`, lockKey); err != nil {
		return "", err
	}
	defer conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock(hashtext($1))`, lockKey)
	name := "ketnap_tpl_" + kind + "_" + key
	var n int
	if err := conn.QueryRowContext(ctx, `SELECT COUNT(*) FROM pg_database WHERE datname = $1`, name).Scan(&n); err != nil {
		return "", err
	}
	if n == 1 {
		return name, nil
	}
	rows, err := conn.QueryContext(ctx, `SELECT datname FROM pg_database WHERE datname LIKE $1`, "ketnap_tpl_"+kind+"_%")
	if err != nil {
		return "", err
	}
	var old []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return "", err
		}
		old = append(old, s)
	}
	rows.Close()
	for _, s := range old {
		conn.ExecContext(ctx, "DROP DATABASE IF EXISTS "+s) // one in use stays
	}
	dsn, drop, err := create("")
	if err != nil {
		return "", err
	}
	if err := build(dsn); err != nil {
		return "", errors.Join(err, drop())
	}
	tmp, err := databaseOf(dsn)
	if err != nil {
		return "", errors.Join(err, drop())
	}
	if _, err := conn.ExecContext(ctx, "ALTER DATABASE "+tmp+" RENAME TO "+name); err != nil {
		return "", errors.Join(err, drop())
	}
	return name, nil
}

// CopyBuilt returns a copy of a database from Built for a whole package
// (made in TestMain, or once for several tests): a SQLite file in dir, or
// a new PostgreSQL database; drop removes the latter.
func CopyBuilt(built, dir string) (dsn string, drop func() error, err error) {
	if Postgres() {
		return create(built)
	}
	data, err := os.ReadFile(built)
	if err != nil {
		return "", nil, err
	}
	dsn = filepath.Join(dir, "copy.db")
	return dsn, func() error { return nil }, os.WriteFile(dsn, data, 0o600)
}
