package store

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"ketnap/internal/domain"
)

// linkWorld is a province with two districts; district A holds commune X
// with a chapter, district B commune Y.
type linkWorld struct {
	prov, a, b, x, cx, y *domain.Org
}

func newLinkWorld(t *testing.T, st *Store, ctx context.Context) *linkWorld {
	t.Helper()
	mk := func(code string, kind domain.OrgKind, parent *domain.Org) *domain.Org {
		o := &domain.Org{Code: code, Name: "Đơn vị " + code, Kind: kind, Sector: "commune", ValidFrom: domain.Day(2000, 1, 1)}
		if parent != nil {
			o.ParentID = parent.ID
		}
		if err := st.CreateOrg(ctx, o); err != nil {
			t.Fatal(err)
		}
		return o
	}
	w := &linkWorld{}
	w.prov = mk("tinh", domain.KindProvince, nil)
	w.a = mk("huyen-a", domain.KindDistrict, w.prov)
	w.b = mk("huyen-b", domain.KindDistrict, w.prov)
	w.x = mk("xa-x", domain.KindCommune, w.a)
	w.cx = mk("xa-x-cb", domain.KindChapter, w.x)
	w.y = mk("xa-y", domain.KindCommune, w.b)
	return w
}

func codes(orgs []*domain.Org) []string {
	var out []string
	for _, o := range orgs {
		out = append(out, o.Code)
	}
	return out
}

