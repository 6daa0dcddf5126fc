package store

import (
	"testing"
	"time"

	"ketnap/internal/domain"
)

// The edited text of a report: one row per kind, unit, year and as-of
// date; NULL columns stay nil; saved over; deleted.
func TestReportTexts(t *testing.T) {
	st, ctx := openTest(t)
	root := mkOrg(t, st, "root", 0)
	other := mkOrg(t, st, "other", root.ID)
	now := time.Date(2024, 5, 4, 10, 0, 0, 0, domain.Vietnam)
	u := &domain.User{Username: "tochuc", Role: domain.RoleOrganizer, OrgID: root.ID, Active: true}
	if err := st.CreateUser(ctx, u, "h", now); err != nil {
		t.Fatal(err)
	}
	asof := domain.Day(2024, 5, 4)
	if got, err := st.ReportText(ctx, domain.ReportConference, root.ID, 2024, asof); err != nil || got != nil {
		t.Fatalf("nothing saved: %+v %v", got, err)
	}
	signer, tasks := "Nguyễn Văn Bình", "- Một.\n- Hai: \"ngoặc\" & <thẻ>."
	in := &domain.ReportText{Report: domain.ReportConference, OrgID: root.ID, Year: 2024, AsOf: asof, Signer: &signer, Tasks: &tasks,
		UpdatedBy: u.ID, UpdatedByName: "Lê Thị Tổ Chức", UpdatedAt: now}
	if err := st.PutReportText(ctx, in); err != nil {
		t.Fatal(err)
	}
	got, err := st.ReportText(ctx, domain.ReportConference, root.ID, 2024, asof)
	if err != nil || got == nil {
		t.Fatalf("saved: %+v %v", got, err)
	}
	if got.Signer == nil || *got.Signer != signer || got.Tasks == nil || *got.Tasks != tasks || got.Issuer != nil || got.Weaknesses != nil ||
		got.UpdatedBy != u.ID || got.UpdatedByName != "Lê Thị Tổ Chức" || !got.UpdatedAt.Equal(now) || !got.Edited() {
		t.Errorf("read back %+v", got)
	}
	// another date, year or unit is another report
	for _, k := range []struct {
		org  int64
		year int
		asof time.Time
	}{{root.ID, 2024, asof.AddDate(0, 0, 1)}, {root.ID, 2023, asof}, {other.ID, 2024, asof}} {
		if x, err := st.ReportText(ctx, domain.ReportConference, k.org, k.year, k.asof); err != nil || x != nil {
			t.Errorf("%+v: %+v %v", k, x, err)
		}
	}
	// saved over: the signer back to the draft, the issuer set
	issuer := "HUYỆN ỦY KRÔNG PẮC"
	in.Signer, in.Issuer, in.UpdatedAt = nil, &issuer, now.Add(time.Hour)
	if err := st.PutReportText(ctx, in); err != nil {
		t.Fatal(err)
	}
	got, _ = st.ReportText(ctx, domain.ReportConference, root.ID, 2024, asof)
	if got.Signer != nil || got.Issuer == nil || *got.Issuer != issuer || *got.Tasks != tasks || !got.UpdatedAt.Equal(now.Add(time.Hour)) {
		t.Errorf("saved over: %+v", got)
	}
	if gone, err := st.DeleteReportText(ctx, domain.ReportConference, root.ID, 2024, asof); err != nil || !gone {
		t.Errorf("delete: %v %v", gone, err)
	}
	if gone, err := st.DeleteReportText(ctx, domain.ReportConference, root.ID, 2024, asof); err != nil || gone {
		t.Errorf("delete again: %v %v", gone, err)
	}
	if x, _ := st.ReportText(ctx, domain.ReportConference, root.ID, 2024, asof); x != nil {
		t.Error("deleted text still read")
	}
}
