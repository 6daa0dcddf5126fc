package store

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"ketnap/internal/domain"
)

// prefixTree builds a forest where ids share decimal prefixes across
// different parents, the trap of a naive LIKE '/1%' subtree query:
//
//	1 a            /1/
//	├── 2          /1/2/
//	│   └── 3…9    /1/2/3/ …
//	├── 13…19      /1/13/ …
//	├── 20…22      /1/20/ …   ("/1/2" is a string prefix of "/1/20/")
//	│   └── 23     /1/20/23/  (under 20)
//	10 b           /10/       ("/1" is a prefix of "/10/")
//	└── 11         /10/11/
//	12 c           /12/
func prefixTree(t *testing.T, st *Store) map[int64]*domain.Org {
	t.Helper()
	byID := map[int64]*domain.Org{}
	add := func(code string, parent, wantID int64) {
		o := mkOrg(t, st, code, parent)
		if o.ID != wantID {
			t.Fatalf("org %s got id %d; the test needs %d", code, o.ID, wantID)
		}
		byID[o.ID] = o
	}
	add("a", 0, 1)
	add("a-2", 1, 2)
	for id := int64(3); id <= 9; id++ {
		add(fmt.Sprintf("a-2-%d", id), 2, id)
	}
	add("b", 0, 10)
	add("b-11", 10, 11)
	add("c", 0, 12)
	for id := int64(13); id <= 22; id++ {
		add(fmt.Sprintf("a-%d", id), 1, id)
	}
	add("a-20-23", 20, 23)
	return byID
}

