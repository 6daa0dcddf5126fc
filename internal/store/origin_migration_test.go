package store

import (
	"io/fs"
	"testing"
	"time"

	"github.com/pressly/goose/v3"

	"ketnap/internal/domain"
)

// Migration 00008 marks the memberships already stored: linked to a case
// of the procedure → "case"; linked to a case the members import opened
// → "import"; the others (recorded from paper, the demo's history, the
// official members imported without a case) → "paper". Down and up again
// on a store holding the three.
func TestOriginMigrationMarksStoredMemberships(t *testing.T) {
	st, ctx := openTest(t)
	org := mkOrg(t, st, "cb", 0)
	mk := func(name string, kind string) int64 {
		t.Helper()
		p := mkPerson(t, st, org.ID, name, "")
		m := &domain.Membership{PersonID: p.ID, DecisionNo: "1-QĐ", DecisionDate: d(2024, 3, 1), AdmittedOrgID: org.ID,
			Status: domain.StageProbationary, Origin: domain.OriginCase}
		if err := st.CreateMembership(ctx, m); err != nil {
			t.Fatal(err)
		}
		if kind != "" {
			dec := d(2024, 3, 1)
			c := &domain.Case{PersonID: p.ID, OrgID: org.ID, Kind: kind, Stage: domain.CaseDecided, StageBefore: domain.StageSource,
				OpenedOn: d(2023, 9, 1), DecisionDate: &dec, MembershipID: m.ID}
			if err := st.CreateCase(ctx, c, time.Now()); err != nil {
				t.Fatal(err)
			}
		}
		return p.ID
	}
	procedure, imported, paper := mk("Lê Văn Một", domain.CaseFirst), mk("Lê Văn Hai", domain.CaseImported), mk("Lê Văn Ba", "")

	dialect := goose.DialectSQLite3
	if st.Engine() == Postgres {
		dialect = goose.DialectPostgres
	}
	sub, err := fs.Sub(migrations, "migrations/"+st.Engine())
	if err != nil {
		t.Fatal(err)
	}
	p, err := goose.NewProvider(dialect, st.DB(), sub)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.DownTo(ctx, 7); err != nil {
		t.Fatalf("down to 7: %v", err)
	}
	if _, err := p.UpTo(ctx, 8); err != nil {
		t.Fatalf("up to 8: %v", err)
	}
	for person, want := range map[int64]string{procedure: domain.OriginCase, imported: domain.OriginImport, paper: domain.OriginPaper} {
		ms, err := st.Memberships(ctx, person)
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) != 1 || ms[0].Origin != want {
			t.Errorf("person %d: %+v; want origin %q", person, ms, want)
		}
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatalf("up: %v", err)
	}
}
