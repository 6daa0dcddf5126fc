package store

import (
	"context"
	"database/sql"
	"sync"
)

// The SQLite driver parses a statement's text on every call; parsing was
// most of the cost of the demo load and of busy pages. stmts prepares each
// distinct SQL text once on the pool; database/sql then keeps the driver
// statement per connection, and a transaction reuses the one prepared on
// its own connection (Tx.StmtContext).
type stmts struct {
	db *sql.DB
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

// maxCached bounds the cache: texts built with a variable number of
// placeholders are many; past the bound they simply run unprepared.
const maxCached = 1000

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

// cachedQ runs queries through the statement cache, on the pool or, when
// tx is set, inside that transaction.
type cachedQ struct {
	c  *stmts
	tx *sql.Tx
}

func (q cachedQ) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	st, err := q.c.get(ctx, query)
	if err != nil || st == nil {
		return nil, err
	}
	if q.tx != nil {
		return q.tx.StmtContext(ctx, st), nil
	}
	return st, nil
}

func (q cachedQ) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := q.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return q.raw().ExecContext(ctx, query, args...)
	}
	return st.ExecContext(ctx, args...)
}

func (q cachedQ) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := q.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return q.raw().QueryContext(ctx, query, args...)
	}
	return st.QueryContext(ctx, args...)
}

// QueryRowContext reports a preparation error through the row, as
// database/sql does: by running the unprepared text, which fails the same way.
func (q cachedQ) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := q.stmt(ctx, query)
	if err != nil || st == nil {
		return q.raw().QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

func (q cachedQ) raw() querier {
	if q.tx != nil {
		return q.tx
	}
	return q.c.db
}
