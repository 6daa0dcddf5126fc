package store

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"ketnap/internal/domain"
)

// The members of each village kept per day (residence_members) follow
// every write that moves them: a person recorded as a member, an
// admission decision and the stage it gives, a membership that ends, a
// member who moves house, a bulk load; on each day they are the members
// the breakdowns count from the people (memberOn), and a rebuild gives
// the same rows.
func TestResidenceMembersFollowTheFacts(t *testing.T) {
	st, ctx := openTest(t)
	root := mkOrg(t, st, "huyen", 0)
	xa := mkOrg(t, st, "xa", root.ID)
	cb := mkOrg(t, st, "cb-thon1", xa.ID)
	var homes []int64
	for i, chapter := range []int64{cb.ID, 0} {
		u := &domain.ResidentialUnit{Code: fmt.Sprint("thon-", i+1), Name: fmt.Sprint("Thôn ", i+1), Kind: "thon", CommuneID: xa.ID, ChapterID: chapter}
		if err := st.CreateResidentialUnit(ctx, u); err != nil {
			t.Fatal(err)
		}
		homes = append(homes, u.ID)
	}
	v1, v2 := homes[0], homes[1]
	person := func(name, stage string, home int64) *domain.Person {
		t.Helper()
		p := newPerson(cb.ID, name, "")
		p.Stage, p.ResidenceID = stage, home
		if err := st.CreatePerson(ctx, p, time.Now()); err != nil {
			t.Fatal(err)
		}
		return p
	}
	members := func(on time.Time) [2]int {
		t.Helper()
		var out [2]int
		for _, counted := range []bool{false, true} {
			rows, err := st.ResidenceMembers(ctx, root.Path, on, counted)
			if err != nil {
				t.Fatal(err)
			}
			var got [2]int
			for _, r := range rows {
				got[slices.Index(homes, r.ID)] = r.Members
			}
			if counted && got != out {
				t.Fatalf("on %s: counted %v, from the people %v", on.Format(domain.DateLayout), got, out)
			}
			out = got
		}
		return out
	}
	expect := func(when string, want map[time.Time][2]int) {
		t.Helper()
		for on, w := range want {
			if got := members(on); got != w {
				t.Errorf("%s, on %s: members of the two villages %v, want %v", when, on.Format(domain.DateLayout), got, w)
			}
		}
	}

	// a member recorded without a decision counts on every day
	person("Trần Văn Một", domain.StageOfficial, v1)
	// a source of v1 admitted on 10/3/2024 (HD06 §3: a member from the decision)
	p2 := person("Trần Văn Hai", domain.StageSource, v1)
	admit(t, st, p2.ID, cb.ID, d(2024, 3, 10))
	if err := st.SetStage(ctx, p2.ID, domain.StageProbationary, time.Now()); err != nil {
		t.Fatal(err)
	}
	// a member of v2 since 1/2/2023 whose membership ends on 1/9/2024
	p3 := person("Trần Văn Ba", domain.StageSource, v2)
	admit(t, st, p3.ID, cb.ID, d(2023, 2, 1))
	if err := st.SetStage(ctx, p3.ID, domain.StageOfficial, time.Now()); err != nil {
		t.Fatal(err)
	}
	// a member of v1 admitted on 1/5/2020
	p4 := person("Trần Văn Bốn", domain.StageSource, v1)
	admit(t, st, p4.ID, cb.ID, d(2020, 5, 1))
	if err := st.SetStage(ctx, p4.ID, domain.StageOfficial, time.Now()); err != nil {
		t.Fatal(err)
	}
	expect("admitted", map[time.Time][2]int{
		d(2019, 1, 1): {1, 0}, d(2020, 5, 1): {2, 0}, d(2023, 2, 1): {2, 1}, d(2024, 3, 9): {2, 1}, d(2024, 3, 10): {3, 1}, d(2024, 9, 1): {3, 1},
	})

	ms, err := st.Memberships(ctx, p3.ID)
	if err != nil || len(ms) != 1 {
		t.Fatal(ms, err)
	}
	ms[0].EndDate = dp(2024, 9, 1)
	if err := st.UpdateMembership(ctx, ms[0]); err != nil {
		t.Fatal(err)
	}
	if err := st.SetStage(ctx, p3.ID, domain.StageStruckOff, time.Now()); err != nil {
		t.Fatal(err)
	}
	expect("a membership ended", map[time.Time][2]int{d(2023, 1, 31): {2, 0}, d(2024, 8, 31): {3, 1}, d(2024, 9, 1): {3, 0}})

	// p4 moves to v2: the villages' members are counted where people live now
	p4, _, err = st.GetPerson(ctx, p4.ID)
	if err != nil {
		t.Fatal(err)
	}
	p4.ResidenceID = v2
	if err := st.UpdatePerson(ctx, p4, time.Now()); err != nil {
		t.Fatal(err)
	}
	expect("moved house", map[time.Time][2]int{d(2020, 5, 1): {1, 1}, d(2024, 3, 10): {2, 2}, d(2024, 9, 1): {2, 1}})

	// a bulk load: an official member of v1 admitted 1/6/2024
	next, err := st.BulkNextIDs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p5 := newPerson(cb.ID, "Trần Văn Năm", "")
	p5.ID, p5.Stage, p5.ResidenceID = next["people"], domain.StageOfficial, v1
	if err := st.BulkPeople(ctx, []domain.Person{*p5}, time.Now()); err != nil {
		t.Fatal(err)
	}
	expect("recorded in bulk", map[time.Time][2]int{d(2000, 1, 1): {2, 0}, d(2024, 3, 10): {3, 2}})
	if err := st.BulkMemberships(ctx, []domain.Membership{{ID: next["memberships"], PersonID: p5.ID, DecisionNo: "QĐ 5", DecisionDate: d(2024, 6, 1),
		AdmittedOrgID: cb.ID, Status: domain.StageOfficial}}); err != nil {
		t.Fatal(err)
	}
	expect("admitted in bulk", map[time.Time][2]int{d(2000, 1, 1): {1, 0}, d(2024, 5, 31): {2, 2}, d(2024, 6, 1): {3, 2}, d(2026, 1, 1): {3, 1}})

	// what was kept is what a rebuild computes
	kept, err := st.ResidenceMemberRows(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.RebuildAdmissionCounts(ctx, nil); err != nil {
		t.Fatal(err)
	}
	rebuilt, err := st.ResidenceMemberRows(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(kept, rebuilt) || len(kept) == 0 {
		t.Errorf("kept %q, rebuilt %q", kept, rebuilt)
	}
}
