package service_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/service"
	"ketnap/internal/testkit"
)

// now is the fixed clock of every service test: 1 June 2024, 10:00 in Vietnam.
var now = time.Date(2024, 6, 1, 3, 0, 0, 0, time.UTC)

// dsns maps each store newService opened to its database, for openAgain.
var dsns sync.Map // *store.Store → string

// newService opens a fresh store (never a fake: DESIGN "Rules of the
// house"; SQLite, or PostgreSQL with KETNAP_TEST_POSTGRES) and returns the
// service with the fixed clock and a context acting as service.System.
func newService(t *testing.T) (*service.Service, context.Context) {
	t.Helper()
	dsn := testkit.MigratedDSN(t)
	st := testkit.Open(t, dsn)
	dsns.Store(st, dsn)
	svc := service.New(st, nil)
	svc.Now = func() time.Time { return now }
	return svc, service.WithUser(t.Context(), service.System)
}

func day(y int, m time.Month, d int) time.Time { return domain.Day(y, m, d) }

func dayp(y int, m time.Month, d int) *time.Time { t := domain.Day(y, m, d); return &t }

func intp(n int) *int { return &n }

// mkOrg creates an organization through the service, open from 1/1/2020
// unless from is given.
func mkOrg(t *testing.T, svc *service.Service, ctx context.Context, code, name string, kind domain.OrgKind, parent string, from ...time.Time) *domain.Org {
	t.Helper()
	in := service.OrgInput{Code: code, Name: name, Kind: kind, Sector: "commune", ParentCode: parent, ValidFrom: day(2020, 1, 1)}
	if len(from) > 0 {
		in.ValidFrom = from[0]
	}
	o, err := svc.CreateOrg(ctx, in)
	if err != nil {
		t.Fatalf("CreateOrg(%s): %v", code, err)
	}
	return o
}

