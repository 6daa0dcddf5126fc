package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// DOMAIN §7: `ketnap report breakdowns --format json` of the demo — the
// shape, and every partition adds up to the 57 admitted.
func TestReportBreakdownsJSON(t *testing.T) {
	db := demoDB(t)
	code, out, errs := runCLI(t, "", "report", "breakdowns", "--db", db, "--org", "krongpac", "--year", "2024", "--asof", "2024-05-04", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got struct {
		Org        struct{ Code, Name string }
		Year       int
		AsOf       string `json:"asof"`
		Admitted   int
		AverageAge *float64 `json:"average_age"`
		Breakdowns []struct {
			Key       string
			Title     string
			Partition bool
			Parts     []struct {
				Key, Label string
				Count      int
			}
		}
		Residential []struct {
			Code, Name, Kind, Commune string
			Admitted, Members         int
			HasChapter                bool `json:"has_chapter"`
			Weak                      bool `json:"no_member_no_chapter"`
		} `json:"residential_units"`
		Elsewhere int               `json:"admitted_outside_residential_units"`
		Weak      []json.RawMessage `json:"villages_without_member_or_chapter"`
		Schools   []struct {
			Code, Name         string
			Students, Admitted int
			Percent            *float64
		} `json:"high_schools"`
		SchoolYear   int `json:"school_year"`
		SchoolsTotal struct {
			Schools, Students, Admitted int
			Percent                     *float64
		} `json:"high_schools_total"`
		VillageChapters struct {
			Total        int
			NoneAdmitted int `json:"none_admitted"`
			Units        []struct {
				Org                  struct{ Code, Name string }
				Place, Kind, Commune string
				Admitted             int
			}
		} `json:"village_chapters"`
		ResidenceTotal int  `json:"residential_units_total"`
		WeakTotal      int  `json:"villages_without_member_or_chapter_total"`
		Truncated      bool `json:"lists_truncated"`
	}
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	// the command line's lists are whole (the API cuts them to ?limit=)
	if got.Truncated || got.ResidenceTotal != len(got.Residential) || got.WeakTotal != len(got.Weak) {
		t.Errorf("lists: %d of %d villages, %d of %d without member or chapter, truncated %v",
			len(got.Residential), got.ResidenceTotal, len(got.Weak), got.WeakTotal, got.Truncated)
	}
	if got.Org.Code != "krongpac" || got.Year != 2024 || got.AsOf != "2024-05-04" || got.Admitted != 57 || got.AverageAge == nil {
		t.Errorf("head: %+v", got)
	}
	keys := map[string]bool{}
	for _, b := range got.Breakdowns {
		keys[b.Key] = true
		n := 0
		for _, p := range b.Parts {
			n += p.Count
			if p.Label == "" {
				t.Errorf("%s: part %s without a label", b.Key, p.Key)
			}
		}
		if b.Partition && n != 57 {
			t.Errorf("%s adds up to %d", b.Key, n)
		}
	}
	for _, k := range []string{"sex", "ethnicity", "religion", "youth_union", "groups", "occupation", "age", "education"} {
		if !keys[k] {
			t.Errorf("no breakdown %s", k)
		}
	}
	n := got.Elsewhere
	for _, r := range got.Residential {
		n += r.Admitted
	}
	if n != 57 || len(got.Weak) == 0 || len(got.Schools) != 5 || got.SchoolYear != 2023 {
		t.Errorf("residence %d, weak %d, schools %d, school year %d", n, len(got.Weak), len(got.Schools), got.SchoolYear)
	}
	students, admitted := 0, 0
	for _, s := range got.Schools {
		students += s.Students
		admitted += s.Admitted
	}
	if st := got.SchoolsTotal; st.Schools != 5 || st.Students != students || st.Admitted != admitted || st.Percent == nil {
		t.Errorf("schools' total %+v", st)
	}
	idle := 0
	for _, u := range got.VillageChapters.Units {
		if u.Admitted == 0 {
			idle++
		}
		if u.Org.Code == "" || u.Place == "" || u.Commune == "" {
			t.Errorf("village chapter %+v", u)
		}
	}
	if v := got.VillageChapters; v.Total != len(v.Units) || v.NoneAdmitted != idle || idle == 0 || idle == v.Total {
		t.Errorf("village chapters: %d/%d, %d idle listed", v.NoneAdmitted, v.Total, idle)
	}

	// The funnel with its forecast.
	code, out, errs = runCLI(t, "", "report", "funnel", "--db", db, "--org", "krongpac", "--year", "2024", "--asof", "2024-05-04", "--format", "json")
	if code != 0 {
		t.Fatalf("funnel exit %d: %s", code, errs)
	}
	var f struct {
		Unit struct {
			Stages   map[string]int
			Overdue  int
			Stalled  int
			PastVote int `json:"past_chapter_vote"`
			Children []json.RawMessage
		}
		Forecast struct {
			Admitted   int
			AtPace     *int `json:"at_current_pace"`
			PastVote   int  `json:"past_chapter_vote"`
			Projection *int
		}
	}
	if err := json.Unmarshal([]byte(out), &f); err != nil {
		t.Fatal(err)
	}
	if f.Unit.Stages["decided"] != 10 || len(f.Unit.Children) == 0 || f.Forecast.Admitted != 57 || f.Forecast.Projection == nil ||
		*f.Forecast.Projection != *f.Forecast.AtPace+f.Forecast.PastVote || f.Forecast.PastVote != f.Unit.PastVote {
		t.Errorf("funnel: %s", out)
	}

	// The tables for people.
	code, out, _ = runCLI(t, "", "report", "breakdowns", "--db", db, "--year", "2024", "--asof", "2024-05-04")
	if code != 0 || !strings.Contains(out, "Dân tộc thiểu số") || !strings.Contains(out, "chưa có đảng viên và chưa có chi bộ") {
		t.Errorf("table:\n%s", out)
	}
	if code, _, _ := runCLI(t, "", "report", "breakdowns", "--db", db); code != exitUsage {
		t.Errorf("without --year: exit %d", code)
	}
}
