package demo_test

import (
	"testing"

	"ketnap/internal/demo"
	"ketnap/internal/domain"
	"ketnap/internal/service"
)

// The demo's admissions of 2023 and 2024 were driven through the
// procedure's service calls: every membership of those years was written
// by a case's decision, whose history passes the rules it shows; and on
// 4 May 2024 "Việc cần làm" shows decisions overdue (QĐ24 §4.3.1: 60
// working days), ceremonies due (QĐ24 §4.1), verification replies
// overdue (HD06 §3.4), certificates about to lapse (HD06 §5.4b), and
// sources never sent to a class.
func TestCasesOfTheDemo(t *testing.T) {
	ctx, svc, st := loaded(t)
	db := st.DB()
	// (the demo goes on to 30/11/2026: its later admissions are driven
	// through their cases too; driven counts those decided by 04/05/2024)
	var orphans, driven, all int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*), SUM(CASE WHEN m.decision_date <= '2024-05-04' THEN 1 ELSE 0 END),
		SUM(CASE WHEN NOT EXISTS (SELECT 1 FROM cases c WHERE c.membership_id = m.id)
		THEN 1 ELSE 0 END) FROM memberships m WHERE m.decision_date >= '2023-01-01'`).Scan(&all, &driven, &orphans); err != nil {
		t.Fatal(err)
	}
	if orphans != 0 || driven < 200 || all <= driven {
		t.Errorf("%d memberships since 2023 (%d by 04/05/2024), %d not written by a case", all, driven, orphans)
	}

	// The history of every admission obeys the rules it shows (the case
	// list stands on the demo's date: the admissions of that day).
	page, err := svc.Cases(ctx, service.CaseQuery{Stages: []string{domain.CaseDecided, domain.CaseProbation, domain.CaseOfficial}, PerPage: 200})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != driven {
		t.Errorf("%d admitted cases, %d memberships", page.Total, driven)
	}
	for p := 1; p <= page.Pages(); p++ {
		pg, err := svc.Cases(ctx, service.CaseQuery{Stages: []string{domain.CaseDecided, domain.CaseProbation, domain.CaseOfficial}, Page: p, PerPage: 200})
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range pg.Cases {
			v, err := svc.Case(ctx, row.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range v.Verdicts {
				if !x.OK && x.Exception == nil && x.Rule != "recognition_documents" {
					t.Errorf("%s (%s): %s fails: %s (%s)", v.Person.FullName, v.Stage, x.Rule, x.Message, x.Source)
				}
			}
		}
	}

	todo := func(q service.TodoQuery) *service.TodoPage {
		t.Helper()
		q.PerPage = 200
		p, err := svc.Todo(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	if got := todo(service.TodoQuery{Overdue: true, Kinds: []string{domain.DeadlineDecision}}); got.Total < 3 || got.Today != demo.AsOf {
		t.Errorf("%d decisions overdue on %s, want several", got.Total, got.Today.Format(domain.DateLayout))
	}
	ceremonies := todo(service.TodoQuery{Days: 60, Kinds: []string{domain.DeadlineCeremony}})
	if ceremonies.Total < 3 {
		t.Errorf("%d ceremonies due, want several", ceremonies.Total)
	}
	for _, it := range ceremonies.Items {
		if it.Overdue || it.Owner != domain.OwnerChapter {
			t.Errorf("ceremony of %s: %+v", it.FullName, it)
		}
	}
	if got := todo(service.TodoQuery{Overdue: true, Kinds: []string{domain.DeadlineVerification}}); got.Total == 0 {
		t.Error("no verification reply overdue")
	}
	if got := todo(service.TodoQuery{Days: 30, Kinds: []string{domain.DeadlineCertificateLapse}}); got.Total != 6 {
		t.Errorf("%d certificates lapse within 30 days, want the six of 2019", got.Total)
	}
	counts, err := svc.TodoCounts(ctx, "krongpac", 30, demo.AsOf)
	if err != nil || len(counts) < 4 {
		t.Errorf("counts %+v %v", counts, err)
	}
	t.Logf("todo counts on %s: %+v", demo.AsOf.Format(domain.DateLayout), counts)

	notSent := 0
	sources, err := svc.Cases(ctx, service.CaseQuery{Stages: []string{domain.CaseSource}, PerPage: 200})
	if err != nil {
		t.Fatal(err)
	}
	for p := 1; p <= sources.Pages(); p++ {
		pg, _ := svc.Cases(ctx, service.CaseQuery{Stages: []string{domain.CaseSource}, Page: p, PerPage: 200})
		for _, row := range pg.Cases {
			if row.NextAction == "Cử quần chúng đi học lớp bồi dưỡng nhận thức về Đảng" {
				notSent++
			}
		}
	}
	if notSent < 20 || sources.Total < 350 {
		t.Errorf("%d sources on the list, %d not sent to a class", sources.Total, notSent)
	}
}
