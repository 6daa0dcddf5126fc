package store

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"ketnap/internal/domain"
)

// DOMAIN §3: "CCCD: 12 digits, unique when present".
func TestDuplicateCCCD(t *testing.T) {
	st, ctx := openTest(t)
	o := mkOrg(t, st, "cb", 0)
	mkPerson(t, st, o.ID, "Nguyễn Văn An", "066090000123")
	before := countRows(t, st, "people")

	p := newPerson(o.ID, "Trần Văn Bình", "066090000123")
	err := st.CreatePerson(ctx, p, time.Now())
	e := wantCode(t, err, domain.EConflict)
	if !strings.Contains(e.Message, "CCCD") || e.Field != "cccd" {
		t.Errorf("conflict %q field %q; want a message about the CCCD, field cccd", e.Message, e.Field)
	}
	// The message must not reveal the full number (DOMAIN §3: masked in lists).
	if strings.Contains(e.Message, "066090000123") {
		t.Errorf("message %q reveals the full CCCD", e.Message)
	}
	if n := countRows(t, st, "people"); n != before {
		t.Errorf("people %d → %d after a refused insert", before, n)
	}

	// "unique when present": any number of people without a CCCD.
	mkPerson(t, st, o.ID, "Lê Văn Cường", "")
	mkPerson(t, st, o.ID, "Lê Văn Dũng", "")

	// Changing someone's CCCD to a taken one is refused the same way.
	other := mkPerson(t, st, o.ID, "Phạm Thị Em", "066190000456")
	other.CCCD = "066090000123"
	err = st.UpdatePerson(ctx, other, time.Now())
	e = wantCode(t, err, domain.EConflict)
	if !strings.Contains(e.Message, "CCCD") {
		t.Errorf("update conflict %q should be about the CCCD", e.Message)
	}
	got, _, _ := st.GetPerson(ctx, other.ID)
	if got.CCCD != "066190000456" {
		t.Errorf("CCCD after refused update = %q", got.CCCD)
	}
}

