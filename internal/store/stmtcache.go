package store

import (
	"context"
	"database/sql"
	"strings"
	"sync"
	"unicode"
)

// The SQLite driver parses a statement's text on every call; parsing was
// most of the cost of the demo load and of busy pages. stmts prepares each
// distinct SQL text once on a pool; database/sql then keeps the driver
// statement per connection. A transaction binds each text once
// (txStmts): database/sql keeps every statement bound to a transaction
// until it ends, so binding one per call held a statement for each of the
// 200,000 rows of a large import.
type stmts struct {
	db *sql.DB
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

// maxCached bounds the cache: texts built with a variable number of
// placeholders are many; past the bound they simply run unprepared.
const maxCached = 1000

// cached returns the statement prepared for query, nil when there is none.
func (c *stmts) cached(query string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[query]
}

func (c *stmts) get(ctx context.Context, query string) (*sql.Stmt, error) {
	c.mu.Lock()
	st, ok := c.m[query]
	full := len(c.m) >= maxCached
	c.mu.Unlock()
	if ok || full {
		return st, nil
	}
	st, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.m[query]; ok {
		st.Close()
		return old, nil
	}
	c.m[query] = st
	return st, nil
}

func (c *stmts) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		st.Close()
	}
	c.m = map[string]*sql.Stmt{}
}

// txStmts are the statements bound to one transaction, by text.
type txStmts struct {
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

// cachedQ runs queries through the statement caches: on the pool or, when
// tx is set, inside that transaction. Outside a transaction a query that
// writes goes to the writer's pool (w) and the others to the readers' (r);
// on PostgreSQL both are the one pool.
type cachedQ struct {
	w, r *stmts
	tx   *sql.Tx
	txs  *txStmts
}

// stmt returns the statement for query in the transaction: bound once,
// from the writer's prepared statement when there is one, else prepared on
// the transaction's own connection (preparing on the pool would wait for a
// connection the transaction holds: SQLite's writer has one). nil means
// run the text unprepared.
func (q cachedQ) txStmt(ctx context.Context, query string) (*sql.Stmt, error) {
	q.txs.mu.Lock()
	defer q.txs.mu.Unlock()
	if st, ok := q.txs.m[query]; ok {
		return st, nil
	}
	if len(q.txs.m) >= maxCached {
		return nil, nil
	}
	var st *sql.Stmt
	if pooled := q.w.cached(query); pooled != nil {
		st = q.tx.StmtContext(ctx, pooled)
	} else {
		var err error
		if st, err = q.tx.PrepareContext(ctx, query); err != nil {
			return nil, err
		}
	}
	q.txs.m[query] = st
	return st, nil
}

// pool returns the statement cache a query outside a transaction runs on.
func (q cachedQ) pool(query string, write bool) *stmts {
	if write || writes(query) {
		return q.w
	}
	return q.r
}

func (q cachedQ) stmt(ctx context.Context, query string, write bool) (*sql.Stmt, querier, error) {
	if q.tx != nil {
		st, err := q.txStmt(ctx, query)
		return st, q.tx, err
	}
	c := q.pool(query, write)
	st, err := c.get(ctx, query)
	return st, c.db, err
}

func (q cachedQ) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, raw, err := q.stmt(ctx, query, true)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return raw.ExecContext(ctx, query, args...)
	}
	return st.ExecContext(ctx, args...)
}

func (q cachedQ) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, raw, err := q.stmt(ctx, query, false)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return raw.QueryContext(ctx, query, args...)
	}
	return st.QueryContext(ctx, args...)
}

// QueryRowContext reports a preparation error through the row, as
// database/sql does: by running the unprepared text, which fails the same way.
func (q cachedQ) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, raw, err := q.stmt(ctx, query, false)
	if err != nil || st == nil {
		return raw.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

// writes reports whether a statement may write: anything but a SELECT (or
// VALUES, or a WITH whose statement is a SELECT). A mistake in the readers'
// favour fails loudly: their connections are query_only.
func writes(query string) bool {
	q := strings.TrimLeftFunc(query, unicode.IsSpace)
	word := q
	if i := strings.IndexFunc(q, func(r rune) bool { return !unicode.IsLetter(r) }); i >= 0 {
		word = q[:i]
	}
	switch strings.ToUpper(word) {
	case "SELECT", "VALUES":
		return false
	case "WITH":
		up := strings.ToUpper(q)
		for _, w := range []string{"INSERT", "UPDATE", "DELETE", "REPLACE"} {
			if containsWord(up, w) {
				return true
			}
		}
		return false
	}
	return true
}

// containsWord reports whether w occurs in s as a whole word.
func containsWord(s, w string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], w)
		if j < 0 {
			return false
		}
		j += i
		before := j == 0 || !isWordByte(s[j-1])
		after := j+len(w) == len(s) || !isWordByte(s[j+len(w)])
		if before && after {
			return true
		}
		i = j + len(w)
	}
}

func isWordByte(b byte) bool {
	return b == '_' || (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9')
}
