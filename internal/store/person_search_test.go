package store

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"ketnap/internal/domain"
	"ketnap/internal/vn"
)

// The name search's plans (a rare word read in full, common words walked
// in list order, a prefix of many words searched as a range) give what
// testing every person of the scope gives: the same people, in list
// order, counted exactly, page after page by key and by offset, with the
// stage, unit and non-word filters; and after people move (one by one and
// a whole unit's), are renamed and are added.
func TestNameSearchPlansAgreeWithEveryPerson(t *testing.T) {
	defer func(v, s, c int) { vocabMax, sampleSize, collectMax = v, s, c }(vocabMax, sampleSize, collectMax)
	vocabMax, sampleSize, collectMax = 6, 12, 15
	st, ctx := openTest(t)
	root := mkOrg(t, st, "tw", 0)
	var units []*domain.Org
	units = append(units, root)
	for p := range 2 {
		po := mkOrg(t, st, fmt.Sprintf("t%d", p), root.ID)
		units = append(units, po)
		for c := range 3 {
			co := mkOrg(t, st, fmt.Sprintf("t%d-x%d", p, c), po.ID)
			units = append(units, co)
			for h := range 2 {
				units = append(units, mkOrg(t, st, fmt.Sprintf("t%d-x%d-c%d", p, c, h), co.ID))
			}
		}
	}
	chapters := units[len(units)-1:]
	for _, u := range units {
		if strings.Count(u.Code, "-") == 2 {
			chapters = append(chapters, u)
		}
	}
	family := []string{"Nguyễn", "Nguyễn", "Nguyễn", "Ngô", "Trần", "Lê", "Hoàng", "Huỳnh", "Hồ", "Y", "H'"}
	middle := []string{"Văn", "Thị", "Thị", "Hữu", "Ngọc", "Thanh", "Thu"}
	given := []string{"An", "Anh", "Ánh", "Ân", "Hà", "Hạ", "Hải", "Hen", "Hoa", "Hòa", "Hùng", "Nga", "Ngân", "Thảo", "Thu", "Kdăm", "Niê-Ayun"}
	stages := []string{domain.StageSource, domain.StageProbationary, domain.StageOfficial}
	rng := rand.New(rand.NewPCG(15, 3))
	var people []*domain.Person
	err := st.Tx(ctx, func(tx *Store) error {
		for range 400 {
			name := family[rng.IntN(len(family))] + " " + middle[rng.IntN(len(middle))] + " " + given[rng.IntN(len(given))]
			p := newPerson(chapters[rng.IntN(len(chapters))].ID, name, "")
			p.Stage = stages[rng.IntN(len(stages))]
			if err := tx.CreatePerson(ctx, p, p.BirthDate); err != nil {
				return err
			}
			people = append(people, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	pathOf := map[int64]string{}
	for _, u := range units {
		pathOf[u.ID] = u.Path
	}
	// want is the search done by testing every person.
	want := func(f PersonFilter) []*domain.Person {
		var out []*domain.Person
		q := vn.Fold(f.Query)
		for _, p := range people {
			if !strings.HasPrefix(pathOf[p.OrgID], f.Path) || f.OrgID != 0 && p.OrgID != f.OrgID ||
				len(f.Stages) > 0 && !slices.Contains(f.Stages, p.Stage) {
				continue
			}
			ok := true
			for _, w := range strings.Fields(q) {
				if !plainWord(w) {
					ok = ok && strings.Contains(p.NameFold, w)
					continue
				}
				ok = ok && slices.ContainsFunc(nameWords(p.NameFold), func(nw string) bool { return strings.HasPrefix(nw, w) })
			}
			if ok {
				out = append(out, p)
			}
		}
		slices.SortFunc(out, func(a, b *domain.Person) int {
			return cmp.Or(strings.Compare(a.NameKey, b.NameKey), cmp.Compare(a.ID, b.ID))
		})
		return out
	}
	ids := func(ps []*domain.Person) []int64 {
		out := make([]int64, len(ps))
		for i, p := range ps {
			out[i] = p.ID
		}
		return out
	}
	check := func(f PersonFilter) {
		t.Helper()
		exp := ids(want(f))
		var byKey, byOffset []int64
		page := f
		page.Limit = 7
		for range 100 {
			ps, total, err := st.ListPeople(ctx, page)
			if err != nil {
				t.Fatalf("%+v: %v", page, err)
			}
			if total != len(exp) {
				t.Errorf("%q in %s (stages %v, unit %d): total %d, want %d", f.Query, f.Path, f.Stages, f.OrgID, total, len(exp))
			}
			byKey = append(byKey, ids(ps)...)
			if len(ps) < page.Limit {
				break
			}
			last := ps[len(ps)-1]
			page.After = &PersonCursor{Key: last.NameKey, ID: last.ID}
		}
		page = f
		page.Limit = 9
		for page.Offset = 0; page.Offset < 500; page.Offset += page.Limit {
			ps, _, err := st.ListPeople(ctx, page)
			if err != nil {
				t.Fatal(err)
			}
			byOffset = append(byOffset, ids(ps)...)
			if len(ps) < page.Limit {
				break
			}
		}
		if !slices.Equal(byKey, exp) || !slices.Equal(byOffset, exp) {
			t.Errorf("%q in %s (stages %v, unit %d):\nby key    %v\nby offset %v\nwant      %v", f.Query, f.Path, f.Stages, f.OrgID, byKey, byOffset, exp)
		}
	}
	queries := []string{"nguyen", "NGUYỄN THỊ", "thi nguyen", "nguyen van an", "ng", "h", "a", "n", "t",
		"hen", "h'", "niê-ayun", "ayun", "kdam", "hoa", "hòa thị", "nguyen ngo", "thi van", "xyz", "ng ng", "y ng", "ân"}
	scopes := []*domain.Org{root, units[1], units[2], units[3]}
	all := func() {
		t.Helper()
		for _, q := range queries {
			for _, u := range scopes {
				check(PersonFilter{Path: u.Path, Query: q})
			}
		}
		for _, q := range []string{"nguyen", "thi", "h", "nguyen thi hoa"} {
			check(PersonFilter{Path: root.Path, Query: q, Stages: []string{domain.StageOfficial}})
			check(PersonFilter{Path: chapters[0].Path, Query: q, OrgID: chapters[0].ID})
		}
	}
	all()

	// A person moves, another is renamed (same words, other key: Hoa →
	// Hòa), a third changes name; a whole chapter is given to another.
	moved, renamed, changed := people[0], people[1], people[2]
	moved.OrgID = chapters[len(chapters)-1].ID
	renamed.FullName = strings.Replace(renamed.FullName, renamed.FullName[strings.LastIndexByte(renamed.FullName, ' ')+1:], "Hòa", 1)
	changed.FullName = "Trần Văn Hoa"
	for _, p := range []*domain.Person{moved, renamed, changed} {
		if err := st.UpdatePerson(ctx, p, p.BirthDate); err != nil {
			t.Fatal(err)
		}
	}
	from, into := chapters[0], chapters[len(chapters)-1]
	if err := st.MoveHoldings(ctx, from.ID, into.ID, people[0].BirthDate, people[0].BirthDate); err != nil {
		t.Fatal(err)
	}
	for _, p := range people {
		if p.OrgID == from.ID {
			p.OrgID = into.ID
		}
	}
	all()
	check(PersonFilter{Path: into.Path, Query: "nguyen"})
	check(PersonFilter{Path: from.Path, Query: "nguyen"})

	// The counts kept for a data version are not those of the next: a
	// person added is counted by the list and by the searches.
	for _, q := range []string{"", "nguyen", "nguyen thi"} {
		check(PersonFilter{Path: root.Path, Query: q})
	}
	people = append(people, mkPerson(t, st, chapters[1].ID, "Nguyễn Thị Hoa", ""))
	for _, q := range []string{"", "nguyen", "nguyen thi"} {
		check(PersonFilter{Path: root.Path, Query: q})
		check(PersonFilter{Path: chapters[1].Path, Query: q})
	}
}
