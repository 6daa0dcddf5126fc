// Package store keeps ketnap's data in SQLite (modernc, the default) or
// PostgreSQL (pgx). The SQL text is the same on both: $N placeholders,
// RETURNING, ON CONFLICT; only the migrations and the error mapping differ.
// There is one file per entity.
package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"net/url"
	"strconv"
	"strings"
	"sync"
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
//
// On SQLite it holds two pools (issue 13, item 5): the writer, one
// connection whose transactions begin IMMEDIATE, and the readers, several
// connections that may only read (query_only). SQLite lets one writer in
// at a time; with several connections able to write, a burst of writes
// waited in SQLite's own busy handler, which sleeps and polls rather than
// queues, and gave up with SQLITE_BUSY after busy_timeout (20 parallel
// writes on a just-started server: stalls of 10–30 s and 500s). With one
// writer connection the writes queue in database/sql for it instead and
// never meet a lock, while reads go on beside them (WAL). A statement that
// writes outside a transaction goes to the writer by its first word
// (writes); a mistake shows as "attempt to write a readonly database".
// PostgreSQL keeps one pool: db and rdb are the same.
type Store struct {
	db     *sql.DB // the writer (SQLite) or the one pool
	rdb    *sql.DB // the readers (SQLite), or db
	q      querier
	stmts  *stmts // statements prepared on db
	rstmts *stmts // statements prepared on rdb (stmts on PostgreSQL)
	engine string
	inTx   bool
	counts *searchCounts // the name search's counts by data version (nil in a transaction)
	held   *txHeld       // what the transaction holds until its commit (nil outside one)
}

// txHeld is what a transaction keeps in memory until it commits: the
// audit chain's head once locked (AuditBatch), written back once before
// the commit rather than with every record — a load that audits
// thousands of records in one transaction would otherwise grow the
// head row's versions (PostgreSQL) with every one.
type txHeld struct {
	head  *auditHead
	dirty bool
	meta  map[string]string // the meta keys read or written in the transaction
}

// metaOf is the value of a meta key the transaction read or wrote (a
// long transaction — the demo's load, an import — reads the calendar's
// version and the demo's date for every step).
func (h *txHeld) metaOf(key string) (string, bool) {
	if h == nil || h.meta == nil {
		return "", false
	}
	v, ok := h.meta[key]
	return v, ok
}

func (h *txHeld) keepMeta(key, value string) {
	if h == nil {
		return
	}
	if h.meta == nil {
		h.meta = map[string]string{}
	}
	h.meta[key] = value
}

// flush writes back what the transaction held.
func (s *Store) flushHeld(ctx context.Context) error {
	if s.held == nil || !s.held.dirty {
		return nil
	}
	h := s.held.head
	_, err := s.q.ExecContext(ctx, `UPDATE audit_head SET last_id = $1, last_hash = $2 WHERE id = 1`, h.LastID, h.LastHash)
	s.held.dirty = false
	return mapErr(err)
}

// IsPostgres reports whether the DSN selects PostgreSQL (CONTRACT "Binary and storage").
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// SQLiteDSN turns a file path into the modernc DSN of the writer with the
// pragmas of go-stack §1b: busy_timeout first, WAL, foreign keys,
// immediate write transactions, and times stored in SQLite's own format.
func SQLiteDSN(path string) string {
	if strings.HasPrefix(path, "file:") {
		return path
	}
	v := sqlitePragmas(writerCacheKB)
	v.Add("_pragma", "journal_mode(WAL)")
	v.Set("_txlock", "immediate")
	return "file:" + path + "?" + v.Encode()
}

