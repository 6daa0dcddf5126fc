package store

import (
	"database/sql"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/testkit/testdb"
)

// DESIGN "Rules of the house": "Nothing is half-written". CONTRACT: exit 1
// with "nothing half-written".
func TestTxRollsBackOnError(t *testing.T) {
	st, ctx := openTest(t)
	root := mkOrg(t, st, "root", 0)
	orgs, people := countRows(t, st, "orgs"), countRows(t, st, "people")
	boom := errors.New("boom")
	err := st.Tx(ctx, func(tx *Store) error {
		o := &domain.Org{Code: "half", Name: "Nửa chừng", Kind: domain.KindChapter, Sector: "agency", ParentID: root.ID, ValidFrom: d(2020, 1, 1)}
		if err := tx.CreateOrg(ctx, o); err != nil { // a nested Tx: joins this one
			return err
		}
		if err := tx.CreatePerson(ctx, newPerson(o.ID, "Nguyễn Văn Nửa", ""), time.Now()); err != nil {
			return err
		}
		if err := tx.Audit(ctx, time.Now(), 0, "create", "org", o.ID, ""); err != nil {
			return err
		}
		// Inside the transaction the writes are visible.
		if _, err := tx.GetOrgByCode(ctx, "half"); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Tx returned %v; want the callback's error", err)
	}
	if countRows(t, st, "orgs") != orgs || countRows(t, st, "people") != people || countRows(t, st, "audit_log") != 0 {
		t.Errorf("rows left after rollback: orgs %d→%d, people %d→%d, audit %d",
			orgs, countRows(t, st, "orgs"), people, countRows(t, st, "people"), countRows(t, st, "audit_log"))
	}
	_, err = st.GetOrgByCode(ctx, "half")
	wantCode(t, err, domain.ENotFound)

	// A failing statement in the middle rolls back the statements before it.
	err = st.Tx(ctx, func(tx *Store) error {
		if err := tx.SetMeta(ctx, "k", "v"); err != nil {
			return err
		}
		return tx.CreatePerson(ctx, newPerson(9999, "Nguyễn Văn Mồ Côi", ""), time.Now()) // no such org: FK
	})
	if err == nil {
		t.Fatal("person in a missing org accepted")
	}
	if v, _ := st.GetMeta(ctx, "k"); v != "" {
		t.Errorf("meta written before the failure survived: %q", v)
	}

	// A panic rolls back and propagates.
	func() {
		defer func() {
			if recover() == nil {
				t.Error("panic swallowed")
			}
		}()
		st.Tx(ctx, func(tx *Store) error {
			tx.SetMeta(ctx, "p", "v")
			panic("inside")
		})
	}()
	if v, _ := st.GetMeta(ctx, "p"); v != "" {
		t.Errorf("meta written before the panic survived: %q", v)
	}

	// And a nil return commits.
	if err := st.Tx(ctx, func(tx *Store) error { return tx.SetMeta(ctx, "ok", "1") }); err != nil {
		t.Fatal(err)
	}
	if v, _ := st.GetMeta(ctx, "ok"); v != "1" {
		t.Errorf("committed meta = %q", v)
	}
	// The pool is still usable (no connection left in a transaction).
	if err := st.SetMeta(ctx, "after", "x"); err != nil {
		t.Fatal(err)
	}
}

// DESIGN: "driver errors (unique violation) are mapped to one domain error
// per backend".
func TestMapErr(t *testing.T) {
	st, ctx := openTest(t)
	mkOrg(t, st, "dup", 0)
	_, raw := st.DB().ExecContext(ctx, `INSERT INTO orgs (code, name, name_fold, kind, sector, path, valid_from)
		VALUES ('dup', 'x', 'x', 'chapter', 'agency', '/999/', '2020-01-01')`)
	if raw == nil {
		t.Fatal("duplicate code accepted by the database")
	}
	err := mapErr(raw)
	dup, ok := errors.AsType[*ErrDuplicate](err)
	if !ok {
		t.Fatalf("mapErr(%v) = %T %v; want *ErrDuplicate", raw, err, err)
	}
	if !dup.On("code") || dup.On("cccd") {
		t.Errorf("ErrDuplicate %q: On(code) should hold, On(cccd) not", dup.Constraint)
	}
	if !errors.Is(err, &ErrDuplicate{}) {
		t.Error("errors.Is(err, &ErrDuplicate{}) is false")
	}
	if !strings.Contains(dup.Error(), "trùng") {
		t.Errorf("message %q is not Vietnamese", dup.Error())
	}
	// A duplicate primary key is a duplicate too.
	_, raw = st.DB().ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('a', '1'), ('a', '2')`)
	if !errors.Is(mapErr(raw), &ErrDuplicate{}) {
		t.Errorf("primary-key clash mapped to %v", mapErr(raw))
	}
	// A foreign-key violation is a conflict with a Vietnamese message.
	_, raw = st.DB().ExecContext(ctx, `INSERT INTO targets (org_id, year, kind, value) VALUES (424242, 2024, 'quota', 1)`)
	if got := domain.ErrorCode(mapErr(raw)); got != domain.EConflict {
		t.Errorf("foreign-key violation mapped to %s (%v)", got, mapErr(raw))
	}
	// Nothing else is touched.
	if mapErr(nil) != nil {
		t.Error("mapErr(nil) != nil")
	}
	if !errors.Is(mapErr(sql.ErrNoRows), sql.ErrNoRows) {
		t.Error("sql.ErrNoRows not kept")
	}
	other := errors.New("other")
	if mapErr(other) != other {
		t.Error("unrelated error changed")
	}
}

func TestOpenTwiceMigratesOnce(t *testing.T) {
	path := testdb.DSN(t)
	st, err := Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	mkOrg(t, st, "keep", 0)
	st.Close()
	st, err = Open(t.Context(), path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer st.Close()
	if _, err := st.GetOrgByCode(t.Context(), "keep"); err != nil {
		t.Errorf("data lost on reopen: %v", err)
	}
	if want := map[bool]string{false: SQLite, true: Postgres}[testdb.Postgres()]; st.Engine() != want {
		t.Errorf("engine %q; want %q", st.Engine(), want)
	}
	if st.Engine() == Postgres {
		return // foreign keys are always enforced there
	}
	var fk int
	st.DB().QueryRowContext(t.Context(), "PRAGMA foreign_keys").Scan(&fk)
	if fk != 1 {
		t.Error("foreign keys are not enforced")
	}
}

func TestIsPostgresAndRedact(t *testing.T) {
	for dsn, want := range map[string]bool{
		"postgres://u@h/db": true, "postgresql://u@h/db": true, "ketnap.db": false, "/tmp/postgres.db": false,
	} {
		if IsPostgres(dsn) != want {
			t.Errorf("IsPostgres(%q) = %v", dsn, !want)
		}
	}
	if got := redact("postgres://ketnap:secret@db/ketnap"); strings.Contains(got, "secret") {
		t.Errorf("redact left the password: %q", got)
	}
}

// DOMAIN §4: "Admitted = people whose admission decision is dated within the
// year and on or before the as-of date" — the store's window is inclusive at
// both ends.
func TestAdmissionCountsWindow(t *testing.T) {
	st, ctx := openTest(t)
	root := mkOrg(t, st, "root", 0)
	a := mkOrg(t, st, "a", root.ID)
	b := mkOrg(t, st, "b", root.ID)
	p := mkPerson(t, st, a.ID, "Nguyễn Văn An", "")
	for _, dt := range []time.Time{d(2023, 12, 31), d(2024, 1, 1), d(2024, 6, 15), d(2024, 12, 31), d(2025, 1, 1)} {
		admit(t, st, p.ID, a.ID, dt)
	}
	admit(t, st, p.ID, b.ID, d(2024, 12, 31))
	admit(t, st, p.ID, root.ID, d(2024, 2, 1))
	tests := []struct {
		path     string
		from, to time.Time
		want     map[int64]int
	}{
		// 1/1 and 31/12 both inside their year; 31/12/2023 and 1/1/2025 not.
		{root.Path, d(2024, 1, 1), d(2024, 12, 31), map[int64]int{a.ID: 3, b.ID: 1, root.ID: 1}},
		{a.Path, d(2024, 1, 1), d(2024, 12, 31), map[int64]int{a.ID: 3}},
		// As of 14/6: only 1/1 at a and 1/2 at root.
		{root.Path, d(2024, 1, 1), d(2024, 6, 14), map[int64]int{a.ID: 1, root.ID: 1}},
		// As of 15/6 inclusive.
		{root.Path, d(2024, 1, 1), d(2024, 6, 15), map[int64]int{a.ID: 2, root.ID: 1}},
		{root.Path, d(2023, 1, 1), d(2023, 12, 31), map[int64]int{a.ID: 1}},
		{root.Path, d(2025, 1, 1), d(2025, 12, 31), map[int64]int{a.ID: 1}},
		{root.Path, d(2022, 1, 1), d(2022, 12, 31), map[int64]int{}},
		// The whole system.
		{"/", d(2024, 1, 1), d(2024, 12, 31), map[int64]int{a.ID: 3, b.ID: 1, root.ID: 1}},
	}
	for _, tc := range tests {
		got, recorded, err := st.AdmissionCounts(ctx, tc.path, tc.from, tc.to)
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(recorded, got) {
			t.Errorf("%s: recorded %v; want %v (every admission here is recorded from paper)", tc.path, recorded, got)
		}
		if len(got) != len(tc.want) {
			t.Errorf("%s %s…%s = %v; want %v", tc.path, tc.from.Format(domain.DateLayout), tc.to.Format(domain.DateLayout), got, tc.want)
			continue
		}
		for k, v := range tc.want {
			if got[k] != v {
				t.Errorf("%s %s…%s = %v; want %v", tc.path, tc.from.Format(domain.DateLayout), tc.to.Format(domain.DateLayout), got, tc.want)
				break
			}
		}
	}
	ms, err := st.Memberships(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 7 || !ms[0].DecisionDate.Equal(d(2023, 12, 31)) || !ms[6].DecisionDate.Equal(d(2025, 1, 1)) {
		t.Errorf("memberships not oldest first: %d, first %v", len(ms), ms[0].DecisionDate)
	}
	for _, m := range ms {
		if m.Origin != domain.OriginPaper || !m.Recorded() {
			t.Errorf("membership %s: origin %q; want %q (the store's default)", m.DecisionNo, m.Origin, domain.OriginPaper)
		}
	}
}

func TestTargets(t *testing.T) {
	st, ctx := openTest(t)
	root := mkOrg(t, st, "root", 0)
	ch := mkOrg(t, st, "ch", root.ID)
	dl := d(2024, 9, 30)
	if err := st.SetTarget(ctx, &domain.Target{OrgID: ch.ID, Year: 2024, Kind: domain.TargetQuota, Value: 3, Deadline: &dl,
		Breakdown: map[string]int{"women": 1, "student_high": 2}}); err != nil {
		t.Fatal(err)
	}
	// Setting it again replaces it (one quota per unit and year).
	if err := st.SetTarget(ctx, &domain.Target{OrgID: ch.ID, Year: 2024, Kind: domain.TargetQuota, Value: 4, Deadline: &dl,
		Breakdown: map[string]int{"women": 2}}); err != nil {
		t.Fatal(err)
	}
	if err := st.SetTarget(ctx, &domain.Target{OrgID: ch.ID, Year: 2024, Kind: domain.TargetPlan, Value: 5}); err != nil {
		t.Fatal(err)
	}
	if err := st.SetTarget(ctx, &domain.Target{OrgID: ch.ID, Year: 2025, Kind: domain.TargetPlan, Value: 9}); err != nil {
		t.Fatal(err)
	}
	ts, err := st.Targets(ctx, root.Path, 2024)
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 2 {
		t.Fatalf("targets 2024 = %d; want 2 (quota and plan)", len(ts))
	}
	for _, x := range ts {
		switch x.Kind {
		case domain.TargetQuota:
			if x.Value != 4 || x.Deadline == nil || !x.Deadline.Equal(dl) || len(x.Breakdown) != 1 || x.Breakdown["women"] != 2 {
				t.Errorf("quota = %+v", x)
			}
		case domain.TargetPlan:
			if x.Value != 5 || x.Deadline != nil || x.Breakdown != nil {
				t.Errorf("plan = %+v", x)
			}
		}
	}
	if err := st.DeleteTarget(ctx, ch.ID, 2024, domain.TargetQuota); err != nil {
		t.Fatal(err)
	}
	ts, _ = st.Targets(ctx, root.Path, 2024)
	if len(ts) != 1 || ts[0].Kind != domain.TargetPlan {
		t.Errorf("after delete: %v", ts)
	}
}

func TestUsersTokensAudit(t *testing.T) {
	st, ctx := openTest(t)
	root := mkOrg(t, st, "root", 0)
	now := time.Date(2024, 6, 1, 1, 2, 3, 0, time.UTC)
	u := &domain.User{Username: "thuy", FullName: "Lê Thị Thủy", Role: domain.RoleOrganizer, OrgID: root.ID, Active: true}
	if err := st.CreateUser(ctx, u, "hash-1", now); err != nil {
		t.Fatal(err)
	}
	dup := &domain.User{Username: "thuy", Role: domain.RoleViewer, OrgID: root.ID, Active: true}
	e := wantCode(t, st.CreateUser(ctx, dup, "hash-2", now), domain.EConflict)
	if e.Field != "username" || !strings.Contains(e.Message, "thuy") {
		t.Errorf("duplicate user: %+v", e)
	}
	got, hash, err := st.UserByUsername(ctx, "thuy")
	if err != nil {
		t.Fatal(err)
	}
	if hash != "hash-1" || got.OrgPath != root.Path || got.Role != domain.RoleOrganizer || !got.Active {
		t.Errorf("user = %+v hash %q", got, hash)
	}
	_, _, err = st.UserByUsername(ctx, "nobody")
	wantCode(t, err, domain.ENotFound)

	admin := &domain.User{Username: "admin", Role: domain.RoleAdmin, Active: true}
	if err := st.CreateUser(ctx, admin, "h", now); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.GetUser(ctx, admin.ID); got.OrgID != 0 || got.OrgPath != "" {
		t.Errorf("admin of the whole system bound to %d %q", got.OrgID, got.OrgPath)
	}
	// ListUsers under "/" includes the unbound admin; under root only thuy.
	all, nall, _ := st.ListUsers(ctx, UserFilter{Path: "/"}, now)
	under, nunder, _ := st.ListUsers(ctx, UserFilter{Path: root.Path}, now)
	if len(all) != 2 || nall != 2 || len(under) != 1 || nunder != 1 || under[0].Username != "thuy" || under[0].OrgCode != "root" {
		t.Errorf("ListUsers: all %d, under root %d", len(all), len(under))
	}

	exp := now.Add(24 * time.Hour)
	id, err := st.CreateToken(ctx, u.ID, "script", "abc", now, &exp, false)
	if err != nil {
		t.Fatal(err)
	}
	tok, tu, err := st.TokenByHash(ctx, "abc")
	if err != nil || tu.ID != u.ID || tok.ID != id || tok.ExpiresAt == nil || !tok.ExpiresAt.Equal(exp) || tok.LastUsed != nil || tok.Metrics {
		t.Errorf("TokenByHash = %+v, %+v, %v", tok, tu, err)
	}
	_, _, err = st.TokenByHash(ctx, "nope")
	wantCode(t, err, domain.EUnauthorized)
	// The last use is written once an hour at most.
	if err := st.TouchToken(ctx, id, now, now.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := st.TouchToken(ctx, id, now.Add(30*time.Minute), now.Add(-30*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if tok, _ := st.GetToken(ctx, id); tok.LastUsed == nil || !tok.LastUsed.Equal(now) {
		t.Errorf("last use %v; want %v (the second use within the hour is not written)", tok.LastUsed, now)
	}

	// Audit: newest first, limited, user and entity kept.
	for i, action := range []string{"create", "update", "update"} {
		if err := st.Audit(ctx, now.Add(time.Duration(i)*time.Minute), u.ID, action, "org", root.ID, `{"i":`+string(rune('0'+i))+`}`); err != nil {
			t.Fatal(err)
		}
	}
	st.Audit(ctx, now, 0, "create", "org", 424242, "")
	entries, err := st.AuditFor(ctx, "org", root.ID, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 2 || entries[0].Detail != `{"i":2}` || entries[1].Detail != `{"i":1}` {
		t.Errorf("AuditFor = %+v", entries)
	}
	if e := entries[0]; e.UserID != u.ID || e.Action != "update" || e.Entity != "org" || e.EntityID != root.ID ||
		!e.At.Equal(now.Add(2*time.Minute)) {
		t.Errorf("audit entry = %+v", e)
	}
	all2, _ := st.AuditFor(ctx, "org", root.ID, 100)
	if got := []string{all2[0].Action, all2[1].Action, all2[2].Action}; !slices.Equal(got, []string{"update", "update", "create"}) || len(all2) != 3 {
		t.Errorf("actions = %v", got)
	}
}
