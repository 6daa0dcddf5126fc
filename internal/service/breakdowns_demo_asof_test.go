package service_test

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"testing"
	"time"

	"ketnap/internal/demo"
	"ketnap/internal/domain"
	"ketnap/internal/service"
)

// legacyFunnel is the funnel query as it stood before the funnel could be
// replayed for a past date: open cases now, at their current stage, with
// their current case_deadlines rows (the pending ones: those that ended are
// kept with the day they ended, valid_to). It keys each group as
// "org stage certified in_class overdue stale" with its count.
func legacyFunnel(t *testing.T, ctx context.Context, db *sql.DB, path string, asof, staleBefore time.Time) map[string]int {
	t.Helper()
	last := `(SELECT MAX(d) FROM (SELECT CAST(c.opened_on AS TEXT) AS d UNION ALL SELECT CAST(c.certificate_date AS TEXT)
		UNION ALL SELECT CAST(c.dossier_opened AS TEXT) UNION ALL SELECT CAST(c.decision_date AS TEXT)
		UNION ALL SELECT CAST(c.ceremony_date AS TEXT) UNION ALL SELECT CAST(v.date AS TEXT)
		FROM case_votes v WHERE v.case_id = c.id) steps)`
	rows, err := db.QueryContext(ctx, `SELECT org_id, stage, certified, in_class, overdue, stale, COUNT(*) FROM (
		SELECT c.org_id AS org_id, c.stage AS stage,
		  CASE WHEN c.certificate_date IS NOT NULL OR c.certificate_id IS NOT NULL THEN 1 ELSE 0 END AS certified,
		  CASE WHEN EXISTS (SELECT 1 FROM class_learners l JOIN classes k ON k.id = l.class_id
		    WHERE l.person_id = c.person_id AND l.status = 'enrolled' AND k.status <> 'cancelled' AND k.start_date <= $3) THEN 1 ELSE 0 END AS in_class,
		  CASE WHEN EXISTS (SELECT 1 FROM case_deadlines d WHERE d.case_id = c.id AND d.valid_to IS NULL AND d.due < $3) THEN 1 ELSE 0 END AS overdue,
		  CASE WHEN `+last+` < $4 THEN 1 ELSE 0 END AS stale
		FROM cases c JOIN orgs o ON o.id = c.org_id
		WHERE o.path >= $1 AND o.path < $2 AND c.closed_on IS NULL AND c.opened_on <= $3) x
		GROUP BY org_id, stage, certified, in_class, overdue, stale`,
		path, path[:len(path)-1]+"0", asof.Format(domain.DateLayout), staleBefore.Format(domain.DateLayout))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var org int64
		var stage string
		var cert, in, over, stale, n int
		if err := rows.Scan(&org, &stage, &cert, &in, &over, &stale, &n); err != nil {
			t.Fatal(err)
		}
		out[fmt.Sprintf("%d %s %d %d %d %d", org, stage, cert, in, over, stale)] += n
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// The funnel as of the last day of the demo's history (the day its data
// stands on: nothing is dated after it) is the live pipeline: the same
// groups as the query that only knew the current stages. It is read on the
// province, which holds the whole demo on that day (the district closed on
// 30/6/2025).
func TestFunnelOfTheDemoAsOfTodayIsTheLiveOne(t *testing.T) {
	svc, ctx := demoWorld(t)
	o, err := svc.Org(ctx, "daklak")
	if err != nil {
		t.Fatal(err)
	}
	want := legacyFunnel(t, ctx, service.StoreOf(svc).DB(), o.Path, demo.Latest, demo.Latest.AddDate(0, 0, -service.DefaultStaleDays))
	f, err := svc.Funnel(ctx, service.FunnelQuery{ReportQuery: service.ReportQuery{OrgCode: "daklak", AsOf: demo.Latest}})
	if err != nil {
		t.Fatal(err)
	}
	// The funnel's lines from the legacy groups, as the service rolls them up.
	total, overdue, stalled := map[string]int{}, 0, 0
	for k, n := range want {
		var org int64
		var stage string
		var cert, in, over, stale int
		if _, err := fmt.Sscan(k, &org, &stage, &cert, &in, &over, &stale); err != nil {
			t.Fatal(err)
		}
		switch stage {
		case domain.CaseSource:
			stage = "sources"
			total["in_class"] += in * n
			total["certified"] += cert * n
		case domain.CaseRecognitionVote, domain.CaseStrikeOffVote:
			stage = domain.CaseProbation
		}
		total[stage] += n
		overdue += over * n
		movable := stage == domain.CaseDossier || stage == domain.CaseChapterVoted || stage == domain.CaseCommitteeVoted || stage == domain.CaseDecided
		if over == 1 || movable && stale == 1 {
			stalled += n
		}
	}
	var loose int
	if err := service.StoreOf(svc).DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM people p WHERE p.stage = 'source'
		AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.person_id = p.id AND c.closed_on IS NULL)`).Scan(&loose); err != nil {
		t.Fatal(err)
	}
	total["sources"] += loose
	u := f.Unit
	for _, s := range service.FunnelStages {
		if u.Counts[s.Key] != total[s.Key] {
			t.Errorf("%s: %d; the live pipeline has %d", s.Key, u.Counts[s.Key], total[s.Key])
		}
	}
	if u.Overdue != overdue || u.Stalled != stalled {
		t.Errorf("overdue %d stalled %d; the live pipeline has %d, %d", u.Overdue, u.Stalled, overdue, stalled)
	}
	if u.Counts["decided"] == 0 || u.Counts["probation"] == 0 || overdue == 0 {
		t.Errorf("the demo's pipeline is too thin to compare: %v", total)
	}
}

// demoCase is what the as-of test reads of a demo case, straight from the
// tables.
type demoCase struct {
	opened                       string
	closed, dossier, dec, cer    sql.NullString
	chapterVoted, committeeVoted string // the dates of its passed admission votes, "" when none
}

// The demo as of 1 February 2024: the cases decided since appear at the
// stage they held then, those opened later are not in it, and those
// closed later (refused, withdrawn) still count.
func TestFunnelOfTheDemoAsOfFebruary(t *testing.T) {
	svc, ctx := demoWorld(t)
	asof := domain.Day(2024, 2, 1)
	day := asof.Format(domain.DateLayout)
	rows, err := service.StoreOf(svc).DB().QueryContext(ctx, `SELECT CAST(c.opened_on AS TEXT), CAST(c.closed_on AS TEXT), CAST(c.dossier_opened AS TEXT),
		CAST(c.decision_date AS TEXT), CAST(c.ceremony_date AS TEXT),
		COALESCE((SELECT MIN(CAST(v.date AS TEXT)) FROM case_votes v WHERE v.case_id = c.id AND v.purpose = 'admission' AND v.level = 'chapter' AND v.passed), ''),
		COALESCE((SELECT MIN(CAST(v.date AS TEXT)) FROM case_votes v WHERE v.case_id = c.id AND v.purpose = 'admission' AND v.level = 'committee' AND v.passed), '')
		FROM cases c`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var cases []demoCase
	for rows.Next() {
		var c demoCase
		if err := rows.Scan(&c.opened, &c.closed, &c.dossier, &c.dec, &c.cer, &c.chapterVoted, &c.committeeVoted); err != nil {
			t.Fatal(err)
		}
		cases = append(cases, c)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	on := func(s sql.NullString) bool { return s.Valid && s.String <= day }
	want := map[string]int{}
	var decidedSince, openedSince, closedSince int
	for _, c := range cases {
		switch {
		case c.opened > day:
			openedSince++
			continue
		case on(c.closed):
			continue
		case c.closed.Valid:
			closedSince++
		}
		if c.dec.Valid && !on(c.dec) {
			decidedSince++
		}
		switch {
		case on(c.cer):
			want["probation"]++
		case on(c.dec):
			want["decided"]++
		case c.committeeVoted != "" && c.committeeVoted <= day:
			want["committee_voted"]++
		case c.chapterVoted != "" && c.chapterVoted <= day:
			want["chapter_voted"]++
		case on(c.dossier):
			want["dossier"]++
		default:
			want["sources"]++
		}
	}
	if decidedSince == 0 || openedSince == 0 || closedSince == 0 {
		t.Fatalf("the demo has %d cases decided, %d opened and %d closed after %s; want some of each", decidedSince, openedSince, closedSince, day)
	}
	f, err := svc.Funnel(ctx, service.FunnelQuery{ReportQuery: service.ReportQuery{OrgCode: "krongpac", AsOf: asof}})
	if err != nil {
		t.Fatal(err)
	}
	u := f.Unit
	for _, k := range []string{"dossier", "chapter_voted", "committee_voted", "decided", "probation"} {
		if u.Counts[k] != want[k] {
			t.Errorf("%s as of %s: %d; the dated facts give %d", k, day, u.Counts[k], want[k])
		}
	}
	// Sources: the cases at the source stage then plus the people without
	// a case then (counted by the store), never fewer than the cases.
	if u.Counts["sources"] < want["sources"] {
		t.Errorf("sources as of %s: %d; cases at the source stage %d", day, u.Counts["sources"], want["sources"])
	}
	live, err := svc.Funnel(ctx, service.FunnelQuery{ReportQuery: service.ReportQuery{OrgCode: "krongpac", AsOf: demoAsOf}})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Equal([]int{u.Counts["decided"], u.Counts["probation"], u.Counts["chapter_voted"]},
		[]int{live.Unit.Counts["decided"], live.Unit.Counts["probation"], live.Unit.Counts["chapter_voted"]}) {
		t.Errorf("the funnel of %s is the one of %s: %v", day, demoAsOf.Format(domain.DateLayout), u.Counts)
	}
	t.Logf("as of %s: %v overdue %d stalled %d (%d decided, %d opened, %d closed since)", day, u.Counts, u.Overdue, u.Stalled,
		decidedSince, openedSince, closedSince)
}