// Optimistic locking on people, as on organizations.
func TestUpdatePersonOptimisticLocking(t *testing.T) {
	st, ctx := openTest(t)
	o := mkOrg(t, st, "cb", 0)
	p := mkPerson(t, st, o.ID, "Nguyễn Văn An", "")
	a, _, err := st.GetPerson(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	b, _, _ := st.GetPerson(ctx, p.ID)
	a.Workplace = "Trường THPT Lê Hồng Phong"
	if err := st.UpdatePerson(ctx, a, time.Now()); err != nil {
		t.Fatal(err)
	}
	b.Workplace = "Hợp tác xã Ea Kly"
	wantCode(t, st.UpdatePerson(ctx, b, time.Now()), domain.EConflict)
	got, path, _ := st.GetPerson(ctx, p.ID)
	if got.Workplace != "Trường THPT Lê Hồng Phong" || got.Version != 2 {
		t.Errorf("stored %q v%d; want the first edit, v2", got.Workplace, got.Version)
	}
	if path != o.Path {
		t.Errorf("GetPerson path = %q; want %q", path, o.Path)
	}
	// SetStage bumps the version too, so an edit made before it conflicts.
	if err := st.SetStage(ctx, p.ID, domain.StageCandidate, time.Now()); err != nil {
		t.Fatal(err)
	}
	got.Workplace = "x"
	wantCode(t, st.UpdatePerson(ctx, got, time.Now()), domain.EConflict)
	_, _, err = st.GetPerson(ctx, 9999)
	wantCode(t, err, domain.ENotFound)
}

// DOMAIN §3: "search ignores diacritics and treats đ as d".
func TestListPeopleSearch(t *testing.T) {
	st, ctx := openTest(t)
	o := mkOrg(t, st, "cb", 0)
	mkPerson(t, st, o.ID, "NGUYỄN VĂN ĐỨC", "066090000123")
	mkPerson(t, st, o.ID, "Đặng Thị Ánh", "066195000777")
	mkPerson(t, st, o.ID, "Dương Văn A", "")
	mkPerson(t, st, o.ID, "Nguyễn Văn Dực", "")
	mkPerson(t, st, o.ID, "Hoàng 100% Thật_Lạ", "")

	search := func(q string) []string {
		t.Helper()
		ps, total, err := st.ListPeople(ctx, PersonFilter{Path: o.Path, Query: q})
		if err != nil {
			t.Fatal(err)
		}
		if total != len(ps) {
			t.Errorf("search %q: total %d, page %d", q, total, len(ps))
		}
		got := names(ps)
		slices.Sort(got)
		return got
	}
	tests := []struct {
		q    string
		want []string
	}{
		// Folding: no diacritics, đ → d, any case; both Đức and Dực fold to "duc".
		{"nguyen van duc", []string{"NGUYỄN VĂN ĐỨC", "Nguyễn Văn Dực"}},
		{"NGUYỄN VĂN ĐỨC", []string{"NGUYỄN VĂN ĐỨC", "Nguyễn Văn Dực"}},
		{"dang", []string{"Đặng Thị Ánh"}}, // not Dương ("duong")
		{"  ĐẶNG  ", []string{"Đặng Thị Ánh"}},
		{"duong", []string{"Dương Văn A"}},
		{"thi anh", []string{"Đặng Thị Ánh"}},
		// Digits search the CCCD.
		{"195000", []string{"Đặng Thị Ánh"}},
		{"066", []string{"NGUYỄN VĂN ĐỨC", "Đặng Thị Ánh"}},
		{"000123", []string{"NGUYỄN VĂN ĐỨC"}},
		// LIKE wildcards in the query are literal characters.
		{"%", []string{"Hoàng 100% Thật_Lạ"}},
		{"_", []string{"Hoàng 100% Thật_Lạ"}},
		{"xyz", nil},
	}
	for _, tc := range tests {
		want := slices.Clone(tc.want)
		slices.Sort(want)
		if got := search(tc.q); !slices.Equal(got, want) {
			t.Errorf("search %q = %q; want %q", tc.q, got, want)
		}
	}
	// Stored fold and sort key.
	ps, _, _ := st.ListPeople(ctx, PersonFilter{Path: o.Path, Query: "dang"})
	if len(ps) == 1 && ps[0].NameFold != "dang thi anh" {
		t.Errorf("name_fold = %q; want %q", ps[0].NameFold, "dang thi anh")
	}
}

// DOMAIN §3: "Names sort the Vietnamese way: by given name (last word), then
// the rest, with Vietnamese collation" — a < ă < â, d < đ < e; tones are a
// secondary difference.
func TestListPeopleNameOrderAndPages(t *testing.T) {
	st, ctx := openTest(t)
	o := mkOrg(t, st, "cb", 0)
	// Inserted in a scrambled order; ids do not follow the expected order.
	for _, n := range []string{"Hoàng Em", "Phạm Bình", "Lê Văn Đạt", "Nguyễn Ân", "Trần Văn An",
		"Trần Dũng", "Lê Thị Ánh", "Đỗ An", "Dương Văn An"} {
		mkPerson(t, st, o.ID, n, "")
	}
	// By hand:
	//   given "An" ×3, then by the rest: "Dương Văn" < "Đỗ" (d < đ) < "Trần Văn";
	//   "An" < "Ánh" (a-n is a prefix of a-n-h; the tone only breaks ties);
	//   "Ánh" < "Ân" (a < â at the primary level, whatever follows);
	//   then Bình, Dũng, Đạt (d < đ), Em (đ < e).
	// Byte order would put Ân after Bình and Đạt after Em.
	want := []string{"Dương Văn An", "Đỗ An", "Trần Văn An", "Lê Thị Ánh", "Nguyễn Ân",
		"Phạm Bình", "Trần Dũng", "Lê Văn Đạt", "Hoàng Em"}

	all, total, err := st.ListPeople(ctx, PersonFilter{Path: o.Path})
	if err != nil {
		t.Fatal(err)
	}
	if total != 9 || !slices.Equal(names(all), want) {
		t.Errorf("order = %q (total %d)\nwant    %q", names(all), total, want)
	}
	// Pages of 4: 4 + 4 + 1, the total always 9, the pages in order.
	var paged []string
	for off, wantLen := range map[int]int{0: 4, 4: 4, 8: 1, 12: 0} {
		ps, total, err := st.ListPeople(ctx, PersonFilter{Path: o.Path, Limit: 4, Offset: off})
		if err != nil {
			t.Fatal(err)
		}
		if total != 9 || len(ps) != wantLen {
			t.Errorf("offset %d: %d rows, total %d; want %d, 9", off, len(ps), total, wantLen)
		}
		if end := min(off+4, 9); off < 9 && !slices.Equal(names(ps), want[off:end]) {
			t.Errorf("offset %d = %q; want %q", off, names(ps), want[off:end])
		}
		paged = append(paged, names(ps)...)
	}
	if len(paged) != 9 {
		t.Errorf("pages together hold %d people; want 9", len(paged))
	}
	// Filter and search counts agree with the page.
	ps, total, err := st.ListPeople(ctx, PersonFilter{Path: o.Path, Query: "van", Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	// Folded names containing "van": dương văn an, trần văn an, lê văn đạt.
	if total != 3 || !slices.Equal(names(ps), []string{"Dương Văn An", "Trần Văn An"}) {
		t.Errorf("search 'van' page 1 = %q, total %d; want [Dương Văn An, Trần Văn An], 3", names(ps), total)
	}
}

func TestListPeopleFilters(t *testing.T) {
	st, ctx := openTest(t)
	root := mkOrg(t, st, "root", 0)
	ch := mkOrg(t, st, "ch", root.ID)
	a := mkPerson(t, st, root.ID, "Nguyễn Văn An", "")
	b := mkPerson(t, st, ch.ID, "Nguyễn Văn Bình", "")
	mkPerson(t, st, ch.ID, "Nguyễn Văn Cường", "")
	if err := st.SetStage(ctx, b.ID, domain.StageOfficial, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := st.SetStage(ctx, a.ID, domain.StageProbationary, time.Now()); err != nil {
		t.Fatal(err)
	}
	check := func(f PersonFilter, want ...string) {
		t.Helper()
		ps, total, err := st.ListPeople(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if total != len(want) || !slices.Equal(names(ps), want) {
			t.Errorf("%+v = %q (total %d); want %q", f, names(ps), total, want)
		}
	}
	check(PersonFilter{Path: root.Path}, "Nguyễn Văn An", "Nguyễn Văn Bình", "Nguyễn Văn Cường")
	check(PersonFilter{Path: root.Path, OrgID: root.ID}, "Nguyễn Văn An")
	check(PersonFilter{Path: ch.Path}, "Nguyễn Văn Bình", "Nguyễn Văn Cường")
	check(PersonFilter{Path: root.Path, Stages: []string{domain.StageOfficial, domain.StageProbationary}}, "Nguyễn Văn An", "Nguyễn Văn Bình")
	check(PersonFilter{Path: ch.Path, Stages: []string{domain.StageOfficial}}, "Nguyễn Văn Bình")
	if n, err := st.CountMembers(ctx, root.Path); err != nil || n != 2 {
		t.Errorf("CountMembers(root) = %d, %v; want 2", n, err)
	}
	if n, err := st.CountMembers(ctx, ch.Path); err != nil || n != 1 {
		t.Errorf("CountMembers(ch) = %d, %v; want 1", n, err)
	}
}

// The fields of a person survive the round trip through the store.
func TestPersonRoundTrip(t *testing.T) {
	st, ctx := openTest(t)
	o := mkOrg(t, st, "cb", 0)
	p := newPerson(o.ID, "H' Hen Niê", "066195000001")
	p.BirthDate, p.Sex, p.Ethnicity, p.Religion = d(1995, 2, 28), domain.Female, "12", "protestant"
	p.Workplace, p.YouthUnion, p.TradeUnion, p.Occupation = "Buôn Ea Kly", true, false, "farmer"
	if err := st.CreatePerson(ctx, p, time.Now()); err != nil {
		t.Fatal(err)
	}
	got, _, err := st.GetPerson(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.BirthDate.Equal(p.BirthDate) {
		t.Errorf("birth date %v; want %v", got.BirthDate, p.BirthDate)
	}
	got.BirthDate = p.BirthDate
	if want := *p; *got != want {
		t.Errorf("round trip:\n got %+v\nwant %+v", *got, want)
	}
}

// A name search over a scope of many organizations finds the same people,
// in the same order, with the same total as over a small one, and keeps
// to the scope.
func TestSearchOverALargeScope(t *testing.T) {
	st, ctx := openTest(t)
	root := mkOrg(t, st, "tinh", 0)
	a := mkOrg(t, st, "huyen-a", root.ID)
	b := mkOrg(t, st, "huyen-b", root.ID)
	var last *domain.Org
	for i := range 305 {
		last = mkOrg(t, st, fmt.Sprintf("a-cb%d", i), a.ID)
	}
	mkPerson(t, st, last.ID, "Nguyễn Văn Đức", "")
	mkPerson(t, st, last.ID, "Trần Đức Anh", "")
	mkPerson(t, st, b.ID, "Lê Văn Đức", "")
	mkPerson(t, st, last.ID, "Phạm Thị Hoa", "")
	for _, c := range []struct {
		path string
		want []string
	}{
		{root.Path, []string{"Trần Đức Anh", "Lê Văn Đức", "Nguyễn Văn Đức"}}, // large: scanned
		{a.Path, []string{"Trần Đức Anh", "Nguyễn Văn Đức"}},                  // large: scanned, huyen-b left out
		{last.Path, []string{"Trần Đức Anh", "Nguyễn Văn Đức"}},               // one chapter: seeks
		{b.Path, []string{"Lê Văn Đức"}},
	} {
		ps, total, err := st.ListPeople(ctx, PersonFilter{Path: c.path, Query: "duc", Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		if total != len(c.want) || len(ps) != min(2, len(c.want)) || fmt.Sprint(names(ps)) != fmt.Sprint(c.want[:len(ps)]) {
			t.Errorf("%s: %v of %d; want %v", c.path, names(ps), total, c.want)
		}
	}
}
