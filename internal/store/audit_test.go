package store

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// auditWorld is a store whose audit log holds n records written one by one.
func auditWorld(t *testing.T, n int) (*Store, context.Context) {
	t.Helper()
	st, ctx := openTest(t)
	at := time.Date(2024, 6, 1, 3, 0, 0, 123456789, time.UTC)
	for i := range n {
		detail := fmt.Sprintf(`{"i":%d,"name":"Nguyễn Văn Đức"}`, i)
		if err := st.Audit(ctx, at.Add(time.Duration(i)*time.Second), int64(i%3), "update", "person", int64(100+i), detail); err != nil {
			t.Fatal(err)
		}
	}
	return st, ctx
}

func verify(t *testing.T, st *Store, ctx context.Context) *AuditBreak {
	t.Helper()
	brk, _, err := st.VerifyAudit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return brk
}

func exec(t *testing.T, st *Store, ctx context.Context, q string, args ...any) {
	t.Helper()
	if _, err := st.DB().ExecContext(ctx, q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// Issue 13, item 4: the audit log is a hash chain. Editing, deleting,
// inserting or reordering rows in SQL is caught, naming the first record
// that does not verify; on both engines.
func TestAuditChainCatchesTampering(t *testing.T) {
	st, ctx := auditWorld(t, 8)
	brk, n, err := st.VerifyAudit(ctx)
	if err != nil || brk != nil || n != 8 {
		t.Fatalf("a fresh chain: %+v, %d records, %v; want intact, 8", brk, n, err)
	}
	// The chain links each record to the one before and to its own fields.
	var first, second AuditRecord
	_ = st.eachAudit(ctx, `ORDER BY id LIMIT 2`, nil, func(r *AuditRecord) error {
		if first.ID == 0 {
			first = *r
		} else {
			second = *r
		}
		return nil
	})
	if first.PrevHash != "" || len(first.Hash) != 64 || second.PrevHash != first.Hash || second.ID != first.ID+1 {
		t.Fatalf("chain: first %+v, second %+v", first, second)
	}
	if !first.At.Equal(time.Date(2024, 6, 1, 3, 0, 0, 123456000, time.UTC)) {
		t.Errorf("time kept as %v; want UTC to the microsecond", first.At)
	}

	cases := []struct {
		name   string
		tamper func(st *Store, ctx context.Context)
		id     int64
		reason string
	}{
		{"edit the detail", func(st *Store, ctx context.Context) {
			exec(t, st, ctx, `UPDATE audit_log SET detail = '{"i":3,"name":"Trần Văn B"}' WHERE id = 4`)
		}, 4, AuditChanged},
		{"edit the user", func(st *Store, ctx context.Context) {
			exec(t, st, ctx, `UPDATE audit_log SET user_id = NULL WHERE id = 6`)
		}, 6, AuditChanged},
		{"edit the time", func(st *Store, ctx context.Context) {
			exec(t, st, ctx, `UPDATE audit_log SET at = $1 WHERE id = 2`, time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC))
		}, 2, AuditChanged},
		{"delete a record", func(st *Store, ctx context.Context) {
			exec(t, st, ctx, `DELETE FROM audit_log WHERE id = 5`)
		}, 6, AuditLinkBroken},
		{"delete the first", func(st *Store, ctx context.Context) {
			exec(t, st, ctx, `DELETE FROM audit_log WHERE id = 1`)
		}, 2, AuditLinkBroken},
		{"delete the last", func(st *Store, ctx context.Context) {
			exec(t, st, ctx, `DELETE FROM audit_log WHERE id = 8`)
		}, 8, AuditTailMissing},
		{"swap two records", func(st *Store, ctx context.Context) {
			exec(t, st, ctx, `UPDATE audit_log SET id = 100 WHERE id = 3`)
			exec(t, st, ctx, `UPDATE audit_log SET id = 3 WHERE id = 4`)
			exec(t, st, ctx, `UPDATE audit_log SET id = 4 WHERE id = 100`)
		}, 3, AuditLinkBroken},
		{"swap the contents and the hashes", func(st *Store, ctx context.Context) {
			exec(t, st, ctx, `UPDATE audit_log SET id = 100 WHERE id = 3`)
			exec(t, st, ctx, `UPDATE audit_log SET id = 3, prev_hash = (SELECT prev_hash FROM audit_log WHERE id = 100) WHERE id = 4`)
		}, 3, AuditChanged},
		{"insert a record", func(st *Store, ctx context.Context) {
			exec(t, st, ctx, `INSERT INTO audit_log (id, at, user_id, action, entity, entity_id, detail, prev_hash, hash)
				SELECT 9, at, user_id, action, entity, entity_id, detail, hash, hash FROM audit_log WHERE id = 8`)
		}, 9, AuditOutside},
		{"rewrite a record with its hash", func(st *Store, ctx context.Context) {
			// the attacker recomputes the edited record's hash: the next
			// record's link catches it
			var r AuditRecord
			_ = st.eachAudit(ctx, `WHERE id = 5`, nil, func(x *AuditRecord) error { r = *x; return nil })
			r.Detail = `{"i":4,"name":"Người khác"}`
			exec(t, st, ctx, `UPDATE audit_log SET detail = $1, hash = $2 WHERE id = 5`, r.Detail, r.ComputeHash())
		}, 6, AuditLinkBroken},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st, ctx := auditWorld(t, 8)
			c.tamper(st, ctx)
			brk := verify(t, st, ctx)
			if brk == nil || brk.ID != c.id || brk.Reason != c.reason {
				t.Errorf("after %s: %+v; want record %d, %s", c.name, brk, c.id, c.reason)
			}
		})
	}
}

