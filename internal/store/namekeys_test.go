package store

import (
	"testing"

	"ketnap/internal/testkit/testdb"
	"ketnap/internal/vn"
)

// Name keys computed with another collation version (after an x/text
// upgrade) are recomputed when the store opens, and the version recorded;
// a store already at this version is left alone.
func TestNameKeysRecomputedOnNewCollation(t *testing.T) {
	ctx := t.Context()
	dsn := testdb.DSN(t)
	st, err := Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := st.GetMeta(ctx, metaNameKeyVersion); v != vn.SortKeyVersion {
		t.Fatalf("a new store records version %q; want %q", v, vn.SortKeyVersion)
	}
	org := mkOrg(t, st, "cb1", 0)
	for _, name := range []string{"Nguyễn Văn Đức", "Trần Thị Ánh", "Lê Văn An"} {
		mkPerson(t, st, org.ID, name, "")
	}
	// as if the keys came from older collation tables
	if _, err := st.db.ExecContext(ctx, `UPDATE people SET name_key = 'ff'`); err != nil {
		t.Fatal(err)
	}
	if err := st.SetMeta(ctx, metaNameKeyVersion, "vn1-cldr0-unicode0"); err != nil {
		t.Fatal(err)
	}
	st.Close()
	st, err = Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rows, err := st.db.QueryContext(ctx, `SELECT full_name, name_key FROM people ORDER BY name_key`)
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for rows.Next() {
		var name, key string
		if err := rows.Scan(&name, &key); err != nil {
			t.Fatal(err)
		}
		if key != nameKey(name) {
			t.Errorf("%s: key %s not recomputed", name, key)
		}
		order = append(order, name)
	}
	rows.Close()
	// Vietnamese order by given name: An, Ánh, Đức
	if want := []string{"Lê Văn An", "Trần Thị Ánh", "Nguyễn Văn Đức"}; len(order) != 3 || order[0] != want[0] || order[1] != want[1] || order[2] != want[2] {
		t.Errorf("order %v; want %v", order, want)
	}
	if v, _ := st.GetMeta(ctx, metaNameKeyVersion); v != vn.SortKeyVersion {
		t.Errorf("version %q after recomputing", v)
	}
	if n, err := st.refreshNameKeys(ctx); err != nil || n != 0 {
		t.Errorf("a second pass recomputed %d (%v)", n, err)
	}
}
