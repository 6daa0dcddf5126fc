package store

import (
	"fmt"
	"testing"

	"ketnap/internal/domain"
)

// A bulk load that fails halfway leaves nothing (loadRows's OR ROLLBACK on
// SQLite undoes the load's whole transaction, as PostgreSQL's failed
// transaction is), and the store goes on working after it.
func TestBulkLoadFailsWhole(t *testing.T) {
	st, ctx := openTest(t)
	ids, err := st.BulkNextIDs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	id := ids["orgs"]
	org := func(id int64, code string) domain.Org {
		return domain.Org{ID: id, Code: code, Name: "Đảng bộ " + code, Kind: domain.KindProvince, Sector: "commune",
			Path: fmt.Sprintf("/%d/", id), ValidFrom: domain.Day(2025, 7, 1)}
	}
	err = st.Tx(ctx, func(tx *Store) error {
		if err := tx.BulkOrgs(ctx, []domain.Org{org(id, "mot")}); err != nil {
			return err
		}
		// the same code again: the second statement fails
		return tx.BulkOrgs(ctx, []domain.Org{org(id+1, "hai"), org(id+2, "mot")})
	})
	if err == nil {
		t.Fatal("a load with a code twice was accepted")
	}
	var n int
	if err := st.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM orgs`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("after the failed load: %d organizations (%v), want none", n, err)
	}
	if err := st.Tx(ctx, func(tx *Store) error { return tx.BulkOrgs(ctx, []domain.Org{org(id, "mot")}) }); err != nil {
		t.Fatalf("a load after the failed one: %v", err)
	}
	if err := st.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM orgs`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("after the second load: %d organizations (%v), want 1", n, err)
	}
}
