package demo_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"testing"
	"time"

	"ketnap/internal/demo"
	"ketnap/internal/domain"
	"ketnap/internal/service"
	"ketnap/internal/store"
	"ketnap/internal/testkit"
	"ketnap/internal/testkit/demodb"
	"ketnap/internal/vn"
)

// open returns a service over a fresh store, acting as System.
func open(t *testing.T) (context.Context, *service.Service, *store.Store) {
	t.Helper()
	ctx := context.Background()
	st := testkit.OpenStore(t)
	return service.WithUser(ctx, service.System), service.New(st, nil), st
}

// load loads the demo and logs how long it took.
func load(t *testing.T) (context.Context, *service.Service, *store.Store) {
	t.Helper()
	ctx, svc, st := open(t)
	var lines []string
	start := time.Now()
	loaded, err := demo.Load(ctx, st, func(s string) { lines = append(lines, s) })
	took := time.Since(start)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if !loaded {
		t.Fatal("Load on an empty database said the demo was already there")
	}
	t.Logf("demo loaded in %v", took)
	for _, l := range lines {
		t.Log(l)
	}
	if len(lines) == 0 {
		t.Error("no progress lines")
	}
	return ctx, svc, st
}

// loaded opens a copy of the demo database, loaded once for every package
// of the run (demodb): the tests that only read the demo use it, and
// TestDeterministic checks that a fresh load writes the same data.
func loaded(t *testing.T) (context.Context, *service.Service, *store.Store) {
	t.Helper()
	st := demodb.Open(t)
	return service.WithUser(context.Background(), service.System), service.New(st, nil), st
}

func child(t *testing.T, p *service.Progress, code string) (admitted int, quota *int, pct *float64) {
	t.Helper()
	for _, c := range p.Children {
		if c.Code == code {
			return c.Admitted, c.Quota, c.QuotaPercent
		}
	}
	t.Fatalf("no child %s of %s", code, p.Org.Code)
	return
}