// Records written before the chain existed (audit_head.chained false, as
// the migration leaves a database that has some) are chained by the next
// write, in id order, and verify after it.
func TestAuditChainsLegacyRecords(t *testing.T) {
	st, ctx := openTest(t)
	for i := range 5 {
		exec(t, st, ctx, `INSERT INTO audit_log (at, user_id, action, entity, entity_id, detail) VALUES ($1, $2, 'create', 'org', $3, '')`,
			time.Date(2023, 1, 1, 0, 0, i, 0, time.UTC), int64(i+1), int64(i+1))
	}
	exec(t, st, ctx, `UPDATE audit_head SET chained = FALSE, last_id = 0, last_hash = ''`)
	if err := st.Audit(ctx, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), 1, "update", "org", 1, ""); err != nil {
		t.Fatal(err)
	}
	brk, n, err := st.VerifyAudit(ctx)
	if err != nil || brk != nil || n != 6 {
		t.Fatalf("after chaining the legacy records: %+v, %d, %v; want intact, 6", brk, n, err)
	}
	// …or by `audit verify` itself when nothing was written since.
	exec(t, st, ctx, `UPDATE audit_log SET prev_hash = '', hash = ''`)
	exec(t, st, ctx, `UPDATE audit_head SET chained = FALSE, last_id = 0, last_hash = ''`)
	if brk, n, err := st.VerifyAudit(ctx); err != nil || brk != nil || n != 6 {
		t.Errorf("verify chaining the legacy records: %+v, %d, %v", brk, n, err)
	}
}

// One writer at a time per chain: parallel transactions each appending
// records never fork the chain (SQLite's write lock; PostgreSQL's lock on
// the head row).
func TestAuditChainParallelWriters(t *testing.T) {
	st, ctx := openTest(t)
	var wg sync.WaitGroup
	errs := make([]error, 12)
	for w := range 12 {
		wg.Go(func() {
			errs[w] = st.Tx(ctx, func(tx *Store) error {
				for i := range 3 {
					if err := tx.Audit(ctx, time.Now(), int64(w), "update", "org", int64(i), ""); err != nil {
						return err
					}
				}
				return nil
			})
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	brk, n, err := st.VerifyAudit(ctx)
	if err != nil || brk != nil || n != 36 {
		t.Errorf("after 12 parallel writers: %+v, %d records, %v; want intact, 36", brk, n, err)
	}
}

// A batch (an import's records) is chained like single records and costs
// one head update.
func TestAuditBatch(t *testing.T) {
	st, ctx := auditWorld(t, 2)
	recs := make([]AuditRecord, 300)
	for i := range recs {
		recs[i] = AuditRecord{At: time.Now(), UserID: 1, Action: "import", Entity: "person", EntityID: int64(i + 1), Detail: `{"name":"Nguyễn Thị Hoa"}`}
	}
	if err := st.AuditBatch(ctx, recs); err != nil {
		t.Fatal(err)
	}
	if brk, n, err := st.VerifyAudit(ctx); err != nil || brk != nil || n != 302 {
		t.Errorf("after a batch of 300: %+v, %d, %v", brk, n, err)
	}
	if recs[0].ID != 3 || recs[299].ID != 302 || recs[1].PrevHash != recs[0].Hash {
		t.Errorf("batch ids %d…%d", recs[0].ID, recs[299].ID)
	}
}

// A transaction holds the chain's head until it commits (txHeld): its
// records chain on one another, a savepoint rolled back takes its records
// with it, a transaction that fails leaves the head as it was, and the
// head row is written once.
func TestAuditHeadHeldByTransaction(t *testing.T) {
	st, ctx := auditWorld(t, 2)
	at := time.Date(2024, 6, 2, 3, 0, 0, 0, time.UTC)
	audit := func(tx *Store, i int) error {
		return tx.Audit(ctx, at, 1, "update", "person", int64(i), fmt.Sprintf(`{"i":%d}`, i))
	}
	err := st.Tx(ctx, func(tx *Store) error {
		for i := range 3 {
			if err := audit(tx, i); err != nil {
				return err
			}
		}
		undone := tx.Savepoint(ctx, func() error {
			if err := audit(tx, 10); err != nil {
				return err
			}
			return fmt.Errorf("refused row")
		})
		if undone == nil {
			t.Error("the savepoint's error was lost")
		}
		if h, err := tx.readAuditHead(ctx); err != nil || h.LastID != 5 {
			t.Errorf("the head inside the transaction: %+v %v; want record 5", h, err)
		}
		return audit(tx, 4)
	})
	if err != nil {
		t.Fatal(err)
	}
	brk, n, err := st.VerifyAudit(ctx)
	if err != nil || brk != nil || n != 6 {
		t.Fatalf("after the transaction: %+v, %d records, %v; want intact, 6", brk, n, err)
	}
	failed := st.Tx(ctx, func(tx *Store) error {
		if err := audit(tx, 20); err != nil {
			return err
		}
		return fmt.Errorf("the import failed")
	})
	if failed == nil {
		t.Fatal("the failing transaction committed")
	}
	if err := st.Audit(ctx, at, 1, "update", "person", 30, `{}`); err != nil {
		t.Fatal(err)
	}
	brk, n, err = st.VerifyAudit(ctx)
	if err != nil || brk != nil || n != 7 {
		t.Fatalf("after a failed transaction: %+v, %d records, %v; want intact, 7", brk, n, err)
	}
}