// A unit moved under a new parent on a date keeps its id and code; the
// tree of any earlier day still shows it where it was, the tree from the
// date shows it with its subtree under the new parent (DOMAIN §2).
func TestMoveOrgKeepsHistory(t *testing.T) {
	st, ctx := openTest(t)
	w := newLinkWorld(t, st, ctx)
	d := domain.Day(2025, 7, 1)
	if err := st.MoveOrg(ctx, w.x.ID, w.b.ID, d); err != nil {
		t.Fatal(err)
	}
	before, after := d.AddDate(0, 0, -1), d

	for _, c := range []struct {
		root *domain.Org
		on   time.Time
		want []string
	}{
		{w.a, before, []string{"huyen-a", "xa-x", "xa-x-cb"}},
		{w.b, before, []string{"huyen-b", "xa-y"}},
		{w.a, after, []string{"huyen-a"}},
		{w.b, after, []string{"huyen-b", "xa-x", "xa-x-cb", "xa-y"}},
	} {
		got, err := st.SubtreeOn(ctx, c.root.ID, c.on)
		if err != nil {
			t.Fatal(err)
		}
		if g := codes(got); !sameSet(g, c.want) || g[0] != c.root.Code {
			t.Errorf("%s on %s: %v, want %v", c.root.Code, c.on.Format(domain.DateLayout), g, c.want)
		}
		for _, o := range got[1:] {
			if !strings.HasPrefix(o.Path, got[0].Path) {
				t.Errorf("%s's path %s is not under %s on that day", o.Code, o.Path, got[0].Path)
			}
		}
	}

	// The chapter's parent of each day, and its current place.
	p, path, err := st.PlaceOn(ctx, w.cx.ID, before)
	if err != nil || p != w.x.ID || path != w.cx.Path {
		t.Errorf("the chapter before the move: parent %d path %q (%v); want %d %q", p, path, err, w.x.ID, w.cx.Path)
	}
	cur, err := st.GetOrg(ctx, w.cx.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := w.b.Path + strconv.FormatInt(w.x.ID, 10) + "/" + strconv.FormatInt(w.cx.ID, 10) + "/"; cur.Path != want || cur.ParentID != w.x.ID {
		t.Errorf("the chapter now: %q under %d; want %q under %d", cur.Path, cur.ParentID, want, w.x.ID)
	}
	kids, err := st.ChildrenOn(ctx, w.b.ID, after)
	if err != nil || !sameSet(codes(kids), []string{"xa-x", "xa-y"}) {
		t.Errorf("children of B from the move: %v (%v)", codes(kids), err)
	}
	kids, err = st.ChildrenOn(ctx, w.a.ID, before)
	if err != nil || !slices.Equal(codes(kids), []string{"xa-x"}) {
		t.Errorf("children of A before the move: %v (%v)", codes(kids), err)
	}
	links, err := st.OrgLinks(ctx, w.x.ID)
	if err != nil || len(links) != 2 || !links[0].ValidFrom.IsZero() || links[0].ValidTo == nil || !links[0].ValidTo.Equal(d) ||
		!links[1].ValidFrom.Equal(d) || links[1].ParentID != w.b.ID {
		t.Errorf("links of X: %+v (%v)", links, err)
	}
}

// Moves are recorded in date order; a unit cannot go under one of its own
// descendants; moving twice on one day keeps one link for the day.
func TestMoveOrgRefusals(t *testing.T) {
	st, ctx := openTest(t)
	w := newLinkWorld(t, st, ctx)
	if err := st.MoveOrg(ctx, w.a.ID, w.cx.ID, domain.Day(2025, 7, 1)); domain.ErrorCode(err) != domain.EInvalid {
		t.Errorf("a move under its own chapter: %v", err)
	}
	if err := st.MoveOrg(ctx, w.x.ID, w.b.ID, domain.Day(2025, 7, 1)); err != nil {
		t.Fatal(err)
	}
	if err := st.MoveOrg(ctx, w.x.ID, w.a.ID, domain.Day(2025, 6, 1)); domain.ErrorCode(err) != domain.EConflict {
		t.Errorf("a move dated before the unit's latest: %v", err)
	}
	if err := st.MoveOrg(ctx, w.y.ID, w.x.ID, domain.Day(2025, 6, 1)); domain.ErrorCode(err) != domain.EConflict {
		t.Errorf("a move under a unit moved later: %v", err)
	}
	// The same day again: the day's link is replaced, not doubled.
	if err := st.MoveOrg(ctx, w.x.ID, w.a.ID, domain.Day(2025, 7, 1)); err != nil {
		t.Fatal(err)
	}
	links, err := st.OrgLinks(ctx, w.cx.ID)
	if err != nil || len(links) != 2 || links[1].Path != w.cx.Path {
		t.Errorf("the chapter's links after moving back the same day: %+v (%v)", links, err)
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// A unit renamed by a reorganisation on a date keeps its former name for
// the tree of any earlier day (a 2024 report reads the 2024 names), and a
// second rename keeps each name for its own stretch (DOMAIN §2).
func TestRenameOrgIsDated(t *testing.T) {
	st, ctx := openTest(t)
	w := newLinkWorld(t, st, ctx)
	d1, d2 := domain.Day(2025, 7, 1), domain.Day(2026, 1, 1)
	if err := st.RenameOrg(ctx, w.x.ID, "Đảng bộ xã X mới", d1); err != nil {
		t.Fatal(err)
	}
	if err := st.RenameOrg(ctx, w.x.ID, "Đảng bộ xã X lần hai", d2); err != nil {
		t.Fatal(err)
	}
	// Renamed twice on one day: the name before that day stays the former one.
	if err := st.RenameOrg(ctx, w.x.ID, "Đảng bộ xã X sửa lại", d2); err != nil {
		t.Fatal(err)
	}
	nameIn := func(orgs []*domain.Org, id int64) string {
		for _, o := range orgs {
			if o.ID == id {
				return o.Name
			}
		}
		return "(absent)"
	}
	for _, c := range []struct {
		on   time.Time
		want string
	}{
		{d1.AddDate(0, 0, -1), "Đơn vị xa-x"},
		{d1, "Đảng bộ xã X mới"},
		{d2.AddDate(0, 0, -1), "Đảng bộ xã X mới"},
		{d2, "Đảng bộ xã X sửa lại"},
		{time.Time{}, "Đảng bộ xã X sửa lại"},
	} {
		sub, err := st.SubtreeOn(ctx, w.prov.ID, c.on)
		if err != nil {
			t.Fatal(err)
		}
		kids, err := st.ChildrenOn(ctx, w.a.ID, c.on)
		if err != nil {
			t.Fatal(err)
		}
		own, err := st.SubtreeOn(ctx, w.x.ID, c.on)
		if err != nil {
			t.Fatal(err)
		}
		name, err := st.NameOn(ctx, w.x.ID, c.on)
		if err != nil {
			t.Fatal(err)
		}
		if got := []string{nameIn(sub, w.x.ID), nameIn(kids, w.x.ID), own[0].Name, name}; slices.ContainsFunc(got, func(s string) bool { return s != c.want }) {
			t.Errorf("on %s: subtree, children, own subtree, NameOn = %q; want %q", c.on.Format("2006-01-02"), got, c.want)
		}
	}
	if got, err := st.NameOn(ctx, w.a.ID, d1); err != nil || got != "Đơn vị huyen-a" {
		t.Errorf("a unit never renamed: %q %v", got, err)
	}
}
