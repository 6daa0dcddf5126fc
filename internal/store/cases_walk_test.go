package store

import (
	"context"
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
	st, ctx, root, chapters, _ := walkWorld(t)
	compared := 0
	for _, f := range []CaseFilter{
		{Path: "/", Open: true, Today: d(2025, 1, 1)},
		{Path: root.Path, Today: d(2025, 1, 1)},
		{Path: root.Path, Open: true, Stages: []string{domain.CaseDossier}, Today: d(2025, 1, 1)},
		{Path: root.Path, Query: "nguyen thi", Today: d(2025, 1, 1)},
		{Path: chapters[2].Path[:len(chapters[2].Path)-len(fmt.Sprint(chapters[2].ID))-1], Open: true, Today: d(2025, 1, 1)},
		{Path: root.Path, Open: true, Past: true, Today: d(2024, 6, 1)},
	} {
		for _, page := range []struct{ limit, offset int }{{50, 0}, {50, 450}, {7, 693}, {500, 0}, {50, 1100}} {
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
	if compared < 1000 {
		t.Fatalf("compared only %d rows", compared)
	}
}

// The to-do list of a large scope walks the deadlines a range of due dates
// at a time (walkTodo); its pages are those of the list gathered and
// sorted at once, across the ranges' ends and among deadlines due the
// same day.
func TestTodoWalksByDueDate(t *testing.T) {
	st, ctx, root, chapters, cases := walkWorld(t)
	if err := st.DeferFunnel(ctx); err != nil { // the list reads none of the counts
		t.Fatal(err)
	}
	err := st.Tx(ctx, func(tx *Store) error {
		for i := range cases {
			c := &cases[i]
			list := []domain.CaseDeadline{{Kind: domain.DeadlineDossierLapse, Due: d(2024, 9, 1).AddDate(0, 0, i%40), Owner: "chapter", Label: "hạn"}}
			if i%4 == 0 {
				list = append(list, domain.CaseDeadline{Kind: domain.DeadlineVerification, Due: d(2024, 8, 1).AddDate(0, 0, i%90), Owner: "verifier", Label: "thẩm tra"})
			}
			if err := tx.SetCaseDeadlines(ctx, c, list, d(2024, 1, 1).AddDate(0, 0, i%150)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	compared := 0
	for _, f := range []TodoFilter{
		{Path: "/", Today: d(2024, 10, 1), Until: d(2024, 10, 31)},
		{Path: root.Path, Today: d(2024, 10, 1), Until: d(2024, 10, 31), Kinds: []string{domain.DeadlineVerification}},
		{Path: chapters[1].Path[:len(chapters[1].Path)-len(fmt.Sprint(chapters[1].ID))-1], Today: d(2024, 9, 20), Until: d(2024, 10, 20)},
		{Path: root.Path, Today: d(2024, 9, 10), Overdue: true},
	} {
		for _, page := range []struct{ limit, offset int }{{50, 0}, {50, 450}, {7, 693}, {500, 1000}, {50, 1400}} {
			f.Limit, f.Offset = page.limit, page.offset
			walked, n1, err := st.Todo(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			sf := f
			sf.Sorted = true
			sorted, n2, err := st.Todo(ctx, sf)
			if err != nil {
				t.Fatal(err)
			}
			keys := func(rows []domain.TodoRow) []string {
				var out []string
				for _, r := range rows {
					out = append(out, fmt.Sprintf("%d/%s/%s", r.CaseID, r.Kind, r.Due.Format(domain.DateLayout)))
				}
				return out
			}
			if n1 != n2 || !slices.Equal(keys(walked), keys(sorted)) {
				t.Fatalf("%+v: walked %d of %d %v, sorted %d of %d %v", f, len(walked), n1, keys(walked), len(sorted), n2, keys(sorted))
			}
			compared += len(walked)
		}
	}
	if compared < 500 {
		t.Fatalf("compared only %d rows", compared)
	}
}

// walkWorld is a district of two communes of two chapters with 1.200
// people, many of them namesakes, each with a case (some closed).
// Every large scope walks, in small steps.
func walkWorld(t *testing.T) (*Store, context.Context, *domain.Org, []*domain.Org, []domain.Case) {
	past, spread, first := walkPast, walkSpread, walkFirst
	t.Cleanup(func() { walkPast, walkSpread, walkFirst = past, spread, first })
	walkPast, walkSpread, walkFirst = 0, 0, 7
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
	for i := range 1200 {
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
	return st, ctx, root, chapters, cases
}
