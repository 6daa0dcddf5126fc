package store

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"ketnap/internal/domain"
)

// A large scope's case list walks the people in name order, a range of
// them at a time (walkCases); its pages are those of the list gathered
// and sorted at once (CaseFilter.Sorted), whatever the filter, the page
// and the day, across the ranges' ends and among namesakes.
func TestCaseListWalksInNameOrder(t *testing.T) {
	st, ctx := openTest(t)
	root := mkOrg(t, st, "huyen", 0)
	var chapters []*domain.Org
	for i := range 2 {
		xa := mkOrg(t, st, fmt.Sprint("xa-", i), root.ID)
		for j := range 2 {
			chapters = append(chapters, mkOrg(t, st, fmt.Sprintf("cb-%d-%d", i, j), xa.ID))
		}
	}
	next, err := st.BulkNextIDs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	families := []string{"Nguyễn", "Trần", "Lê", "Phạm", "Đỗ"}
	middles := []string{"Văn", "Thị", "Đức"}
	givens := []string{"An", "Ánh", "Bình", "Cường", "Dũng", "Hà", "Hoa", "Khoa", "Lan", "Ơn"}
	var people []domain.Person
	var cases []domain.Case
	for i := range 3000 {
		org := chapters[i%len(chapters)]
		p := newPerson(org.ID, fmt.Sprintf("%s %s %s", families[i%5], middles[i/5%3], givens[i/15%10]), "")
		p.ID = next["people"] + int64(i)
		people = append(people, *p)
		c := domain.Case{ID: next["cases"] + int64(len(cases)), PersonID: p.ID, OrgID: org.ID, Kind: domain.CaseFirst,
			Stage: []string{domain.CaseSource, domain.CaseDossier, domain.CaseChapterVoted}[i/7%3], StageBefore: domain.StageSource,
			OpenedOn: d(2024, 1, 1).AddDate(0, 0, i%300)}
		if i%7 == 0 {
			c.ClosedOn = dp(2024, 12, 1)
		}
		cases = append(cases, c)
	}
	if err := st.BulkPeople(ctx, people, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := st.BulkCases(ctx, cases, time.Now()); err != nil {
		t.Fatal(err)
	}
	defer func(n int) { walkPast = n }(walkPast)
	walkPast = 0 // every large scope walks
	compared := 0
	for _, f := range []CaseFilter{
		{Path: "/", Open: true, Today: d(2025, 1, 1)},
		{Path: root.Path, Today: d(2025, 1, 1)},
		{Path: root.Path, Open: true, Stages: []string{domain.CaseDossier}, Today: d(2025, 1, 1)},
		{Path: root.Path, Query: "nguyen thi", Today: d(2025, 1, 1)},
		{Path: chapters[2].Path[:len(chapters[2].Path)-len(fmt.Sprint(chapters[2].ID))-1], Open: true, Today: d(2025, 1, 1)},
		{Path: root.Path, Open: true, Past: true, Today: d(2024, 6, 1)},
	} {
		for _, page := range []struct{ limit, offset int }{{50, 0}, {50, 450}, {7, 693}, {500, 0}, {50, 5000}} {
			f.Limit, f.Offset = page.limit, page.offset
			walked, n1, err := st.ListCases(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			sf := f
			sf.Sorted = true
			sorted, n2, err := st.ListCases(ctx, sf)
			if err != nil {
				t.Fatal(err)
			}
			ids := func(rows []domain.CaseRow) []int64 {
				var out []int64
				for _, r := range rows {
					out = append(out, r.ID)
				}
				return out
			}
			if n1 != n2 || !slices.Equal(ids(walked), ids(sorted)) {
				t.Fatalf("%+v: walked %d of %d %v, sorted %d of %d %v", f, len(walked), n1, ids(walked), len(sorted), n2, ids(sorted))
			}
			compared += len(walked)
		}
	}
	if compared < 2000 {
		t.Fatalf("compared only %d rows", compared)
	}
}