// sqliteReaderDSN is the DSN of the readers: the writer's pragmas but the
// journal mode (WAL is the file's, set by the writer) and read-only
// connections.
func sqliteReaderDSN(path string) string {
	if rest, ok := strings.CutPrefix(path, "file:"); ok {
		file, query, _ := strings.Cut(rest, "?")
		v, err := url.ParseQuery(query)
		if err != nil {
			return path
		}
		v.Del("_txlock")
		v.Add("_pragma", "query_only(1)")
		return "file:" + file + "?" + v.Encode()
	}
	v := sqlitePragmas(readerCacheKB)
	v.Add("_pragma", "query_only(1)")
	return "file:" + path + "?" + v.Encode()
}

// The page cache of SQLite's connections, in KiB. It lives outside the Go
// heap (server.MemoryLimit does not bound it), once per connection: the
// writer keeps 32 MB, each of the sqliteReaders 8 MB, so that serving the
// country keeps under 300 MB (issue 15: nine connections of 32 MB took
// 290 MB beside the heap); the operating system's cache keeps the rest of
// the file.
const (
	writerCacheKB = 32000
	readerCacheKB = 8000
)

func sqlitePragmas(cacheKB int) url.Values {
	v := url.Values{}
	v.Add("_pragma", "busy_timeout(10000)")
	v.Add("_pragma", "foreign_keys(1)")
	v.Add("_pragma", "synchronous(NORMAL)")
	v.Add("_pragma", "temp_store(MEMORY)")
	v.Add("_pragma", "cache_size(-"+strconv.Itoa(cacheKB)+")")
	v.Set("_time_format", "sqlite")
	return v
}

// sqliteReaders is the size of SQLite's readers' pool.
const sqliteReaders = 8

