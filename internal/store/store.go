// Package store keeps ketnap's data in SQLite (modernc, the default) or
// PostgreSQL (pgx). The SQL text is the same on both: $N placeholders,
// RETURNING, ON CONFLICT; only the migrations and the error mapping differ.
// There is one file per entity.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"strings"
	"time"

	"github.com/alexedwards/scs/postgresstore"
	"github.com/alexedwards/scs/sqlite3store"
	"github.com/alexedwards/scs/v2"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite" // registers "sqlite"

	"ketnap/internal/domain"
)

//go:embed migrations
var migrations embed.FS

// Engines.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Store is the data store. Inside Tx it is bound to the transaction, so
// that the same methods serve both.
type Store struct {
	db     *sql.DB
	q      querier
	stmts  *stmts
	engine string
	inTx   bool
}

// IsPostgres reports whether the DSN selects PostgreSQL (CONTRACT "Binary and storage").
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// SQLiteDSN turns a file path into the modernc DSN with the pragmas of
// go-stack §1b: busy_timeout first, WAL, foreign keys, immediate write
// transactions, and times stored in SQLite's own format.
func SQLiteDSN(path string) string {
	if strings.HasPrefix(path, "file:") {
		return path
	}
	v := url.Values{}
	v.Add("_pragma", "busy_timeout(10000)")
	v.Add("_pragma", "journal_mode(WAL)")
	v.Add("_pragma", "foreign_keys(1)")
	v.Add("_pragma", "synchronous(NORMAL)")
	v.Add("_pragma", "temp_store(MEMORY)")
	v.Add("_pragma", "cache_size(-32000)")
	v.Set("_txlock", "immediate")
	v.Set("_time_format", "sqlite")
	return "file:" + path + "?" + v.Encode()
}

// Open opens the database named by dsn and runs the migrations.
func Open(ctx context.Context, dsn string) (*Store, error) {
	engine, driver, source := SQLite, "sqlite", SQLiteDSN(dsn)
	if IsPostgres(dsn) {
		engine, driver, source = Postgres, "pgx", dsn
	}
	db, err := sql.Open(driver, source)
	if err != nil {
		return nil, fmt.Errorf("store: open: %w", err)
	}
	if engine == SQLite {
		// One writer at a time is what SQLite allows; a few readers share WAL.
		db.SetMaxOpenConns(8)
	} else {
		db.SetMaxOpenConns(20)
	}
	db.SetConnMaxIdleTime(5 * time.Minute)
	pctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := db.PingContext(pctx); err != nil {
		db.Close()
		return nil, domain.Errorf(domain.EInternal, "Không mở được cơ sở dữ liệu %s: %v", redact(dsn), err)
	}
	cache := &stmts{db: db, m: map[string]*sql.Stmt{}}
	s := &Store{db: db, q: cachedQ{c: cache}, stmts: cache, engine: engine}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if _, err := s.refreshNameKeys(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: recomputing the name keys: %w", err)
	}
	return s, nil
}

// redact hides a password in a DSN before it is printed.
func redact(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
			return u.String()
		}
	}
	return dsn
}

func (s *Store) migrate(ctx context.Context) error {
	dialect := goose.DialectSQLite3
	if s.engine == Postgres {
		dialect = goose.DialectPostgres
	}
	sub, err := fs.Sub(migrations, "migrations/"+s.engine)
	if err != nil {
		return err
	}
	p, err := goose.NewProvider(dialect, s.db, sub)
	if err != nil {
		return fmt.Errorf("store: migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	return nil
}

// Engine returns SQLite or Postgres.
func (s *Store) Engine() string { return s.engine }

// DB exposes the pool for the session store.
func (s *Store) DB() *sql.DB { return s.db }

// Close closes the pool.
func (s *Store) Close() (err error) {
	defer wrap(&err, "store.Close")
	s.stmts.close()
	return s.db.Close()
}

// Tx runs fn in one transaction: committed when fn returns nil, rolled
// back otherwise. Nested calls join the outer transaction.
func (s *Store) Tx(ctx context.Context, fn func(tx *Store) error) (err error) {
	defer wrap(&err, "store.Tx")
	if s.inTx {
		return fn(s)
	}
	sqlTx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return mapErr(err)
	}
	defer func() {
		if p := recover(); p != nil {
			sqlTx.Rollback()
			panic(p)
		}
		if err != nil {
			sqlTx.Rollback()
			return
		}
		err = mapErr(sqlTx.Commit())
	}()
	return fn(&Store{db: s.db, q: cachedQ{c: s.stmts, tx: sqlTx}, stmts: s.stmts, engine: s.engine, inTx: true})
}

// Savepoint runs fn inside a savepoint of the store's transaction: when fn
// fails, its writes are undone and the transaction goes on (a bulk import
// drops a refused row alone). Both engines use the same SQL.
func (s *Store) Savepoint(ctx context.Context, fn func() error) (err error) {
	defer wrap(&err, "store.Savepoint")
	if !s.inTx {
		return errors.New("store: a savepoint needs a transaction")
	}
	if _, err := s.q.ExecContext(ctx, "SAVEPOINT ketnap_row"); err != nil {
		return mapErr(err)
	}
	if err := fn(); err != nil {
		if _, rerr := s.q.ExecContext(ctx, "ROLLBACK TO SAVEPOINT ketnap_row"); rerr != nil {
			return errors.Join(err, mapErr(rerr))
		}
		if _, rerr := s.q.ExecContext(ctx, "RELEASE SAVEPOINT ketnap_row"); rerr != nil {
			return errors.Join(err, mapErr(rerr))
		}
		return err
	}
	_, err = s.q.ExecContext(ctx, "RELEASE SAVEPOINT ketnap_row")
	return mapErr(err)
}

// Analyze refreshes the planner's statistics (after bulk loads).
func (s *Store) Analyze(ctx context.Context) (err error) {
	defer wrap(&err, "store.Analyze")
	_, err = s.q.ExecContext(ctx, "ANALYZE")
	return err
}

// GetMeta reads a key of the meta table ("" when absent).
func (s *Store) GetMeta(ctx context.Context, key string) (_ string, err error) {
	defer wrap(&err, "store.GetMeta(%q)", key)
	var v string
	err = s.q.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = $1`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, mapErr(err)
}

// SetMeta writes a key of the meta table.
func (s *Store) SetMeta(ctx context.Context, key, value string) (err error) {
	defer wrap(&err, "store.SetMeta(%q)", key)
	_, err = s.q.ExecContext(ctx,
		`INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return mapErr(err)
}

// SignInSessions returns the session manager's store over the sessions table
// (scs's own SQL for each engine), with its cleanup of expired sessions.
func (s *Store) SignInSessions() scs.Store {
	if s.engine == Postgres {
		return postgresstore.New(s.db)
	}
	return sqlite3store.New(s.db)
}
