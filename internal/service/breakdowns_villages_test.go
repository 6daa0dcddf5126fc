package service_test

import (
	"testing"

	"ketnap/internal/service"
)

// The village chapters of the demo: each commune's chapters of its
// villages, buôn and residential groups, with the admissions Progress
// counts at each; those that admitted nobody are the article's complaint.
// The high schools' total adds their lines up.
func TestVillageChaptersOfTheDemo(t *testing.T) {
	svc, ctx := demoWorld(t)
	q := service.ReportQuery{OrgCode: "krongpac", Year: 2024, AsOf: demoAsOf}
	b, err := svc.Breakdowns(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.VillageChapters) < 150 {
		t.Fatalf("%d village chapters", len(b.VillageChapters))
	}
	idle := b.VillageChaptersIdle()
	if len(idle) == 0 || len(idle) == len(b.VillageChapters) {
		t.Fatalf("%d of %d village chapters admitted nobody", len(idle), len(b.VillageChapters))
	}
	// every chapter's count is the one Progress gives it, through its commune
	byCommune := map[string]int{}
	for _, v := range b.VillageChapters {
		byCommune[v.Commune]++
		if v.Admitted < 0 || v.Place == "" || v.Code == "" {
			t.Errorf("%+v", v)
		}
	}
	checked := 0
	for _, code := range []string{"krongpac-eaphe", "krongpac-eayong", "krongpac-vubon"} {
		p, err := svc.Progress(ctx, service.ReportQuery{OrgCode: code, Year: 2024, AsOf: demoAsOf})
		if err != nil {
			t.Fatal(err)
		}
		admitted := map[string]int{}
		for _, c := range p.Children {
			admitted[c.Code] = c.Admitted
		}
		n := 0
		for _, v := range b.VillageChapters {
			if v.Commune != p.Org.Name {
				continue
			}
			n++
			if got, ok := admitted[v.Code]; !ok || got != v.Admitted {
				t.Errorf("%s: %d admitted in the breakdowns, %d (%v) in the progress", v.Code, v.Admitted, got, ok)
			}
			checked++
		}
		if n == 0 || n != byCommune[p.Org.Name] {
			t.Errorf("%s: %d village chapters", code, n)
		}
	}
	if checked < 20 {
		t.Errorf("only %d chapters checked", checked)
	}
	groups := b.VillageChaptersByCommune()
	total, none := 0, 0
	for _, g := range groups {
		total += g.Total
		none += len(g.Idle)
	}
	if total != len(b.VillageChapters) || none != len(idle) || len(groups) != len(byCommune) {
		t.Errorf("by commune: %d/%d in %d groups", none, total, len(groups))
	}
	// the commune's own report lists only its own
	e, err := svc.Breakdowns(ctx, service.ReportQuery{OrgCode: "krongpac-eaphe", Year: 2024, AsOf: demoAsOf})
	if err != nil {
		t.Fatal(err)
	}
	if len(e.VillageChapters) != byCommune["Đảng bộ xã Ea Phê"] {
		t.Errorf("Ea Phê: %d village chapters, %d in the district's", len(e.VillageChapters), byCommune["Đảng bộ xã Ea Phê"])
	}

	st := b.SchoolsTotal
	students, admitted := 0, 0
	for _, s := range b.Schools {
		students += s.Students
		admitted += s.Admitted
	}
	if st.Schools != len(b.Schools) || st.Students != students || st.Admitted != admitted || st.Percent == nil || st.Schools < 5 {
		t.Errorf("schools' total %+v, lines %d students %d admitted", st, students, admitted)
	}
	if want := float64(int(float64(admitted)*10000/float64(students)+0.5)) / 100; *st.Percent != want {
		t.Errorf("schools' percent %v, want %v", *st.Percent, want)
	}
}
