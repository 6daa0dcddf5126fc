package service_test

import (
	"testing"

	"ketnap/internal/domain"
	"ketnap/internal/service"
)

// EachPerson streams what People lists, in its scope and order: a
// secretary gets their chapter's people only, and another unit is 403.
func TestEachPersonIsThePeopleList(t *testing.T) {
	svc, ctx := newService(t)
	mkOrg(t, svc, ctx, "kp", "Đảng bộ huyện Krông Pắc", domain.KindDistrict, "")
	mkOrg(t, svc, ctx, "kp-a", "Chi bộ Ấp Một", domain.KindGrassChapter, "kp")
	mkOrg(t, svc, ctx, "kp-b", "Chi bộ Buôn Hai", domain.KindGrassChapter, "kp")
	for _, x := range []struct{ org, name string }{{"kp-a", "Trần Thị Bình"}, {"kp-b", "Y Bhim Niê"}, {"kp-a", "Nguyễn Văn Đức"},
		{"kp-a", "Lê Văn Ánh"}, {"kp-b", "Đỗ Văn Cường"}} {
		mkPerson(t, svc, ctx, x.org, x.name)
	}
	_, sec := mkUser(t, svc, ctx, "bithu-a", domain.RoleSecretary, "kp-a")
	list, err := svc.People(sec, service.PeopleQuery{PerPage: 200})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	err = svc.EachPerson(sec, service.PeopleQuery{}, 0, func(p *domain.Person, unit string) error {
		if unit != "Chi bộ Ấp Một" {
			t.Errorf("%s in %s", p.FullName, unit)
		}
		got = append(got, p.FullName)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || len(list.People) != 3 {
		t.Fatalf("streamed %v; the list has %d", got, len(list.People))
	}
	for i, p := range list.People {
		if got[i] != p.FullName {
			t.Errorf("row %d: %s; the list has %s", i+1, got[i], p.FullName)
		}
	}
	// The limit caps the rows.
	n := 0
	if err := svc.EachPerson(ctx, service.PeopleQuery{OrgCode: "kp"}, 2, func(*domain.Person, string) error { n++; return nil }); err != nil || n != 2 {
		t.Errorf("limit 2: %d rows, %v", n, err)
	}
	wantErr(t, svc.EachPerson(sec, service.PeopleQuery{OrgCode: "kp-b"}, 0, func(*domain.Person, string) error { return nil }), domain.EForbidden)
	wantErr(t, svc.EachPerson(sec, service.PeopleQuery{Stages: []string{"nope"}}, 0, func(*domain.Person, string) error { return nil }), domain.EInvalid)
}
