package store

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/testkit/testdb"
)

// Issue 13, item 5: twenty parallel writes on a just-created database
// stalled 10–30 s and some failed with SQLITE_BUSY. Each round opens a
// fresh database (migrations run, as at a first start) and lets twenty
// goroutines write at once: a transaction of several statements each, and
// writes outside any transaction (as the session store does), while
// others read. Every write must succeed, none may wait anywhere near
// busy_timeout (10 s), and the data must all be there.
func TestParallelWritersOnAFreshDatabase(t *testing.T) {
	const writers, rounds = 20, 4
	for round := range rounds {
		ctx := t.Context()
		st, err := Open(ctx, testdb.DSN(t))
		if err != nil {
			t.Fatal(err)
		}
		root := mkOrg(t, st, fmt.Sprintf("r%d", round), 0)
		var wg sync.WaitGroup
		errs := make(chan error, 3*writers)
		slowest := make(chan time.Duration, 3*writers)
		start := make(chan struct{})
		for w := range writers {
			wg.Add(3)
			go func() { // a transaction: a unit, a person in it, an audit record
				defer wg.Done()
				<-start
				t0 := time.Now()
				err := st.Tx(ctx, func(tx *Store) error {
					o := &domain.Org{Code: fmt.Sprintf("u%d-%d", round, w), Name: fmt.Sprintf("Chi bộ %d", w), Kind: domain.KindChapter,
						Sector: "agency", ParentID: root.ID, ValidFrom: d(2020, 1, 1)}
					if err := tx.CreateOrg(ctx, o); err != nil {
						return err
					}
					if err := tx.CreatePerson(ctx, newPerson(o.ID, fmt.Sprintf("Nguyễn Văn Số %d", w), ""), time.Now()); err != nil {
						return err
					}
					return tx.Audit(ctx, time.Now(), 0, "create", "org", o.ID, "")
				})
				slowest <- time.Since(t0)
				errs <- err
			}()
			go func() { // a write outside any transaction
				defer wg.Done()
				<-start
				t0 := time.Now()
				err := st.SetMeta(ctx, fmt.Sprintf("k%d", w), "v")
				slowest <- time.Since(t0)
				errs <- err
			}()
			go func() { // a read beside them
				defer wg.Done()
				<-start
				_, err := st.GetOrgByCode(ctx, root.Code)
				errs <- err
			}()
		}
		close(start)
		wg.Wait()
		close(errs)
		close(slowest)
		for err := range errs {
			if err != nil {
				t.Errorf("round %d: %v", round, err)
			}
		}
		var worst time.Duration
		for d := range slowest {
			worst = max(worst, d)
		}
		t.Logf("round %d: the slowest write took %v", round, worst)
		if worst > 8*time.Second {
			t.Errorf("round %d: a write waited %v (SQLite's busy handler polls; the writer's queue should not)", round, worst)
		}
		var n int
		if err := st.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM orgs WHERE code LIKE $1`, fmt.Sprintf("u%d-%%", round)).Scan(&n); err != nil || n != writers {
			t.Errorf("round %d: %d units written (%v); want %d", round, n, err, writers)
		}
		st.Close()
	}
}

// On SQLite the readers' connections cannot write: a statement sent to
// them by mistake fails rather than contend with the writer.
func TestReadersDoNotWrite(t *testing.T) {
	st, ctx := openTest(t)
	if st.Engine() != SQLite {
		t.Skip("PostgreSQL has one pool")
	}
	_, err := st.rdb.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('x', 'y')`)
	if err == nil || !strings.Contains(err.Error(), "readonly") {
		t.Fatalf("a write on a reader: %v; want a read-only database error", err)
	}
	if st.db.Stats().MaxOpenConnections != 1 {
		t.Errorf("the writer's pool has %d connections; want 1", st.db.Stats().MaxOpenConnections)
	}
	// A write sent through the store outside a transaction, even one that
	// reads its result (RETURNING), goes to the writer.
	var key string
	if err := st.q.QueryRowContext(ctx, `INSERT INTO meta (key, value) VALUES ('a', 'b') RETURNING key`).Scan(&key); err != nil || key != "a" {
		t.Fatalf("INSERT … RETURNING outside a transaction: %q, %v", key, err)
	}
}

func TestWrites(t *testing.T) {
	for q, want := range map[string]bool{
		"SELECT 1": false, "  select * from orgs": false, "\n\tSELECT": false, "VALUES (1)": false,
		"WITH x AS (SELECT 1) SELECT * FROM x":                 false,
		"WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x":   true,
		"WITH x AS (SELECT updated_at FROM t) SELECT * FROM x": false,
		"INSERT INTO meta VALUES (1)":                          true, "UPDATE people SET x = 1": true, "DELETE FROM t": true,
		"REPLACE INTO sessions": true, "ANALYZE": true, "PRAGMA wal_checkpoint": true, "-- a comment\nSELECT 1": true,
		"CREATE TABLE t (x)": true, "VACUUM INTO 'x'": true,
	} {
		if got := writes(q); got != want {
			t.Errorf("writes(%q) = %v; want %v", q, got, want)
		}
	}
}

// A transaction binds each statement's text once, however many times it
// runs: database/sql keeps what is bound to a transaction until its end.
func TestTxBindsAStatementOnce(t *testing.T) {
	st, ctx := openTest(t)
	root := mkOrg(t, st, "root", 0)
	var first, bound int
	err := st.Tx(context.WithoutCancel(ctx), func(tx *Store) error {
		for i := range 50 {
			if err := tx.CreatePerson(ctx, newPerson(root.ID, fmt.Sprintf("Lê Văn Số %d", i), ""), time.Now()); err != nil {
				return err
			}
			if i == 0 {
				first = len(tx.q.(cachedQ).txs.m)
			}
		}
		bound = len(tx.q.(cachedQ).txs.m)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// the person's row, its unit's path, its name's words in the two word
	// tables, and the source's time in the funnel (its facts, its spans,
	// their counts): each text bound by the first person, none by the 49 after
	if first < 4 || bound != first {
		t.Errorf("%d statements bound for the first person, %d for 50; want the same", first, bound)
	}
}
