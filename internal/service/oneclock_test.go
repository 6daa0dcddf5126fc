package service_test

import (
	"testing"

	"ketnap/internal/domain"
	"ketnap/internal/service"
)

// One clock (issue 16 item 1): the date the pages open on is "today" for
// what may not be in the future — a birth date, an admission decision
// recorded from paper — as it is for the steps of a case. Before the demo
// is marked the real date (1/6/2024 here) judges; with the demo on
// 4/5/2024, the 20/5/2024 has not come yet.
func TestOneClockJudgesTheFuture(t *testing.T) {
	svc, ctx := newService(t)
	mkOrg(t, svc, ctx, "h", "Đảng bộ huyện Một", domain.KindDistrict, "")
	mkOrg(t, svc, ctx, "h-a", "Chi bộ Một", domain.KindGrassChapter, "h")
	in := personIn("h-a", "Trần Văn Sớm")
	in.BirthDate = day(2024, 5, 20)
	if _, err := svc.CreatePerson(ctx, in); err != nil {
		t.Fatalf("a birth date before the real today refused: %v", err)
	}
	p := mkPerson(t, svc, ctx, "h-a", "Lê Văn Hai")
	if err := svc.MarkDemo(ctx, day(2024, 5, 4)); err != nil {
		t.Fatal(err)
	}
	in.FullName = "Trần Văn Muộn"
	_, err := svc.CreatePerson(ctx, in)
	if wantErr(t, err, domain.EInvalid); !hasField(err, "birth_date") {
		t.Errorf("a birth date after the pages' date: %v", err)
	}
	_, err = svc.RecordMembership(ctx, p.ID, service.MembershipInput{DecisionNo: "1-QĐ/HU", DecisionDate: day(2024, 5, 20), DecidedByCode: "h"})
	if e := wantErr(t, err, domain.EInvalid); e.Field != "decision_date" {
		t.Errorf("a decision after the pages' date: field %q, %v", e.Field, err)
	}
	if _, err := svc.RecordMembership(ctx, p.ID, service.MembershipInput{DecisionNo: "1-QĐ/HU", DecisionDate: day(2024, 5, 3), DecidedByCode: "h"}); err != nil {
		t.Errorf("a decision before the pages' date refused: %v", err)
	}
}

// hasField tells whether err carries a field error on field.
func hasField(err error, field string) bool {
	for _, f := range domain.FieldMessages(err) {
		if f.Field == field {
			return true
		}
	}
	return false
}
