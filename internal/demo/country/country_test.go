package country_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"testing"

	"ketnap/internal/demo/country"
	"ketnap/internal/domain"
	"ketnap/internal/service"
	"ketnap/internal/store"
	"ketnap/internal/testkit"
)

const testScale = 0.001

// load builds the country at the test's scale on a fresh store.
func load(t *testing.T) (*store.Store, *country.Summary) {
	t.Helper()
	ctx := service.WithUser(context.Background(), service.System)
	st := testkit.OpenStore(t)
	sum, loaded, err := country.Load(ctx, st, testScale, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !loaded {
		t.Fatal("not loaded into an empty store")
	}
	return st, sum
}

// fingerprint hashes what the store holds of the country, table by table
// in id order, and counts the rows.
func fingerprint(t *testing.T, st *store.Store) (string, map[string]int) {
	t.Helper()
	queries := map[string]string{
		"orgs":        `SELECT id, code, name, kind, sector, COALESCE(parent_id, 0), path FROM orgs ORDER BY id`,
		"org_links":   `SELECT org_id, COALESCE(parent_id, 0), path FROM org_links ORDER BY org_id`,
		"people":      `SELECT id, full_name, name_key, birth_date, sex, ethnicity, COALESCE(cccd, ''), org_id, stage FROM people ORDER BY id`,
		"memberships": `SELECT id, person_id, decision_no, decision_date, admitted_org_id, status, origin FROM memberships ORDER BY id`,
		"cases":       `SELECT id, person_id, org_id, stage, opened_on, decision_no, next_action, COALESCE(next_due, opened_on) FROM cases ORDER BY id`,
		"case_votes":  `SELECT id, case_id, purpose, level, date, yes_count, passed FROM case_votes ORDER BY id`,
		"deadlines":   `SELECT case_id, kind, due FROM case_deadlines ORDER BY case_id, kind, due`,
		"targets":     `SELECT org_id, year, kind, value FROM targets ORDER BY org_id, kind`,
		"villages":    `SELECT id, code, name, commune_id FROM residential_units ORDER BY id`,
		"classes":     `SELECT id, code, name, org_id, start_date, status FROM classes ORDER BY id`,
		"learners":    `SELECT class_id, person_id, enrolled_on FROM class_learners ORDER BY class_id, person_id`,
	}
	h := sha256.New()
	counts := map[string]int{}
	for _, table := range []string{"orgs", "org_links", "people", "memberships", "cases", "case_votes", "deadlines", "targets", "villages", "classes", "learners"} {
		rows, err := st.DB().Query(queries[table])
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
			for _, v := range vals {
				if b, ok := v.([]byte); ok {
					v = string(b)
				}
				fmt.Fprintf(h, "%v\x00", v)
			}
			counts[table]++
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return hex.EncodeToString(h.Sum(nil)), counts
}

// Two loads at the same scale give the same rows, and the summary counts
// what the store holds.
func TestCountryIsDeterministic(t *testing.T) {
	st1, sum1 := load(t)
	st2, sum2 := load(t)
	if sum1.Hash != sum2.Hash {
		t.Errorf("hash of the generated rows: %s then %s", sum1.Hash, sum2.Hash)
	}
	f1, counts1 := fingerprint(t, st1)
	f2, counts2 := fingerprint(t, st2)
	if f1 != f2 {
		t.Errorf("the two stores differ: %v and %v", counts1, counts2)
	}
	if counts1["orgs"] != sum1.Orgs || counts1["people"] != sum1.People || counts1["cases"] != sum1.Cases {
		t.Errorf("stored orgs %d, people %d, cases %d; summary %d, %d, %d",
			counts1["orgs"], counts1["people"], counts1["cases"], sum1.Orgs, sum1.People, sum1.Cases)
	}
	if counts1["classes"] != sum1.Classes || counts1["learners"] != sum1.Learners || sum1.Classes == 0 {
		t.Errorf("stored classes %d, learners %d; summary %d, %d", counts1["classes"], counts1["learners"], sum1.Classes, sum1.Learners)
	}
	if counts1["org_links"] != counts1["orgs"] {
		t.Errorf("%d tree links for %d organizations", counts1["org_links"], counts1["orgs"])
	}
	if sum1.Provinces != 34 {
		t.Errorf("%d provinces, want 34", sum1.Provinces)
	}
	// every stage of the procedure has open cases
	for _, stage := range []string{domain.CaseSource, domain.CaseDossier, domain.CaseChapterVoted, domain.CaseVoteFailed,
		domain.CaseDecided, domain.CaseProbation, domain.CaseRecognitionVote} {
		if sum1.OpenByStage[stage] == 0 {
			t.Errorf("no open case at stage %s: %v", stage, sum1.OpenByStage)
		}
	}
	if counts1["deadlines"] == 0 {
		t.Error("the service computed no deadline for the open cases")
	}
}

// The service's roll-up counts the admissions the generator made: the
// country's, each province's, and the quotas it set.
func TestCountryRollup(t *testing.T) {
	st, sum := load(t)
	ctx := service.WithUser(context.Background(), service.System)
	svc := service.New(st, nil)
	p, err := svc.Progress(ctx, service.ReportQuery{Year: 2026, AsOf: country.AsOf})
	if err != nil {
		t.Fatal(err)
	}
	if p.Admitted != sum.Admitted2026 || sum.Admitted2026 == 0 {
		t.Errorf("country: admitted %d, generated %d", p.Admitted, sum.Admitted2026)
	}
	if p.Quota == nil || *p.Quota != sum.Quota2026 {
		t.Errorf("country: quota %v, generated %d", p.Quota, sum.Quota2026)
	}
	if len(p.Children) != 34 {
		t.Fatalf("%d provinces under the root", len(p.Children))
	}
	total := 0
	for _, c := range p.Children {
		want, ok := sum.AdmittedByProvince[c.Code]
		if !ok || c.Admitted != want {
			t.Errorf("%s: admitted %d, generated %d", c.Code, c.Admitted, want)
		}
		total += want
	}
	if total != sum.Admitted2026 {
		t.Errorf("provinces add up to %d of %d", total, sum.Admitted2026)
	}
	// the loader counts the admissions and the pipeline as a rebuild
	// does, and the country's pipeline from them is the one from the cases
	adm, err := st.AdmissionCountRows(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pipe, err := st.PipelineCountRows(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r, err := svc.RebuildCounts(ctx, nil); err != nil || r.Pipeline == 0 {
		t.Fatalf("rebuild: %+v, %v", r, err)
	}
	adm2, err := st.AdmissionCountRows(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pipe2, err := st.PipelineCountRows(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(adm, adm2) || !slices.Equal(pipe, pipe2) {
		t.Errorf("the loader's counts (%d, %d rows) are not a rebuild's (%d, %d rows)", len(adm), len(pipe), len(adm2), len(pipe2))
	}
	raw, err := st.PipelineCountsOn(ctx, "/", country.AsOf, country.AsOf)
	if err != nil {
		t.Fatal(err)
	}
	scratch := 0
	for _, n := range raw {
		scratch += n
	}
	if p.Pipeline != scratch || scratch == 0 {
		t.Errorf("country: %d in the pipeline from the counts, %d from the cases", p.Pipeline, scratch)
	}
	// the pages' date is the country's
	if d, ok := svc.DemoAsOf(ctx); !ok || !d.Equal(country.AsOf) {
		t.Errorf("pages open on %v (%v)", d, ok)
	}
	// the lists and a case page read the country
	people, err := svc.People(ctx, service.PeopleQuery{OrgCode: "hue", PerPage: 20})
	if err != nil || len(people.People) == 0 {
		t.Fatalf("people of Huế: %v, %v", people, err)
	}
	// the loader writes the name search's words: a person is found by the
	// starts of their name's words, across the country
	who := people.People[len(people.People)-1]
	words := strings.Fields(who.FullName)
	q := words[0][:min(3, len(words[0]))] + " " + words[len(words)-1]
	found, err := svc.People(ctx, service.PeopleQuery{Query: q, PerPage: 100})
	if err != nil || !slices.ContainsFunc(found.People, func(x *domain.Person) bool { return x.ID == who.ID }) {
		t.Errorf("search %q across the country: %d found, %v; %s (%d) not among them", q, len(found.People), err, who.FullName, who.ID)
	}
	cases, err := svc.Cases(ctx, service.CaseQuery{Open: true, Stages: []string{domain.CaseChapterVoted}, PerPage: 5})
	if err != nil || len(cases.Cases) == 0 {
		t.Fatalf("open cases: %v, %v", cases, err)
	}
	v, err := svc.Case(ctx, cases.Cases[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if v.Decider == nil {
		t.Errorf("case %d: no deciding body", v.Case.ID)
	}
	// rows written after the load get fresh ids (PostgreSQL's sequences moved past the loader's)
	o := &domain.Org{Code: "hue-moi", Name: "Chi bộ mới", Kind: domain.KindChapter, Sector: "commune",
		ParentID: p.Children[1].ID, ValidFrom: country.AsOf}
	if err := st.CreateOrg(ctx, o); err != nil {
		t.Fatalf("an organization after the load: %v", err)
	}
	if err := st.CreatePerson(ctx, &domain.Person{FullName: "Lê Văn Mới", BirthDate: domain.Day(2000, 1, 1), Sex: domain.Male,
		Ethnicity: "01", Religion: "none", Education: "higher", Occupation: "other", OrgID: o.ID, Stage: domain.StageSource},
		country.AsOf); err != nil {
		t.Fatalf("a person after the load: %v", err)
	}
	// a second load finds the country there
	if _, loaded, err := country.Load(ctx, st, testScale, nil); err != nil || loaded {
		t.Errorf("second load: loaded %v, %v", loaded, err)
	}
}

// The country goes only into an empty database.
func TestCountryRefusesAnotherTree(t *testing.T) {
	ctx := service.WithUser(context.Background(), service.System)
	st := testkit.OpenStore(t)
	if err := st.CreateOrg(ctx, &domain.Org{Code: "khac", Name: "Đảng bộ khác", Kind: domain.KindProvince, Sector: "commune",
		ValidFrom: domain.Day(2020, 1, 1)}); err != nil {
		t.Fatal(err)
	}
	_, loaded, err := country.Load(ctx, st, testScale, nil)
	if domain.ErrorCode(err) != domain.EConflict || loaded {
		t.Fatalf("loaded %v, err %v; want a conflict", loaded, err)
	}
	if _, _, err := country.Load(ctx, st, 0, nil); domain.ErrorCode(err) != domain.EInvalid {
		t.Errorf("scale 0: %v", err)
	}
}