// closeOrg closes an organization on validTo (its first day of not
// existing), with an optional successor.
func closeOrg(t *testing.T, svc *service.Service, ctx context.Context, code string, validTo time.Time, successor string) {
	t.Helper()
	o, err := svc.Org(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	_, err = svc.UpdateOrg(ctx, code, service.OrgInput{Name: o.Name, Kind: o.Kind, Sector: o.Sector, ValidFrom: o.ValidFrom,
		ValidTo: &validTo, Successor: successor, Version: o.Version})
	if err != nil {
		t.Fatalf("closing %s: %v", code, err)
	}
}

// personIn is a valid person input (born 15/3/1990, male, Kinh) in org.
func personIn(org, name string) service.PersonInput {
	return service.PersonInput{FullName: name, BirthDate: day(1990, 3, 15), Sex: domain.Male, Ethnicity: "Kinh",
		Education: "upper_secondary", OrgCode: org, Stage: domain.StageSource}
}

func mkPerson(t *testing.T, svc *service.Service, ctx context.Context, org, name string) *domain.Person {
	t.Helper()
	p, err := svc.CreatePerson(ctx, personIn(org, name))
	if err != nil {
		t.Fatalf("CreatePerson(%s): %v", name, err)
	}
	return p
}

var admitSeq int

// admitAt creates a person in org and records, from paper, their admission
// decision on date by the topmost unit above org.
func admitAt(t *testing.T, svc *service.Service, ctx context.Context, org string, date time.Time) {
	t.Helper()
	admitSeq++
	p := mkPerson(t, svc, ctx, org, fmt.Sprintf("Nguyễn Văn Số%d", admitSeq))
	if _, err := svc.RecordMembership(ctx, p.ID, service.MembershipInput{DecisionNo: fmt.Sprintf("%d-QĐ/HU", admitSeq), DecisionDate: date,
		DecidedByCode: topOf(t, svc, ctx, org)}); err != nil {
		t.Fatalf("RecordMembership(%s, %s): %v", org, date.Format(domain.DateLayout), err)
	}
}

// topOf is the code of the topmost unit above org that ctx's user sees.
func topOf(t *testing.T, svc *service.Service, ctx context.Context, org string) string {
	t.Helper()
	o, err := svc.Org(ctx, org)
	if err != nil {
		t.Fatal(err)
	}
	up, err := svc.Ancestors(ctx, o)
	if err != nil || len(up) == 0 {
		t.Fatalf("Ancestors(%s): %v, %v", org, up, err)
	}
	return up[0].Code
}

// personAt creates the person of in at the stage. A person is created a
// source; a member gets an admission decision recorded from paper (decided
// 25 years after their birth by the topmost unit, recognised a year
// later for an official member); any other stage is set in the store, as
// data written before stages followed from the cases.
func personAt(t *testing.T, svc *service.Service, ctx context.Context, in service.PersonInput, stage string) *domain.Person {
	t.Helper()
	in.Stage = domain.StageSource
	p, err := svc.CreatePerson(ctx, in)
	if err != nil {
		t.Fatalf("CreatePerson(%s): %v", in.FullName, err)
	}
	switch stage {
	case domain.StageSource:
		return p
	case domain.StageProbationary, domain.StageOfficial:
		decided := p.BirthDate.AddDate(25, 0, 0)
		m := service.MembershipInput{DecisionNo: fmt.Sprintf("%d-QĐ/HU", p.ID), DecisionDate: decided, DecidedByCode: topOf(t, svc, ctx, in.OrgCode)}
		if stage == domain.StageOfficial {
			cer, rec := decided.AddDate(0, 0, 10), decided.AddDate(1, 0, 10)
			m.CeremonyDate, m.RecognitionDate = &cer, &rec
		}
		if _, err := svc.RecordMembership(ctx, p.ID, m); err != nil {
			t.Fatalf("RecordMembership(%s): %v", in.FullName, err)
		}
	default:
		if err := service.StoreOf(svc).SetStage(ctx, p.ID, stage, svc.Now()); err != nil {
			t.Fatal(err)
		}
	}
	p.Stage = stage
	return p
}

func setTarget(t *testing.T, svc *service.Service, ctx context.Context, org string, year int, kind string, v int, deadline *time.Time) {
	t.Helper()
	if err := svc.SetTarget(ctx, service.TargetInput{OrgCode: org, Year: year, Kind: kind, Value: &v, Deadline: deadline}); err != nil {
		t.Fatalf("SetTarget(%s %d %s %d): %v", org, year, kind, v, err)
	}
}

// mkUser creates a user bound to org and returns a context acting as them.
func mkUser(t *testing.T, svc *service.Service, ctx context.Context, username, role, org string) (*domain.User, context.Context) {
	t.Helper()
	u, err := svc.CreateUser(ctx, service.NewUser{Username: username, Role: role, OrgCode: org, Password: "mật khẩu dài"})
	if err != nil {
		t.Fatalf("CreateUser(%s): %v", username, err)
	}
	return u, service.WithUser(t.Context(), u)
}

// wantErr fails unless err is an application error with the code.
func wantErr(t *testing.T, err error, code string) *domain.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("err = nil; want %s", code)
	}
	e, ok := errors.AsType[*domain.Error](err)
	if !ok || e.Code != code {
		t.Fatalf("err = %v (code %s); want %s", err, domain.ErrorCode(err), code)
	}
	return e
}

func prog(t *testing.T, svc *service.Service, ctx context.Context, code string, year int, asof time.Time) *service.Progress {
	t.Helper()
	p, err := svc.Progress(ctx, service.ReportQuery{OrgCode: code, Year: year, AsOf: asof})
	if err != nil {
		t.Fatalf("Progress(%s, %d, %s): %v", code, year, asof.Format(domain.DateLayout), err)
	}
	return p
}

func countTable(t *testing.T, svc *service.Service, table string) int {
	t.Helper()
	var n int
	if err := service.StoreOf(svc).DB().QueryRowContext(t.Context(), "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func pct(p *float64) string {
	if p == nil {
		return "nil"
	}
	return fmt.Sprint(*p)
}
