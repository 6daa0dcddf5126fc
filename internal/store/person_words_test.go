package store

import (
	"fmt"
	"slices"
	"testing"

	"ketnap/internal/domain"
	"ketnap/internal/vn"
)

// Issue 15, item 3: each query word matches the start of a name word,
// whatever the diacritics; a rename moves the person to the new words;
// the order is the Vietnamese one.
func TestNameSearchByWordPrefix(t *testing.T) {
	st, ctx := openTest(t)
	o := mkOrg(t, st, "cb", 0)
	mkPerson(t, st, o.ID, "Nguyễn Văn Đức", "")
	mkPerson(t, st, o.ID, "Nguyễn Thị Ánh", "")
	mkPerson(t, st, o.ID, "Ngô Văn An", "")
	mkPerson(t, st, o.ID, "H' Hen Niê", "")
	mkPerson(t, st, o.ID, "Y Ngông Niê Kdăm", "")
	renamed := mkPerson(t, st, o.ID, "Trần Văn Bình", "")

	search := func(q string) []string {
		t.Helper()
		ps, total, err := st.ListPeople(ctx, PersonFilter{Path: o.Path, Query: q})
		if err != nil {
			t.Fatal(err)
		}
		if total != len(ps) {
			t.Errorf("search %q: total %d, page %d", q, total, len(ps))
		}
		return names(ps)
	}
	for _, tc := range []struct {
		q    string
		want []string // in name order
	}{
		{"ngu", []string{"Nguyễn Thị Ánh", "Nguyễn Văn Đức"}},
		{"ng", []string{"Ngô Văn An", "Nguyễn Thị Ánh", "Nguyễn Văn Đức", "Y Ngông Niê Kdăm"}},
		{"nguyen a", []string{"Nguyễn Thị Ánh"}},
		{"van", []string{"Ngô Văn An", "Trần Văn Bình", "Nguyễn Văn Đức"}}, // by given name
		{"VĂN Đ", []string{"Nguyễn Văn Đức"}},
		{"guyen", []string{}}, // a word's start, not its middle
		{"hen", []string{"H' Hen Niê"}},
		{"nie", []string{"Y Ngông Niê Kdăm", "H' Hen Niê"}}, // Kdăm < Niê
		{"kdam", []string{"Y Ngông Niê Kdăm"}},
		{"binh", []string{"Trần Văn Bình"}},
	} {
		if got := search(tc.q); !slices.Equal(got, tc.want) {
			t.Errorf("search %q = %q; want %q", tc.q, got, tc.want)
		}
	}
	renamed.FullName = "Trần Văn Bảo"
	if err := st.UpdatePerson(ctx, renamed, renamed.BirthDate); err != nil {
		t.Fatal(err)
	}
	if got := search("binh"); len(got) != 0 {
		t.Errorf("after the rename, binh finds %q", got)
	}
	if got := search("bao"); !slices.Equal(got, []string{"Trần Văn Bảo"}) {
		t.Errorf("after the rename, bao finds %q", got)
	}
}

// The list pages by key: walking it with the cursor gives the same rows
// as the whole list, in order, each once; the count stops past CountCap.
func TestPeopleKeysetPagingAndCountCap(t *testing.T) {
	st, ctx := openTest(t)
	o := mkOrg(t, st, "cb", 0)
	given := []string{"An", "Ánh", "Ân", "Bình", "Đức", "Dũng", "Hà", "Ơn"}
	err := st.Tx(ctx, func(tx *Store) error {
		for i := range 40 {
			p := newPerson(o.ID, fmt.Sprintf("Nguyễn Văn %s", given[i%len(given)]), "")
			if err := tx.CreatePerson(ctx, p, p.BirthDate); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	all, total, err := st.ListPeople(ctx, PersonFilter{Path: o.Path, Limit: 100})
	if err != nil || total != 40 || len(all) != 40 {
		t.Fatalf("whole list: %d of %d, %v", len(all), total, err)
	}
	want := names(all)
	if !slices.IsSortedFunc(want, vn.CompareNames) {
		t.Fatalf("not in Vietnamese name order: %q", want)
	}
	var walked []*domain.Person
	f := PersonFilter{Path: o.Path, Limit: 7, Query: "nguyen"}
	for range 10 {
		ps, _, err := st.ListPeople(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		walked = append(walked, ps...)
		if len(ps) < f.Limit {
			break
		}
		last := ps[len(ps)-1]
		f.After = &PersonCursor{Key: last.NameKey, ID: last.ID}
	}
	if got := names(walked); !slices.Equal(got, want) {
		t.Errorf("walked by key:\n%q\nwant\n%q", got, want)
	}
	for i := 1; i < len(walked); i++ {
		if walked[i].ID == walked[i-1].ID {
			t.Errorf("person %d twice", walked[i].ID)
		}
	}
}

// People stored before the words existed get them at open.
func TestPersonWordsFilledAtOpen(t *testing.T) {
	st, ctx := openTest(t)
	o := mkOrg(t, st, "cb", 0)
	mkPerson(t, st, o.ID, "Lê Thị Hoa", "")
	if _, err := st.q.ExecContext(ctx, `DELETE FROM person_words`); err != nil {
		t.Fatal(err)
	}
	if err := st.SetMeta(ctx, metaPersonWords, ""); err != nil {
		t.Fatal(err)
	}
	if ps, _, _ := st.ListPeople(ctx, PersonFilter{Path: o.Path, Query: "hoa"}); len(ps) != 0 {
		t.Fatalf("without words the search found %q", names(ps))
	}
	if err := st.fillPersonWords(ctx); err != nil {
		t.Fatal(err)
	}
	if ps, _, _ := st.ListPeople(ctx, PersonFilter{Path: o.Path, Query: "hoa"}); !slices.Equal(names(ps), []string{"Lê Thị Hoa"}) {
		t.Errorf("after the fill: %q", names(ps))
	}
}
