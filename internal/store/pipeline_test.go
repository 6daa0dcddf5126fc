package store

import (
	"fmt"
	"maps"
	"testing"
	"time"

	"ketnap/internal/domain"
)

// DOMAIN §4: the projection adds "the pipeline that is already past the
// chapter vote": the cases whose chapter resolution passed on or before
// the as-of date and that are neither decided nor closed then. A case
// that failed a vote waits for the deciding body's conclusion (HD06 §5.1):
// it is not past the vote. Each case counts at the unit it belonged to on
// the date (before a later transfer). The counts kept per unit
// (pipeline_counts) give the same, rolled up the tree.
func TestPipelineCounts(t *testing.T) {
	st, ctx := openTest(t)
	root := mkOrg(t, st, "huyen", 0)
	a := mkOrg(t, st, "cb-a", root.ID)
	b := mkOrg(t, st, "cb-b", root.ID)
	other := mkOrg(t, st, "tinh-khac", 0)
	seq := 0
	// mk opens a case at org on 1/9/2023 with its admission votes (level,
	// date, passed), then its decision and closing dates when given; its
	// stage is the last vote's (a failed one included: the deciding body
	// concludes), else the dossier.
	type vote struct {
		level  string
		date   time.Time
		passed bool
	}
	mk := func(org int64, votes []vote, decided, closed *time.Time) *domain.Case {
		t.Helper()
		seq++
		p := mkPerson(t, st, org, fmt.Sprintf("Lê Văn Số%d", seq), "")
		stage := domain.CaseDossier
		for _, v := range votes {
			stage = map[string]string{domain.LevelChapter: domain.CaseChapterVoted, domain.LevelCommittee: domain.CaseCommitteeVoted}[v.level]
		}
		if decided != nil {
			stage = domain.CaseProbation
		}
		if closed != nil {
			stage = domain.CaseWithdrawn
		}
		c := &domain.Case{PersonID: p.ID, OrgID: org, Kind: domain.CaseFirst, Stage: stage,
			StageBefore: domain.StageSource, OpenedOn: d(2023, 9, 1), DecisionDate: decided, ClosedOn: closed}
		if err := st.CreateCase(ctx, c, time.Now()); err != nil {
			t.Fatal(err)
		}
		for _, v := range votes {
			if err := st.AddVote(ctx, &domain.CaseVote{CaseID: c.ID, Purpose: domain.PurposeAdmission, Level: v.level, Date: v.date,
				Members: 9, Present: 9, Yes: 9, Passed: v.passed, RulesID: "2021"}); err != nil {
				t.Fatal(err)
			}
		}
		return c
	}
	chapter := func(date time.Time) vote { return vote{domain.LevelChapter, date, true} }
	// 1: chapter voted 15/11, still waiting: past the vote from 15/11.
	mk(a.ID, []vote{chapter(d(2023, 11, 15))}, nil, nil)
	// 2: chapter 15/11, committee 5/12, decided 10/1/2024: past the vote 15/11 … 9/1.
	mk(a.ID, []vote{chapter(d(2023, 11, 15)), {domain.LevelCommittee, d(2023, 12, 5), true}}, dp(2024, 1, 10), nil)
	// 3: chapter vote failed 20/11 (the deciding body concludes): never past the vote.
	mk(a.ID, []vote{{domain.LevelChapter, d(2023, 11, 20), false}}, nil, nil)
	// 4: chapter passed 15/11, the committee voted against on 5/12: past
	// the vote until 4/12, then waiting for the deciding body.
	mk(b.ID, []vote{chapter(d(2023, 11, 15)), {domain.LevelCommittee, d(2023, 12, 5), false}}, nil, nil)
	// 5: chapter passed 15/11, withdrawn 1/2/2024: past the vote until 31/1.
	mk(b.ID, []vote{chapter(d(2023, 11, 15))}, nil, dp(2024, 2, 1))
	// 6: in the dossier, no vote: never.
	mk(b.ID, nil, nil, nil)
	// 7: chapter passed 15/11 at b, moved to a on 1/3/2024: at b before, at a from then.
	moved := mk(b.ID, []vote{chapter(d(2023, 11, 15))}, nil, nil)
	if err := st.AddTransfer(ctx, &domain.CaseTransfer{CaseID: moved.ID, FromOrgID: b.ID, ToOrgID: a.ID, Date: d(2024, 3, 1),
		Stage: domain.CaseChapterVoted}); err != nil {
		t.Fatal(err)
	}
	moved.OrgID = a.ID
	if err := st.UpdateCase(ctx, moved, "Số7", time.Now()); err != nil {
		t.Fatal(err)
	}
	// 8: outside the subtree.
	mk(other.ID, []vote{chapter(d(2023, 11, 15))}, nil, nil)

	for _, tc := range []struct {
		asof time.Time
		want map[int64]int
	}{
		{d(2023, 11, 14), map[int64]int{}},
		{d(2023, 11, 15), map[int64]int{a.ID: 2, b.ID: 3}}, // 1, 2 | 4, 5, 7
		{d(2023, 12, 5), map[int64]int{a.ID: 2, b.ID: 2}},  // 4 failed at the committee
		{d(2024, 1, 10), map[int64]int{a.ID: 1, b.ID: 2}},  // 2 decided
		{d(2024, 2, 1), map[int64]int{a.ID: 1, b.ID: 1}},   // 5 withdrawn
		{d(2024, 3, 1), map[int64]int{a.ID: 2}},            // 7 moved to a
		{d(2024, 12, 31), map[int64]int{a.ID: 2}},          // today's figure: 1 and 7
	} {
		got, err := st.PipelineCounts(ctx, root.Path, tc.asof)
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(got, tc.want) {
			t.Errorf("as of %s: %v; want %v", tc.asof.Format(domain.DateLayout), got, tc.want)
		}
		// the same from the counts kept per unit, rolled up the tree
		counted, err := st.PipelineTotals(ctx, []int64{root.ID, a.ID, b.ID, other.ID}, tc.asof, tc.asof)
		if err != nil {
			t.Fatal(err)
		}
		want := maps.Clone(tc.want)
		if n := tc.want[a.ID] + tc.want[b.ID]; n > 0 {
			want[root.ID] = n
		}
		if tc.asof.After(d(2023, 11, 14)) {
			want[other.ID] = 1
		}
		if !maps.Equal(counted, want) {
			t.Errorf("as of %s from the counts: %v; want %v", tc.asof.Format(domain.DateLayout), counted, want)
		}
	}
	if got, err := st.PipelineCounts(ctx, a.Path, d(2024, 2, 1)); err != nil || !maps.Equal(got, map[int64]int{a.ID: 1}) {
		t.Errorf("under cb-a as of 1/2/2024: %v, %v; want only case 1", got, err)
	}
	if got, err := st.PipelineCounts(ctx, "/", d(2024, 12, 31)); err != nil || !maps.Equal(got, map[int64]int{a.ID: 2, other.ID: 1}) {
		t.Errorf("the whole system: %v, %v; want cb-a 2, the other province 1", got, err)
	}
}