func TestLoad(t *testing.T) {
	ctx, svc, st := loaded(t)

	p, err := svc.Progress(ctx, service.ReportQuery{OrgCode: "krongpac", Year: 2024, AsOf: demo.AsOf})
	if err != nil {
		t.Fatal(err)
	}
	if p.Admitted != 57 || p.Quota == nil || *p.Quota != 246 || p.Plan == nil || *p.Plan != 275 {
		t.Fatalf("district: admitted %d quota %v plan %v; want 57, 246, 275", p.Admitted, p.Quota, p.Plan)
	}
	if *p.QuotaPercent != 23.17 || *p.PlanPercent != 20.73 {
		t.Errorf("district percents %v, %v; want 23.17, 20.73", *p.QuotaPercent, *p.PlanPercent)
	}
	// Every 2024 admission went through its case; the projection adds
	// the cases past the chapter vote, as the funnel's forecast does.
	f, err := svc.Funnel(ctx, service.FunnelQuery{ReportQuery: service.ReportQuery{OrgCode: "krongpac", Year: 2024, AsOf: demo.AsOf}})
	if err != nil {
		t.Fatal(err)
	}
	if p.Recorded != 0 || p.Pipeline == 0 || p.Projection == nil || f.Forecast.Projection == nil || *p.Projection != *f.Forecast.Projection ||
		p.Pipeline != f.Forecast.PastVote || p.Pipeline != f.Unit.PastVote {
		t.Errorf("district: recorded %d, past the chapter vote %d, projection %v; want 0, the funnel's %d and %v",
			p.Recorded, p.Pipeline, p.Projection, f.Forecast.PastVote, f.Forecast.Projection)
	}
	if p.Deadline == nil || !p.Deadline.Equal(domain.Day(2024, 9, 30)) {
		t.Errorf("deadline %v, want 2024-09-30", p.Deadline)
	}
	if p.Lost != 0 {
		t.Errorf("%d admissions lost", p.Lost)
	}
	for _, c := range []struct {
		code string
		pct  float64
	}{{"krongpac-thpt-lehongphong", 233.33}, {"krongpac-bandanvan", 100}, {"krongpac-quydat", 100}, {"krongpac-eayong", 60}} {
		_, _, got := child(t, p, c.code)
		if got == nil || *got != c.pct {
			t.Errorf("%s: %v %%, want %v", c.code, got, c.pct)
		}
	}
	if n, _, _ := child(t, p, "krongpac-thpt-lehongphong"); n != 7 {
		t.Errorf("Lê Hồng Phong admitted %d, want 7", n)
	}
	named := map[string]bool{"krongpac-thpt-lehongphong": true, "krongpac-bandanvan": true, "krongpac-quydat": true, "krongpac-eayong": true}
	zero, quotaSum, planSum := 0, 0, 0
	for _, c := range p.Children {
		if c.Quota != nil {
			quotaSum += *c.Quota
			if c.Admitted == 0 {
				zero++
			}
		} else if c.Admitted > 0 {
			t.Errorf("%s admitted %d without a quota", c.Code, c.Admitted)
		}
		if c.Plan != nil {
			planSum += *c.Plan
		}
		if !named[c.Code] && c.QuotaPercent != nil && *c.QuotaPercent >= 60 {
			t.Errorf("%s at %v %%: only the article's four units reach 60 %%", c.Code, *c.QuotaPercent)
		}
	}
	if zero < 5 {
		t.Errorf("%d children with a quota and no admission, want at least 5", zero)
	}
	if quotaSum != 246 || planSum != 275 {
		t.Errorf("children's quotas sum to %d and plans to %d, want 246 and 275", quotaSum, planSum)
	}
	if n := len(p.Children); n < 40 || n > 60 {
		t.Errorf("%d direct children, want 40–60", n)
	}

	// A decision on 4 May exists: a day earlier the count is lower.
	early, err := svc.Progress(ctx, service.ReportQuery{OrgCode: "krongpac", Year: 2024, AsOf: domain.Day(2024, 5, 3)})
	if err != nil {
		t.Fatal(err)
	}
	if early.Admitted >= 57 {
		t.Errorf("as of 2024-05-03: %d admitted, want fewer than 57", early.Admitted)
	}

	// Target sheets: the district adds up, one commune is 2 short.
	sheet, err := svc.Targets(ctx, service.ReportQuery{OrgCode: "krongpac", Year: 2024})
	if err != nil {
		t.Fatal(err)
	}
	if sheet.QuotaGap != nil || sheet.PlanGap != nil || sheet.QuotaSum != 246 || sheet.PlanSum != 275 {
		t.Errorf("district sheet: sums %d/%d gaps %v/%v", sheet.QuotaSum, sheet.PlanSum, sheet.QuotaGap, sheet.PlanGap)
	}
	short := 0
	_, kids, err := svc.Children(ctx, "krongpac", demo.AsOf)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range kids {
		if k.Kind != domain.KindGrassroots {
			continue
		}
		s, err := svc.Targets(ctx, service.ReportQuery{OrgCode: k.Code, Year: 2024})
		if err != nil {
			t.Fatal(err)
		}
		if s.QuotaGap != nil {
			short++
			if *s.QuotaGap != 2 || k.Code != "krongpac-eakuang" {
				t.Errorf("%s: quota gap %d", k.Code, *s.QuotaGap)
			}
		}
	}
	if short != 1 {
		t.Errorf("%d committees whose chapters do not add up, want 1", short)
	}

	root, err := st.GetOrgByCode(ctx, "krongpac")
	if err != nil {
		t.Fatal(err)
	}
	// The members now stand under the province (the district's units were
	// merged into its new communes on 1/7/2025): the demo's whole
	// membership on its last day.
	prov, err := st.GetOrgByCode(ctx, "daklak")
	if err != nil {
		t.Fatal(err)
	}
	if n, err := st.CountMembers(ctx, root.Path); err != nil || n != 0 {
		t.Errorf("%d members still in the closed district's units (%v), want 0", n, err)
	}
	// The seed's district as of 04/05/2024: the members on that day.
	var members int
	err = st.DB().QueryRowContext(ctx, `SELECT COUNT(DISTINCT m.person_id) FROM memberships m
		WHERE m.decision_date <= '2024-05-04' AND (m.end_date IS NULL OR m.end_date > '2024-05-04')`).Scan(&members)
	if err != nil {
		t.Fatal(err)
	}
	if members < 6500 || members > 7500 {
		t.Errorf("%d members as of 04/05/2024, want 6,500–7,500", members)
	}
	// The continuation to 30/11/2026: more members, all under the province.
	latest, err := st.CountMembers(ctx, prov.Path)
	if err != nil {
		t.Fatal(err)
	}
	if latest <= members || latest > members+1500 {
		t.Errorf("%d members on 30/11/2026, want more than the %d of 04/05/2024 and at most 1,500 more", latest, members)
	}
	t.Logf("%d members as of 04/05/2024, %d on 30/11/2026", members, latest)
	if d, ok := svc.DemoLatest(ctx); !ok || !d.Equal(domain.Day(2026, 11, 30)) {
		t.Errorf("DemoLatest = %v, %v; want 30/11/2026", d, ok)
	}
	p26, err := svc.Progress(ctx, service.ReportQuery{OrgCode: "daklak", Year: 2026, AsOf: domain.Day(2026, 11, 30)})
	if err != nil {
		t.Fatal(err)
	}
	if p26.Admitted == 0 || p26.Lost != 0 {
		t.Errorf("the province in 2026 as of 30/11/2026: %d admitted, %d lost", p26.Admitted, p26.Lost)
	}

	// Authority: the district decides; commune committees vote in between.
	ch, err := st.GetOrgByCode(ctx, "krongpac-eayong-thon3")
	if err != nil {
		t.Fatal(err)
	}
	a, err := st.AuthorityOn(ctx, ch, demo.AsOf)
	if err != nil || a == nil {
		t.Fatalf("authority of thôn 3: %v %v", a, err)
	}
	if a.DeciderID != root.ID || !a.GrassrootsLevel {
		t.Errorf("authority of thôn 3: %+v", a)
	}

	// The unit merged in 2023 is closed with a successor.
	m, err := st.GetOrgByCode(ctx, "krongpac-daitruyenthanh")
	if err != nil {
		t.Fatal(err)
	}
	if m.ValidTo == nil || m.SuccessorID == 0 || m.OpenOn(domain.Day(2024, 1, 1)) {
		t.Errorf("merged unit: %+v", m)
	}

	// 2023 history: the merged unit's admission counts at its successor
	// once it has closed, and at itself while it was open.
	p23, err := svc.Progress(ctx, service.ReportQuery{OrgCode: "krongpac", Year: 2023, AsOf: domain.Day(2023, 12, 31)})
	if err != nil {
		t.Fatal(err)
	}
	if p23.Admitted < 150 || p23.Lost != 0 {
		t.Errorf("2023: %d admitted, %d lost", p23.Admitted, p23.Lost)
	}
	if n, _, _ := child(t, p23, "krongpac-ttvhtt"); n < 2 {
		t.Errorf("2023: culture centre admitted %d, want its own and the merged unit's", n)
	}
	mid, err := svc.Progress(ctx, service.ReportQuery{OrgCode: "krongpac", Year: 2023, AsOf: domain.Day(2023, 6, 30)})
	if err != nil {
		t.Fatal(err)
	}
	if n, _, _ := child(t, mid, "krongpac-daitruyenthanh"); n != 1 {
		t.Errorf("2023-06-30: merged unit admitted %d, want 1", n)
	}

	// High schools with their enrolment.
	schools, err := st.Schools(ctx, root.Path, 2023, demo.AsOf)
	if err != nil {
		t.Fatal(err)
	}
	if len(schools) < 5 {
		t.Errorf("%d schools", len(schools))
	}
	for _, s := range schools {
		if s.Students < 900 || s.Students > 1600 {
			t.Errorf("%s: %d students", s.Name, s.Students)
		}
	}

	// Loading again says the demo is there.
	again, err := demo.Load(ctx, st, nil)
	if err != nil || again {
		t.Errorf("second Load: loaded=%v err=%v", again, err)
	}
	if d, ok := svc.DemoAsOf(ctx); !ok || !d.Equal(demo.AsOf) {
		t.Errorf("DemoAsOf = %v, %v", d, ok)
	}

	checkPeople(t, ctx, st.DB())
	checkVillages(t, ctx, st)
}

