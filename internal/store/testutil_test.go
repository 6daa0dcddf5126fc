package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"sync"
	"testing"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/testkit/testdb"
)

// openTest opens a fresh store (DESIGN "Rules of the house": the real
// store, never a fake): SQLite in the test's temporary directory, or a new
// PostgreSQL database when KETNAP_TEST_POSTGRES names a server. It is
// testkit.OpenStore for this package, which testkit cannot serve (it
// imports the store).
func openTest(t testing.TB) (*Store, context.Context) {
	t.Helper()
	ctx := t.Context()
	dsn := ""
	if testdb.Postgres() {
		if name := migratedTemplate(); name != "" {
			dsn = testdb.FromTemplate(t, name)
		}
	}
	if dsn == "" {
		dsn = testdb.DSN(t)
	}
	st, err := Open(ctx, dsn)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st, ctx
}

var template struct {
	once sync.Once
	name string
}

// migratedTemplate is testkit's migrated template for this package: a
// PostgreSQL database holding the migrations, named after their hash, to
// copy for each test ("" when it cannot be made).
func migratedTemplate() string {
	template.once.Do(func() {
		h := sha256.New()
		err := fs.WalkDir(migrations, "migrations/"+Postgres, func(path string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() {
				return err
			}
			data, err := migrations.ReadFile(path)
			fmt.Fprintf(h, "%s %d\n", e.Name(), len(data))
			h.Write(data)
			return err
		})
		if err != nil {
			return
		}
		template.name, _ = testdb.Template(hex.EncodeToString(h.Sum(nil))[:16], func(dsn string) error {
			st, err := Open(context.Background(), dsn)
			if err != nil {
				return err
			}
			return st.Close()
		})
	})
	return template.name
}

func d(y int, m time.Month, dd int) time.Time { return domain.Day(y, m, dd) }

func dp(y int, m time.Month, dd int) *time.Time { t := domain.Day(y, m, dd); return &t }

// mkOrg creates an organization open from 1/1/2020 (or from/to when given).
func mkOrg(t *testing.T, st *Store, code string, parent int64, validity ...*time.Time) *domain.Org {
	t.Helper()
	o := &domain.Org{Code: code, Name: "Chi bộ " + code, Kind: domain.KindChapter, Sector: "agency",
		ParentID: parent, ValidFrom: d(2020, 1, 1)}
	if len(validity) > 0 && validity[0] != nil {
		o.ValidFrom = *validity[0]
	}
	if len(validity) > 1 {
		o.ValidTo = validity[1]
	}
	if err := st.CreateOrg(t.Context(), o); err != nil {
		t.Fatalf("CreateOrg(%s): %v", code, err)
	}
	return o
}

// mkPerson creates a person in org with the name and CCCD ("" for none).
func mkPerson(t *testing.T, st *Store, org int64, name, cccd string) *domain.Person {
	t.Helper()
	p := newPerson(org, name, cccd)
	if err := st.CreatePerson(t.Context(), p, time.Date(2024, 6, 1, 8, 0, 0, 0, time.UTC)); err != nil {
		t.Fatalf("CreatePerson(%s): %v", name, err)
	}
	return p
}

func newPerson(org int64, name, cccd string) *domain.Person {
	return &domain.Person{FullName: name, BirthDate: d(1990, 3, 15), Sex: domain.Male, Ethnicity: "01",
		Religion: "none", CCCD: cccd, Education: "upper_secondary", Occupation: "other", OrgID: org,
		Stage: domain.StageSource}
}

// admit records an admission decision of person at org on date, as
// recorded from paper.
func admit(t *testing.T, st *Store, person, org int64, date time.Time) {
	t.Helper()
	admitFrom(t, st, person, org, date, "")
}

// admitFrom records an admission decision with its origin ("" for the
// store's default).
func admitFrom(t *testing.T, st *Store, person, org int64, date time.Time, origin string) {
	t.Helper()
	m := &domain.Membership{PersonID: person, DecisionNo: "QĐ " + date.Format("20060102"), DecisionDate: date,
		AdmittedOrgID: org, Status: domain.StageProbationary, Origin: origin}
	if err := st.CreateMembership(t.Context(), m); err != nil {
		t.Fatalf("CreateMembership: %v", err)
	}
}

func countRows(t *testing.T, st *Store, table string) int {
	t.Helper()
	var n int
	if err := st.DB().QueryRowContext(t.Context(), "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

func ids(orgs []*domain.Org) []int64 {
	out := make([]int64, len(orgs))
	for i, o := range orgs {
		out[i] = o.ID
	}
	return out
}

func names(ps []*domain.Person) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.FullName
	}
	return out
}

func wantCode(t *testing.T, err error, code string) *domain.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("err = nil; want %s", code)
	}
	if got := domain.ErrorCode(err); got != code {
		t.Fatalf("error code = %s (%v); want %s", got, err, code)
	}
	e, _ := errors.AsType[*domain.Error](err)
	return e
}