// Open opens the database named by dsn and runs the migrations.
func Open(ctx context.Context, dsn string) (_ *Store, err error) {
	engine, driver, source := SQLite, "sqlite", SQLiteDSN(dsn)
	if IsPostgres(dsn) {
		engine, driver, source = Postgres, "pgx", dsn
	}
	db, err := sql.Open(driver, source)
	if err != nil {
		return nil, fmt.Errorf("store: open: %w", err)
	}
	rdb := db
	defer func() {
		if err != nil {
			if rdb != db {
				rdb.Close()
			}
			db.Close()
		}
	}()
	switch {
	case engine == Postgres:
		db.SetMaxOpenConns(20)
		db.SetMaxIdleConns(20) // not the default two: see the readers below
	case dsn == ":memory:" || strings.Contains(dsn, "mode=memory"):
		db.SetMaxOpenConns(1) // one connection is the whole database
	default:
		db.SetMaxOpenConns(1)
		if rdb, err = sql.Open(driver, sqliteReaderDSN(dsn)); err != nil {
			rdb = db
			return nil, fmt.Errorf("store: open: %w", err)
		}
		rdb.SetMaxOpenConns(sqliteReaders)
		// keep them all: database/sql keeps two idle by default, and under
		// load the others were closed and opened again on every burst
		// (opening one reads the schema: a quarter of a cached answer's CPU)
		rdb.SetMaxIdleConns(sqliteReaders)
		rdb.SetConnMaxIdleTime(5 * time.Minute)
	}
	db.SetConnMaxIdleTime(5 * time.Minute)
	pctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := db.PingContext(pctx); err != nil {
		return nil, domain.Errorf(domain.EInternal, "Không mở được cơ sở dữ liệu %s: %v", redact(dsn), err)
	}
	w := &stmts{db: db, m: map[string]*sql.Stmt{}}
	r := w
	if rdb != db {
		r = &stmts{db: rdb, m: map[string]*sql.Stmt{}}
	}
	s := &Store{db: db, rdb: rdb, q: cachedQ{w: w, r: r}, stmts: w, rstmts: r, engine: engine, counts: &searchCounts{}}
	if err := s.migrate(ctx); err != nil {
		return nil, err
	}
	if err := s.ensureVersionTriggers(ctx); err != nil {
		return nil, err
	}
	if _, err := s.refreshNameKeys(ctx); err != nil {
		return nil, fmt.Errorf("store: recomputing the name keys: %w", err)
	}
	if err := s.fillPersonWords(ctx); err != nil {
		return nil, err
	}
	if err := s.fillAdmissionCounts(ctx); err != nil {
		return nil, err
	}
	if err := s.fillPipelineCounts(ctx); err != nil {
		return nil, err
	}
	if err := s.fillFunnelCounts(ctx); err != nil {
		return nil, err
	}
	if err := s.fillResidenceMembers(ctx); err != nil {
		return nil, err
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
	// Out of order: migrations numbered on parallel branches land in
	// main in any order; a database that already has a later one still
	// gets an earlier one merged after it.
	p, err := goose.NewProvider(dialect, s.db, sub, goose.WithAllowOutofOrder(true))
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

// DB exposes the writer's pool (the one pool on PostgreSQL), which may
// both read and write.
func (s *Store) DB() *sql.DB { return s.db }

// Ping checks that the database answers, on a reader: it does not wait
// behind a long write.
func (s *Store) Ping(ctx context.Context) (err error) {
	defer wrap(&err, "store.Ping")
	return s.rdb.PingContext(ctx)
}

// Close closes the pools.
func (s *Store) Close() (err error) {
	defer wrap(&err, "store.Close")
	s.stmts.close()
	if s.rdb != s.db {
		s.rstmts.close()
		err = s.rdb.Close()
	}
	return errors.Join(err, s.db.Close())
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
	tx := &Store{db: s.db, rdb: s.rdb, q: cachedQ{w: s.stmts, r: s.rstmts, tx: sqlTx, txs: &txStmts{m: map[string]*sql.Stmt{}}},
		stmts: s.stmts, rstmts: s.rstmts, engine: s.engine, inTx: true, held: &txHeld{}}
	if err := fn(tx); err != nil {
		return err
	}
	return tx.flushHeld(ctx)
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
	held := *s.held
	if held.head != nil {
		h := *held.head
		held.head = &h
	}
	held.meta = maps.Clone(held.meta)
	if err := fn(); err != nil {
		*s.held = held // the audit records of fn are undone with it
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

// BulkCache gives the writer a page cache of mb megabytes for a bulk load
// (SQLite; nothing on PostgreSQL) and returns what puts the default back:
// the loads insert in the random order of names into indexes far larger
// than the default cache, which then spills dirty pages to the WAL and
// reads them back for every batch.
func (s *Store) BulkCache(ctx context.Context, mb int) (restore func(), err error) {
	defer wrap(&err, "store.BulkCache")
	if s.engine == Postgres {
		return func() {}, nil
	}
	if _, err := s.db.ExecContext(ctx, fmt.Sprintf("PRAGMA cache_size = -%d", mb*1024)); err != nil {
		return nil, mapErr(err)
	}
	return func() { s.db.ExecContext(context.Background(), "PRAGMA cache_size = -32000") }, nil
}

// Analyze refreshes the planner's statistics (after bulk loads). On
// PostgreSQL outside a transaction it vacuums too: after a bulk load the
// visibility map is empty, and an index-only scan (the counts, the name
// words) reads the table's pages for every row until autovacuum comes.
func (s *Store) Analyze(ctx context.Context) (err error) {
	defer wrap(&err, "store.Analyze")
	q := "ANALYZE"
	if s.engine == Postgres && !s.inTx {
		q = "VACUUM (ANALYZE)"
	}
	_, err = s.q.ExecContext(ctx, q)
	return err
}

// GetMeta reads a key of the meta table ("" when absent).
func (s *Store) GetMeta(ctx context.Context, key string) (_ string, err error) {
	defer wrap(&err, "store.GetMeta(%q)", key)
	if v, ok := s.held.metaOf(key); ok {
		return v, nil
	}
	var v string
	err = s.q.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = $1`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		v, err = "", nil
	}
	if err == nil {
		s.held.keepMeta(key, v)
	}
	return v, mapErr(err)
}

// SetMeta writes a key of the meta table.
func (s *Store) SetMeta(ctx context.Context, key, value string) (err error) {
	defer wrap(&err, "store.SetMeta(%q)", key)
	_, err = s.q.ExecContext(ctx,
		`INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	if err == nil {
		s.held.keepMeta(key, value)
	}
	return mapErr(err)
}

// SignInSessions returns the session manager's store over the sessions table
// (scs's own SQL for each engine), with its cleanup of expired sessions. On
// SQLite a session is found on a reader and saved on the writer.
//
// A session's idle timeout makes the session manager save the session on
// every request, only to push its expiry on: a write per page view, which
// on SQLite's one writer capped a cached answer at some 1,400 requests a
// second. The store skips a save whose data is unchanged and whose expiry
// moves by less than sessionExpirySlack from the one this process last
// wrote: a session may then expire up to that much before its exact idle
// deadline, and a session ended elsewhere (sign-out, a disabled user) is
// not written back.
func (s *Store) SignInSessions() scs.Store {
	var inner scs.Store
	switch {
	case s.engine == Postgres:
		inner = postgresstore.New(s.db)
	case s.rdb == s.db:
		inner = sqlite3store.New(s.db)
	default:
		inner = splitSessions{find: sqlite3store.NewWithCleanupInterval(s.rdb, 0), save: sqlite3store.New(s.db)}
	}
	find := `SELECT data FROM sessions WHERE token = $1 AND julianday('now') < expiry`
	if s.engine == Postgres {
		find = `SELECT data FROM sessions WHERE token = $1 AND current_timestamp < expiry`
	}
	return &quietSessions{Store: inner, st: s, find: find, saved: map[string]savedSession{}}
}

// sessionExpirySlack is how far a session's expiry may lag behind its
// exact idle deadline (see SignInSessions).
const sessionExpirySlack = time.Minute

// maxSavedSessions bounds what quietSessions remembers; past it, it
// forgets everything and saves each session once more.
const maxSavedSessions = 100_000

// quietSessions saves a session only when its data changes or its expiry
// moves on by sessionExpirySlack.
// It finds a session with the store's prepared statement (scs's own SQL,
// which the driver parsed anew on every request).
type quietSessions struct {
	scs.Store
	st    *Store
	find  string
	mu    sync.Mutex
	saved map[string]savedSession
}

func (q *quietSessions) Find(token string) ([]byte, bool, error) {
	var b []byte
	err := q.st.q.QueryRowContext(context.Background(), q.find, token).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return b, true, nil
}

type savedSession struct {
	sum    [32]byte
	expiry time.Time
}

func (q *quietSessions) Commit(token string, b []byte, expiry time.Time) error {
	sum := sha256.Sum256(b)
	q.mu.Lock()
	last, ok := q.saved[token]
	q.mu.Unlock()
	if ok && last.sum == sum && !expiry.Before(last.expiry) && expiry.Sub(last.expiry) < sessionExpirySlack {
		return nil
	}
	if err := q.Store.Commit(token, b, expiry); err != nil {
		return err
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.saved) >= maxSavedSessions {
		clear(q.saved)
	}
	q.saved[token] = savedSession{sum: sum, expiry: expiry}
	return nil
}

func (q *quietSessions) Delete(token string) error {
	q.mu.Lock()
	delete(q.saved, token)
	q.mu.Unlock()
	return q.Store.Delete(token)
}

// splitSessions finds sessions with one store and saves them with another.
type splitSessions struct {
	find, save *sqlite3store.SQLite3Store
}

func (s splitSessions) Find(token string) ([]byte, bool, error) { return s.find.Find(token) }

func (s splitSessions) Commit(token string, b []byte, expiry time.Time) error {
	return s.save.Commit(token, b, expiry)
}

func (s splitSessions) Delete(token string) error { return s.save.Delete(token) }
