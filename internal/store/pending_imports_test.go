package store

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"ketnap/internal/domain"
)

func TestPendingImports(t *testing.T) {
	st, ctx := openTest(t)
	root := mkOrg(t, st, "root", 0)
	now := time.Date(2024, 5, 4, 10, 0, 0, 0, domain.Vietnam)
	user := func(name string) int64 {
		u := &domain.User{Username: name, Role: domain.RoleOrganizer, OrgID: root.ID, Active: true}
		if err := st.CreateUser(ctx, u, "h", now); err != nil {
			t.Fatal(err)
		}
		return u.ID
	}
	a, b := user("a"), user("b")
	data := []byte("PK\x03\x04 dữ liệu \x00\xff")
	put := func(token string, uid int64, at time.Time) {
		t.Helper()
		p := &domain.PendingImport{Token: token, UserID: uid, Kind: "candidates", FileName: "Danh sách.xlsx",
			SHA256: "abc", Data: data, CreatedAt: at}
		if err := st.PutPendingImport(ctx, p, at.Add(-2*time.Hour)); err != nil {
			t.Fatalf("Put %s: %v", token, err)
		}
	}

	put("t1", a, now)
	p, err := st.GetPendingImport(ctx, "t1", a)
	if err != nil {
		t.Fatal(err)
	}
	if p.UserID != a || p.Kind != "candidates" || p.FileName != "Danh sách.xlsx" || p.SHA256 != "abc" ||
		!bytes.Equal(p.Data, data) || !p.CreatedAt.Equal(now) {
		t.Errorf("got %+v", p)
	}
	// Another user's token, or an unknown one, is not found.
	_, err = st.GetPendingImport(ctx, "t1", b)
	wantCode(t, err, domain.ENotFound)
	_, err = st.GetPendingImport(ctx, "nope", a)
	wantCode(t, err, domain.ENotFound)
	// Another user cannot delete it either.
	if err := st.DeletePendingImport(ctx, "t1", b); err != nil {
		t.Fatal(err)
	}
	if _, err := st.GetPendingImport(ctx, "t1", a); err != nil {
		t.Fatalf("deleted by another user: %v", err)
	}

	// A later Put purges what expired (created before its cut-off).
	put("t2", b, now.Add(90*time.Minute))
	if _, err := st.GetPendingImport(ctx, "t1", a); err != nil {
		t.Fatalf("purged too early: %v", err)
	}
	put("t3", b, now.Add(2*time.Hour+time.Second))
	_, err = st.GetPendingImport(ctx, "t1", a)
	wantCode(t, err, domain.ENotFound)
	if n := countRows(t, st, "pending_imports"); n != 2 {
		t.Errorf("%d rows, want 2", n)
	}

	// Delete, then deleting again is fine.
	for range 2 {
		if err := st.DeletePendingImport(ctx, "t2", b); err != nil {
			t.Fatal(err)
		}
	}
	_, err = st.GetPendingImport(ctx, "t2", b)
	wantCode(t, err, domain.ENotFound)

	// One user keeps at most MaxPendingImportsPerUser files: the newest,
	// and always the one just kept even when the clock stands still.
	for i := range MaxPendingImportsPerUser + 2 {
		put(fmt.Sprintf("z%d", 9-i), a, now.Add(3*time.Hour))
	}
	var n int
	if err := st.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM pending_imports WHERE user_id = $1`, a).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != MaxPendingImportsPerUser {
		t.Errorf("user a keeps %d files, want %d", n, MaxPendingImportsPerUser)
	}
	last := fmt.Sprintf("z%d", 9-(MaxPendingImportsPerUser+1))
	if _, err := st.GetPendingImport(ctx, last, a); err != nil {
		t.Errorf("the file just kept is gone: %v", err)
	}
	if _, err := st.GetPendingImport(ctx, "t3", b); err != nil {
		t.Errorf("user b's file went with user a's: %v", err)
	}

	// PurgePendingImports reports how many it dropped.
	got, err := st.PurgePendingImports(ctx, now.Add(10*time.Hour))
	if err != nil || got != MaxPendingImportsPerUser+1 {
		t.Errorf("purge = %d, %v; want %d", got, err, MaxPendingImportsPerUser+1)
	}
}
