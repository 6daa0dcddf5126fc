package demo_test

import (
	"testing"

	"ketnap/internal/demo"
	"ketnap/internal/domain"
	"ketnap/internal/service"
	"ketnap/internal/testkit"
)

// The article: since January 2024, 2 political-theory classes for 115 new
// members and 4 awareness classes for 350 outstanding non-members; some
// chapters have sources they do not send to the class.
func TestClasses2024(t *testing.T) {
	ctx, svc, st := loaded(t)
	r, err := svc.ClassReport(ctx, service.ClassReportQuery{ReportQuery: service.ReportQuery{OrgCode: "krongpac", Year: 2024, AsOf: demo.AsOf}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Awareness.Classes != 4 || r.Awareness.Learners != 350 {
		t.Errorf("awareness: %d classes, %d learners; want 4 and 350", r.Awareness.Classes, r.Awareness.Learners)
	}
	if r.NewMember.Classes != 2 || r.NewMember.Learners != 115 {
		t.Errorf("new member: %d classes, %d learners; want 2 and 115", r.NewMember.Classes, r.NewMember.Learners)
	}
	a := r.Awareness
	t.Logf("awareness: passed %d, failed %d, absent %d, below 80 %% %d; new member passed %d of %d",
		a.Passed, a.Failed, a.Absent, a.Ineligible, r.NewMember.Passed, r.NewMember.Learners)
	if a.Passed+a.Failed+a.Absent+a.Ineligible+a.Pending != a.Learners || a.Pending != 0 {
		t.Errorf("outcomes do not add up: %+v", a)
	}
	if a.Passed < 320 || a.Failed == 0 || a.Ineligible == 0 || a.Absent == 0 {
		t.Errorf("awareness outcomes %+v: want most passing and a few of each other outcome", a)
	}
	t.Logf("sources not sent for more than 6 months: %d in %d chapters; %d sources and candidates hold a valid certificate, %d lapse within 90 days",
		r.NotSent, len(r.ByChapter), r.Certified, r.Lapsing)
	if r.NotSent < 20 || len(r.ByChapter) < 3 {
		t.Errorf("sources not sent: %d in %d chapters", r.NotSent, len(r.ByChapter))
	}
	if r.Lapsing != 6 {
		t.Errorf("%d certificates lapse within 90 days; want the six of 2019", r.Lapsing)
	}
	// Every candidate holds a valid certificate (the procedure needs it),
	// and so did the admitted of 2024 on their decision dates.
	page, err := svc.People(ctx, service.PeopleQuery{OrgCode: "krongpac", Stages: []string{domain.StageCandidate}, PerPage: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range page.People {
		if k, err := svc.AwarenessCertificateValidOn(ctx, p.ID, demo.AsOf); err != nil || k == nil {
			t.Errorf("candidate %s has no valid certificate on %s (%v)", p.FullName, demo.AsOf.Format(domain.DateLayout), err)
		}
	}
	var missing int
	err = st.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM memberships m WHERE m.decision_date >= '2024-01-01'
		AND NOT EXISTS (SELECT 1 FROM certificates k WHERE k.person_id = m.person_id AND k.programme = 'awareness'
		AND k.issued < m.decision_date)`).Scan(&missing)
	if err != nil || missing != 0 {
		t.Errorf("%d admitted of 2024 without an earlier awareness certificate (%v)", missing, err)
	}
	// Certificates follow the completion decision within 15 days; no one
	// is in two overlapping classes; every class has at least 25 learners.
	var bad int
	err = st.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM certificates k JOIN classes c ON c.id = k.class_id
		WHERE k.issued < c.completion_date OR `+daysBetween("c.completion_date", "k.issued")+` > 15`).Scan(&bad)
	if err != nil || bad != 0 {
		t.Errorf("%d certificates outside 15 days of the decision (%v)", bad, err)
	}
	err = st.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM class_learners a JOIN classes ca ON ca.id = a.class_id
		JOIN class_learners b ON b.person_id = a.person_id AND b.id < a.id JOIN classes cb ON cb.id = b.class_id
		WHERE ca.start_date <= cb.end_date AND cb.start_date <= ca.end_date`).Scan(&bad)
	if err != nil || bad != 0 {
		t.Errorf("%d overlapping enrolments (%v)", bad, err)
	}
	err = st.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM classes c
		WHERE (SELECT COUNT(*) FROM class_learners l WHERE l.class_id = c.id) < 25`).Scan(&bad)
	if err != nil || bad != 0 {
		t.Errorf("%d classes under 25 learners (%v)", bad, err)
	}
	// The 2023 classes are counted in their own year.
	r23, err := svc.ClassReport(ctx, service.ClassReportQuery{ReportQuery: service.ReportQuery{OrgCode: "krongpac", Year: 2023, AsOf: domain.Day(2023, 12, 31)}})
	if err != nil || r23.Awareness.Classes != 3 || r23.NewMember.Classes != 0 {
		t.Errorf("2023: %+v (%v)", r23, err)
	}
}

// daysBetween is the SQL of the days from the date column a to b: SQLite
// subtracts Julian day numbers, PostgreSQL subtracts dates.
func daysBetween(a, b string) string {
	if testkit.OnPostgres() {
		return "(" + b + " - " + a + ")"
	}
	return "(julianday(" + b + ") - julianday(" + a + "))"
}