func TestOrgPaths(t *testing.T) {
	st, ctx := openTest(t)
	orgs := prefixTree(t, st)
	for id, want := range map[int64]string{1: "/1/", 2: "/1/2/", 5: "/1/2/5/", 10: "/10/", 11: "/10/11/", 12: "/12/", 20: "/1/20/", 23: "/1/20/23/"} {
		if got := orgs[id].Path; got != want {
			t.Errorf("org %d path (returned) = %q; want %q", id, got, want)
		}
		o, err := st.GetOrg(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if o.Path != want || o.Version != 1 {
			t.Errorf("org %d path (stored) = %q version %d; want %q, 1", id, o.Path, o.Version, want)
		}
	}
	if got := pathIDs("/1/20/23/"); !slices.Equal(got, []int64{1, 20, 23}) {
		t.Errorf("pathIDs = %v", got)
	}
	roots, err := st.Roots(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(roots); !slices.Equal(got, []int64{1, 10, 12}) {
		t.Errorf("roots = %v; want [1 10 12]", got)
	}
	if !orgs[1].Contains(orgs[23]) || orgs[2].Contains(orgs[20]) || orgs[1].Contains(orgs[10]) {
		t.Errorf("Contains disagrees with the tree")
	}
}

func TestSubtreeDoesNotLeakPrefixSiblings(t *testing.T) {
	st, ctx := openTest(t)
	prefixTree(t, st)
	span := func(from, to int64) []int64 {
		var out []int64
		for i := from; i <= to; i++ {
			out = append(out, i)
		}
		return out
	}
	tests := []struct {
		path string
		want []int64
	}{
		{"/1/", append(append(span(1, 9), span(13, 22)...), 23)},
		{"/1/2/", span(2, 9)},       // not 20, 21, 22, 23
		{"/1/20/", []int64{20, 23}}, // not 2…9
		{"/10/", []int64{10, 11}},   // not 1 nor anything under it
		{"/12/", []int64{12}},       // a lone root
		{"/", span(1, 23)},          // everything
		{"/1/2/5/", []int64{5}},     // a leaf
		{"/1/13/", []int64{13}},     // not 1/2… nor 1/20…
	}
	for _, tc := range tests {
		got, err := st.Subtree(ctx, tc.path, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		gotIDs := ids(got)
		slices.Sort(gotIDs)
		want := slices.Clone(tc.want)
		slices.Sort(want)
		if !slices.Equal(gotIDs, want) {
			t.Errorf("Subtree(%s) = %v; want %v", tc.path, gotIDs, want)
		}
		// Parents before children: the subtree's own root comes first and
		// every node's parent appears before it.
		if tc.path != "/" && (len(got) == 0 || got[0].Path != tc.path) {
			t.Errorf("Subtree(%s) does not start with its root", tc.path)
		}
		seen := map[int64]bool{}
		for _, o := range got {
			if o.Path != tc.path && tc.path != "/" && !seen[o.ParentID] {
				t.Errorf("Subtree(%s): %s before its parent", tc.path, o.Path)
			}
			seen[o.ID] = true
		}
	}

	// The same range scopes the other subtree queries: targets, admissions,
	// people and search.
	for _, id := range []int64{5, 20, 23, 11} {
		if err := st.SetTarget(ctx, &domain.Target{OrgID: id, Year: 2024, Kind: domain.TargetQuota, Value: int(id)}); err != nil {
			t.Fatal(err)
		}
		p := mkPerson(t, st, id, fmt.Sprintf("Nguyễn Văn Số%d", id), "")
		origin := domain.OriginCase
		if id == 23 || id == 11 {
			origin = "" // recorded from paper
		}
		admitFrom(t, st, p.ID, id, d(2024, 3, 1), origin)
	}
	tg, err := st.Targets(ctx, "/1/2/", 2024)
	if err != nil {
		t.Fatal(err)
	}
	if len(tg) != 1 || tg[0].OrgID != 5 {
		t.Errorf("Targets(/1/2/) = %v; want only org 5's", tg)
	}
	counts, recorded, err := st.AdmissionCounts(ctx, "/1/2/", d(2024, 1, 1), d(2024, 12, 31))
	if err != nil {
		t.Fatal(err)
	}
	if len(counts) != 1 || counts[5] != 1 || len(recorded) != 0 {
		t.Errorf("AdmissionCounts(/1/2/) = %v, recorded %v; want map[5:1], none recorded", counts, recorded)
	}
	counts, recorded, err = st.AdmissionCounts(ctx, "/1/", d(2024, 1, 1), d(2024, 12, 31))
	if err != nil {
		t.Fatal(err)
	}
	if len(counts) != 3 || counts[5] != 1 || counts[20] != 1 || counts[23] != 1 {
		t.Errorf("AdmissionCounts(/1/) = %v; want 5, 20, 23 (not 11 under /10/)", counts)
	}
	if len(recorded) != 1 || recorded[23] != 1 {
		t.Errorf("AdmissionCounts(/1/) recorded %v; want map[23:1] (the one recorded from paper)", recorded)
	}
	if counts, recorded, err = st.AdmissionCounts(ctx, "/", d(2024, 1, 1), d(2024, 12, 31)); err != nil ||
		len(counts) != 4 || len(recorded) != 2 || recorded[23] != 1 || recorded[11] != 1 {
		t.Errorf("AdmissionCounts(/) = %v, recorded %v, %v; want 4 units, 23 and 11 recorded", counts, recorded, err)
	}
	ppl, total, err := st.ListPeople(ctx, PersonFilter{Path: "/1/2/"})
	if err != nil {
		t.Fatal(err)
	}
	if total != 1 || len(ppl) != 1 || ppl[0].OrgID != 5 {
		t.Errorf("ListPeople(/1/2/) = %v (total %d); want only the person of org 5", names(ppl), total)
	}
	if n, err := st.CountMembers(ctx, "/1/"); err != nil || n != 0 {
		// Nobody's stage was changed to a member's by CreateMembership alone.
		t.Errorf("CountMembers(/1/) = %d, %v; want 0", n, err)
	}
	found, err := st.SearchOrgs(ctx, "/1/2/", "a-2", 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range found {
		if !strings.HasPrefix(o.Path, "/1/2/") {
			t.Errorf("SearchOrgs(/1/2/) leaked %s (%s)", o.Code, o.Path)
		}
	}
	if len(found) != 8 { // a-2 and a-2-3 … a-2-9
		t.Errorf("SearchOrgs(/1/2/, a-2) found %d; want 8", len(found))
	}
}

// DOMAIN §2: restructuring "closes old nodes and opens new ones"; the tree is
// counted "as it stood on the report date". ValidTo is the first day the
// node no longer exists.
func TestSubtreeAsOf(t *testing.T) {
	st, ctx := openTest(t)
	root := mkOrg(t, st, "root", 0)
	old := mkOrg(t, st, "old", root.ID, dp(2020, 1, 1), dp(2024, 4, 1))
	nw := mkOrg(t, st, "new", root.ID, dp(2024, 4, 1))
	late := mkOrg(t, st, "late", nw.ID, dp(2024, 7, 1))
	tests := []struct {
		asof time.Time
		want []int64
	}{
		{d(2019, 12, 31), nil}, // before the root opened
		{d(2020, 1, 1), []int64{root.ID, old.ID}},
		{d(2024, 3, 31), []int64{root.ID, old.ID}},              // old's last day; new not yet open
		{d(2024, 4, 1), []int64{root.ID, nw.ID}},                // old closed on its ValidTo
		{d(2024, 6, 30), []int64{root.ID, nw.ID}},               // late not yet open
		{d(2024, 7, 1), []int64{root.ID, nw.ID, late.ID}},       // late opens
		{time.Time{}, []int64{root.ID, old.ID, nw.ID, late.ID}}, // zero: all, whatever the dates
	}
	for _, tc := range tests {
		got, err := st.Subtree(ctx, root.Path, tc.asof)
		if err != nil {
			t.Fatal(err)
		}
		gotIDs := ids(got)
		slices.Sort(gotIDs)
		if !slices.Equal(gotIDs, tc.want) {
			t.Errorf("Subtree as of %s = %v; want %v", tc.asof.Format(domain.DateLayout), gotIDs, tc.want)
		}
	}
	kids, err := st.Children(ctx, root.ID, d(2024, 3, 31))
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(kids); !slices.Equal(got, []int64{old.ID}) {
		t.Errorf("Children as of 31/3/2024 = %v; want [old]", got)
	}
	kids, err = st.Children(ctx, root.ID, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(kids) != 2 {
		t.Errorf("Children (all) = %v; want old and new", ids(kids))
	}
	// The validity round-trips.
	got, err := st.GetOrg(ctx, old.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.ValidFrom.Equal(d(2020, 1, 1)) || got.ValidTo == nil || !got.ValidTo.Equal(d(2024, 4, 1)) {
		t.Errorf("old validity = %v – %v", got.ValidFrom, got.ValidTo)
	}
	if !got.OpenOn(d(2024, 3, 31)) || got.OpenOn(d(2024, 4, 1)) {
		t.Errorf("OpenOn disagrees with ValidTo being the first closed day")
	}
}

// DOMAIN §2 "Every node has a stable code": a duplicate is refused with a
// Vietnamese message naming the field, and nothing is written.
func TestDuplicateOrgCode(t *testing.T) {
	st, ctx := openTest(t)
	root := mkOrg(t, st, "krongpac", 0)
	mkOrg(t, st, "ea-kly", root.ID)
	before := countRows(t, st, "orgs")
	o := &domain.Org{Code: "ea-kly", Name: "Đảng bộ xã Ea Kly (bản sao)", Kind: domain.KindCommune, Sector: "commune",
		ParentID: root.ID, ValidFrom: d(2020, 1, 1)}
	err := st.CreateOrg(ctx, o)
	if err == nil {
		t.Fatal("duplicate code accepted")
	}
	code := domain.ErrorCode(err)
	if code != domain.EInvalid && code != domain.EConflict {
		t.Fatalf("code = %s (%v); want invalid or conflict", code, err)
	}
	msg := domain.ErrorMessage(err)
	if !strings.Contains(msg, "ea-kly") || !strings.Contains(msg, "Mã tổ chức") {
		t.Errorf("message %q should name the code in Vietnamese", msg)
	}
	if after := countRows(t, st, "orgs"); after != before {
		t.Errorf("orgs %d → %d after a refused insert", before, after)
	}
	// The temporary path of a refused insert does not linger either.
	var tmp int
	st.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM orgs WHERE path LIKE 'tmp:%'`).Scan(&tmp)
	if tmp != 0 {
		t.Errorf("%d orgs left with a temporary path", tmp)
	}
	// A missing parent is a not-found, not a crash.
	err = st.CreateOrg(ctx, &domain.Org{Code: "orphan", Name: "X", Kind: domain.KindChapter, Sector: "agency", ParentID: 999, ValidFrom: d(2020, 1, 1)})
	wantCode(t, err, domain.ENotFound)
}

// Optimistic locking: two edits from the same version; the second is told
// someone else changed it (409) and the first one's data stays.
func TestUpdateOrgOptimisticLocking(t *testing.T) {
	st, ctx := openTest(t)
	o := mkOrg(t, st, "x", 0)
	first, _ := st.GetOrg(ctx, o.ID)
	second, _ := st.GetOrg(ctx, o.ID)
	first.Name = "Tên thứ nhất"
	if err := st.UpdateOrg(ctx, first); err != nil {
		t.Fatal(err)
	}
	if first.Version != 2 {
		t.Errorf("version after update = %d; want 2", first.Version)
	}
	second.Name = "Tên thứ hai"
	err := st.UpdateOrg(ctx, second)
	e := wantCode(t, err, domain.EConflict)
	if e == nil || !strings.Contains(e.Message, "người khác") {
		t.Errorf("conflict message %q should say someone else changed it", domain.ErrorMessage(err))
	}
	got, _ := st.GetOrg(ctx, o.ID)
	if got.Name != "Tên thứ nhất" || got.Version != 2 {
		t.Errorf("stored %q v%d; want the first edit, v2", got.Name, got.Version)
	}
	// Retrying with the fresh version works.
	got.Name = "Tên thứ hai"
	if err := st.UpdateOrg(ctx, got); err != nil {
		t.Fatal(err)
	}
}

func TestAuthorityOn(t *testing.T) {
	st, ctx := openTest(t)
	root := mkOrg(t, st, "huyen", 0)
	gr := mkOrg(t, st, "co-so", root.ID)
	ch := mkOrg(t, st, "chi-bo", gr.ID)
	if err := st.SetAuthority(ctx, &domain.Authority{OrgID: root.ID, ValidFrom: d(2021, 1, 1), DeciderID: root.ID}); err != nil {
		t.Fatal(err)
	}
	if err := st.SetAuthority(ctx, &domain.Authority{OrgID: gr.ID, ValidFrom: d(2024, 1, 1), DeciderID: gr.ID, Authorised: true}); err != nil {
		t.Fatal(err)
	}
	a, err := st.AuthorityOn(ctx, ch, d(2023, 6, 1))
	if err != nil || a == nil || a.DeciderID != root.ID {
		t.Errorf("2023: authority %+v, %v; want the district's (inherited)", a, err)
	}
	a, err = st.AuthorityOn(ctx, ch, d(2024, 1, 1))
	if err != nil || a == nil || a.DeciderID != gr.ID || !a.Authorised {
		t.Errorf("2024: authority %+v, %v; want the authorised grassroots committee", a, err)
	}
	a, err = st.AuthorityOn(ctx, ch, d(2020, 1, 1))
	if err != nil || a != nil {
		t.Errorf("2020: authority %+v, %v; want none", a, err)
	}
}