// checkPeople checks every person and membership row.
func checkPeople(t *testing.T, ctx context.Context, db *sql.DB) {
	// pooled: in the pool on 04/05/2024 (a case open that day, no member
	// yet); the demo's later sources came after it
	rows, err := db.QueryContext(ctx, `SELECT full_name, birth_date, sex, ethnicity, religion, COALESCE(cccd, ''), education,
		occupation, stage, CASE WHEN EXISTS (SELECT 1 FROM cases c WHERE c.person_id = p.id AND c.opened_on <= '2024-05-04'
		  AND (c.closed_on IS NULL OR c.closed_on > '2024-05-04'))
		  AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.person_id = p.id AND m.decision_date <= '2024-05-04') THEN 1 ELSE 0 END
		FROM people p`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var total, minority, women, withID, sources, candidates, pooled int
	cccds := map[string]bool{}
	for rows.Next() {
		var name, birthS, sex, eth, rel, cccd, edu, occ, stage string
		var inPool int
		if err := rows.Scan(&name, &birthS, &sex, &eth, &rel, &cccd, &edu, &occ, &stage, &inPool); err != nil {
			t.Fatal(err)
		}
		birth, err := time.Parse(domain.DateLayout, birthS[:10])
		if err != nil {
			t.Fatal(err)
		}
		total++
		if vn.IsMinority(eth) {
			minority++
		}
		if sex == domain.Female {
			women++
		}
		if vn.Clean(name) != name || len([]rune(name)) > 100 {
			t.Errorf("name %q not clean", name)
		}
		for _, real := range realPeople {
			if vn.Fold(name) == vn.Fold(real) {
				t.Errorf("a demo person is named after a real person: %s", name)
			}
		}
		if _, ok := vn.EthnicityByCode(eth); !ok {
			t.Errorf("%s: ethnicity %q", name, eth)
		}
		if _, ok := vn.ReligionByCode(rel); !ok {
			t.Errorf("%s: religion %q", name, rel)
		}
		if domain.EducationName(edu) == edu || domain.OccupationName(occ) == occ || domain.StageName(stage) == stage {
			t.Errorf("%s: education %q occupation %q stage %q", name, edu, occ, stage)
		}
		if cccd != "" {
			withID++
			if err := vn.ValidCCCDFor(cccd, birth, sex == domain.Female); err != nil {
				t.Errorf("%s: CCCD %s: %v", name, cccd, err)
			}
			if cccds[cccd] {
				t.Errorf("CCCD %s twice", cccd)
			}
			cccds[cccd] = true
		}
		switch stage {
		case domain.StageSource:
			sources++
		case domain.StageCandidate:
			candidates++
		}
		if inPool == 1 {
			pooled++
			if age := years(birth, demo.AsOf); age < 18 || age > 45 {
				t.Errorf("%s in the pool on 04/05/2024 aged %d", name, age)
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	share := float64(minority) / float64(total)
	t.Logf("%d people: %.1f %% minorities, %.1f %% women, %.1f %% with CCCD, %d in the pool on 04/05/2024; %d sources, %d candidates on 30/11/2026",
		total, 100*share, 100*float64(women)/float64(total), 100*float64(withID)/float64(total), pooled, sources, candidates)
	if share < 0.28 || share > 0.40 {
		t.Errorf("minorities %.1f %%, want about a third", 100*share)
	}
	if w := float64(women) / float64(total); w < 0.35 || w > 0.47 {
		t.Errorf("women %.1f %%, want about 40 %%", 100*w)
	}
	if withID < total*85/100 {
		t.Errorf("only %d of %d people have a CCCD", withID, total)
	}
	if pooled < 400 || pooled > 530 {
		t.Errorf("%d people in the pool on 04/05/2024, want the seed's 460 or so", pooled)
	}
	if sources < 350 || sources > 700 || candidates < 40 || candidates > 120 {
		t.Errorf("%d sources and %d candidates on 30/11/2026", sources, candidates)
	}

	// Memberships: every member has one; 2024's are in the window, decided
	// by the district, the latest without a ceremony; age 18+ when admitted.
	var bad int
	err = db.QueryRowContext(ctx, `SELECT COUNT(*) FROM people p WHERE p.stage IN ('official', 'probationary')
		AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.person_id = p.id)`).Scan(&bad)
	if err != nil || bad != 0 {
		t.Errorf("%d members without a membership (%v)", bad, err)
	}
	err = db.QueryRowContext(ctx, `SELECT COUNT(*) FROM memberships m JOIN people p ON p.id = m.person_id
		WHERE p.stage NOT IN ('official', 'probationary')`).Scan(&bad)
	if err != nil || bad != 0 {
		t.Errorf("%d memberships of non-members (%v)", bad, err)
	}
	// (as of 04/05/2024: the demo goes on to 30/11/2026)
	var n2024, on0504, noCeremony, n2023 int
	var first, lastDate string
	err = db.QueryRowContext(ctx, `SELECT COUNT(*), CAST(MIN(decision_date) AS TEXT), CAST(MAX(decision_date) AS TEXT),
		SUM(CASE WHEN decision_date = '2024-05-04' THEN 1 ELSE 0 END),
		SUM(CASE WHEN ceremony_date IS NULL OR ceremony_date > '2024-05-04' THEN 1 ELSE 0 END)
		FROM memberships WHERE decision_date BETWEEN '2024-01-01' AND '2024-05-04'`).Scan(&n2024, &first, &lastDate, &on0504, &noCeremony)
	if err != nil {
		t.Fatal(err)
	}
	if n2024 != 57 || first < "2024-01-02" || lastDate != "2024-05-04" || on0504 < 1 || noCeremony == 0 || noCeremony > 20 {
		t.Errorf("2024: %d decisions from %s to %s, %d on 4 May, %d without ceremony", n2024, first, lastDate, on0504, noCeremony)
	}
	err = db.QueryRowContext(ctx, `SELECT COUNT(*) FROM memberships WHERE decision_date BETWEEN '2023-01-01' AND '2023-12-31'`).Scan(&n2023)
	if err != nil || n2023 < 150 || n2023 > 210 {
		t.Errorf("2023: %d decisions (%v)", n2023, err)
	}
	err = db.QueryRowContext(ctx, `SELECT COUNT(*) FROM memberships m JOIN people p ON p.id = m.person_id
		JOIN orgs o ON o.id = m.admitted_org_id
		WHERE m.decision_date < `+addYears("p.birth_date", 18)+` OR m.decision_date < o.valid_from
		   OR m.decision_date >= COALESCE(o.valid_to, '9999-12-31')
		   OR (m.decision_date <= '2024-05-04' AND m.decided_by_id <> (SELECT id FROM orgs WHERE code = 'krongpac'))
		   OR (m.decision_date >= '2025-07-01' AND m.decided_by_id = (SELECT id FROM orgs WHERE code = 'krongpac'))
		   OR (m.status = 'official' AND m.recognition_date IS NULL)
		   OR (m.decision_date BETWEEN '2024-01-01' AND '2024-05-04' AND m.recognition_date <= '2024-05-04')`).Scan(&bad)
	if err != nil || bad != 0 {
		t.Errorf("%d inconsistent memberships (%v)", bad, err)
	}
	// Where each admission came from (DOMAIN §4): the members admitted
	// before 2023 are recorded from paper; every 2023–2024 admission went
	// through its case's decision step.
	var wrongOrigin int
	err = db.QueryRowContext(ctx, `SELECT COUNT(*) FROM memberships m
		WHERE CASE WHEN m.decision_date < '2023-01-01' THEN 'paper' ELSE 'case' END <> m.origin
		   OR (m.origin = 'case') <> EXISTS (SELECT 1 FROM cases c WHERE c.membership_id = m.id)`).Scan(&wrongOrigin)
	if err != nil || wrongOrigin != 0 {
		t.Errorf("%d memberships with the wrong origin (%v)", wrongOrigin, err)
	}
	// Lê Hồng Phong's admitted students.
	var students int
	err = db.QueryRowContext(ctx, `SELECT COUNT(*) FROM memberships m JOIN people p ON p.id = m.person_id
		JOIN orgs o ON o.id = m.admitted_org_id
		WHERE o.code = 'krongpac-thpt-lehongphong' AND m.decision_date BETWEEN '2024-01-01' AND '2024-05-04' AND p.occupation = 'student_high'
		  AND m.decision_date < `+addYears("p.birth_date", 19)).Scan(&students)
	if err != nil || students < 2 || students >= 7 {
		t.Errorf("Lê Hồng Phong: %d students aged 18 admitted (%v)", students, err)
	}
}

// checkVillages checks the residential units as of 04/05/2024: most have
// a chapter, a few buôn have neither chapter nor anybody living there;
// the sixteen communes of that day hold them. On 30/11/2026 the six
// communes of the reorganisation of 1/7/2025 hold them all.
func checkVillages(t *testing.T, ctx context.Context, st *store.Store) {
	units, err := st.ResidentialUnitsOn(ctx, "/", demo.AsOf)
	if err != nil {
		t.Fatal(err)
	}
	perCommune := map[int64]int{}
	without := 0
	for _, u := range units {
		perCommune[u.CommuneID]++
		if u.ChapterID != 0 {
			continue
		}
		without++
		if u.Kind != "buon" {
			t.Errorf("%s without a chapter", u.Name)
		}
		var n int
		if err := st.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM people WHERE residence_id = $1`, u.ID).Scan(&n); err != nil || n != 0 {
			t.Errorf("%s: %d people live in a village without a chapter (%v)", u.Name, n, err)
		}
	}
	if without < 3 || without > 8 {
		t.Errorf("%d villages without a chapter", without)
	}
	if len(perCommune) != 16 {
		t.Errorf("villages in %d communes as of 04/05/2024, want 16", len(perCommune))
	}
	for c, n := range perCommune {
		if n < 8 || n > 15 {
			t.Errorf("commune %d has %d villages", c, n)
		}
	}
	now, err := st.ResidentialUnits(ctx, "/")
	if err != nil {
		t.Fatal(err)
	}
	after := map[int64]int{}
	for _, u := range now {
		after[u.CommuneID]++
	}
	if len(now) != len(units) || len(after) != 6 {
		t.Errorf("%d villages in %d communes on 30/11/2026, want the %d of 04/05/2024 in 6", len(now), len(after), len(units))
	}
}

// realPeople are real persons: the officials and the author of the
// article, and a few national figures. No demo person may bear their name.
var realPeople = []string{"Trần Hồng Tiến", "Trần Văn Tuyến", "Đinh Nga", "Hồ Chí Minh", "Võ Nguyên Giáp",
	"Nguyễn Phú Trọng", "Tô Lâm", "Phạm Minh Chính", "Y Biêr Niê", "H' Hen Niê", "Lê Hồng Phong"}

// addYears is the SQL of the date column col plus n years: SQLite's
// date() modifiers and PostgreSQL's interval arithmetic differ.
func addYears(col string, n int) string {
	if testkit.OnPostgres() {
		return fmt.Sprintf("CAST(%s + INTERVAL '%d years' AS DATE)", col, n)
	}
	return fmt.Sprintf("date(%s, '+%d years')", col, n)
}

func years(birth, d time.Time) int {
	a := d.Year() - birth.Year()
	if d.Month() < birth.Month() || (d.Month() == birth.Month() && d.Day() < birth.Day()) {
		a--
	}
	return a
}

// fingerprint hashes every demo table in a fixed order.
func fingerprint(t *testing.T, ctx context.Context, db *sql.DB) string {
	h := sha256.New()
	for _, q := range []string{
		`SELECT id, code, name, kind, sector, COALESCE(parent_id, 0), path, valid_from, COALESCE(CAST(valid_to AS TEXT), ''), COALESCE(successor_id, 0) FROM orgs ORDER BY id`,
		`SELECT id, code, name, kind, commune_id, COALESCE(chapter_id, 0) FROM residential_units ORDER BY id`,
		`SELECT id, full_name, birth_date, sex, ethnicity, religion, COALESCE(cccd, ''), education, occupation,
			COALESCE(residence_id, 0), workplace, youth_union, trade_union, org_id, stage FROM people ORDER BY id`,
		`SELECT id, person_id, decision_no, decision_date, admitted_org_id, COALESCE(CAST(ceremony_date AS TEXT), ''),
			COALESCE(CAST(recognition_date AS TEXT), ''), status FROM memberships ORDER BY id`,
		`SELECT org_id, year, kind, value, deadline FROM targets ORDER BY org_id, year, kind`,
		`SELECT school_id, school_year, students FROM school_enrolment ORDER BY school_id, school_year`,
	} {
		rows, err := db.QueryContext(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintln(h, vals...)
		}
		rows.Close()
	}
	return hex.EncodeToString(h.Sum(nil))
}

func TestDeterministic(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the demo")
	}
	ctx1, _, st1 := load(t)
	ctx2, _, st2 := loaded(t)
	a, b := fingerprint(t, ctx1, st1.DB()), fingerprint(t, ctx2, st2.DB())
	if a != b {
		t.Fatalf("two loads differ: %s vs %s", a, b)
	}
}

func TestRefusesOtherData(t *testing.T) {
	ctx, svc, st := open(t)
	if _, err := svc.CreateOrg(ctx, service.OrgInput{Code: "khac", Name: "Đảng bộ khác", Kind: domain.KindDistrict,
		Sector: "commune", ValidFrom: domain.Day(2000, 1, 1)}); err != nil {
		t.Fatal(err)
	}
	loaded, err := demo.Load(ctx, st, nil)
	if loaded || domain.ErrorCode(err) != domain.EConflict {
		t.Fatalf("Load into a database with other data: loaded=%v err=%v", loaded, err)
	}
	t.Log(domain.ErrorMessage(err))
	if _, ok := svc.DemoAsOf(ctx); ok {
		t.Error("demo marked after a refusal")
	}
}
