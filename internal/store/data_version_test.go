package store

import (
	"errors"
	"testing"
	"time"
)

// Every committed write advances the data version, in its own
// transaction: not before the commit, not for a rolled-back transaction,
// not for the bookkeeping tables.
func TestDataVersionAdvancesWithCommittedWrites(t *testing.T) {
	st, ctx := openTest(t)
	version := func() int64 {
		t.Helper()
		v, err := st.DataVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	v0 := version()

	// a write outside a transaction
	if err := st.SetMeta(ctx, "probe", "1"); err != nil {
		t.Fatal(err)
	}
	v1 := version()
	if v1 <= v0 {
		t.Fatalf("SetMeta: version %d → %d, want it advanced", v0, v1)
	}

	// a transaction: the version moves with its commit, not before
	err := st.Tx(ctx, func(tx *Store) error {
		if err := tx.SetMeta(ctx, "probe", "2"); err != nil {
			return err
		}
		if err := tx.SetMeta(ctx, "probe2", "2"); err != nil {
			return err
		}
		if got := version(); got != v1 {
			t.Errorf("inside the writing transaction another reader sees version %d, want still %d", got, v1)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	v2 := version()
	if v2 <= v1 {
		t.Fatalf("committed transaction: version %d → %d, want it advanced", v1, v2)
	}

	// a rolled-back transaction leaves it
	boom := errors.New("boom")
	if err := st.Tx(ctx, func(tx *Store) error {
		if err := tx.SetMeta(ctx, "probe", "3"); err != nil {
			return err
		}
		return boom
	}); !errors.Is(err, boom) {
		t.Fatalf("Tx = %v", err)
	}
	if got := version(); got != v2 {
		t.Errorf("rolled back: version %d, want %d", got, v2)
	}

	// bookkeeping that no response shows leaves it too
	if _, err := st.LoginAttempt(ctx, "ai", time.Now(), 15*time.Minute, 10); err != nil {
		t.Fatal(err)
	}
	if got := version(); got != v2 {
		t.Errorf("sign-in attempt: version %d, want %d", got, v2)
	}
}

// Every table has the data version's trigger, but the bookkeeping ones:
// a table that a later migration adds is covered at open.
func TestDataVersionTriggersOnEveryTable(t *testing.T) {
	st, ctx := openTest(t)
	var missing []string
	var err error
	if st.engine == Postgres {
		missing, err = st.strings(ctx, `SELECT t.tablename FROM pg_tables t WHERE t.schemaname = current_schema()
			AND NOT EXISTS (SELECT 1 FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
			  JOIN pg_namespace n ON n.oid = c.relnamespace
			  WHERE n.nspname = t.schemaname AND c.relname = t.tablename AND g.tgname = 'data_version_' || t.tablename)`)
	} else {
		missing, err = st.strings(ctx, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
			AND (SELECT COUNT(*) FROM sqlite_master g WHERE g.type = 'trigger' AND g.tbl_name = sqlite_master.name
			  AND g.name LIKE 'data_version_%') <> 3`)
	}
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range missing {
		if !unversioned[m] {
			t.Errorf("table %s has no data version trigger", m)
		}
		n++
	}
	if n == 0 {
		t.Errorf("even the bookkeeping tables have a trigger")
	}
	// a table created after open gets its trigger at the next open
	if _, err := st.q.ExecContext(ctx, `CREATE TABLE later_table (id INTEGER PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	if err := st.ensureVersionTriggers(ctx); err != nil {
		t.Fatal(err)
	}
	v0, _ := st.DataVersion(ctx)
	if _, err := st.q.ExecContext(ctx, `INSERT INTO later_table (id) VALUES (1)`); err != nil {
		t.Fatal(err)
	}
	if v1, _ := st.DataVersion(ctx); v1 <= v0 {
		t.Errorf("insert into a later table: version %d → %d", v0, v1)
	}
}
