package service_test

import (
	"strings"
	"testing"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/rules"
	"ketnap/internal/service"
)

// Age (đủ 18 at the chapter vote) cannot be waived: an exception on it is
// refused with the source of that answer (QĐ24 §1.1, §4.4: an admission
// against the conditions of Điều lệ Đ.1 is cancelled), and the chapter
// vote, the committee vote and the decision cannot go through.
func TestAgeExceptionRefused(t *testing.T) {
	w := newCaseWorld(t)
	_, orgCtx := mkUser(t, w.svc, w.ctx, "bantochuc", domain.RoleOrganizer, "huyen")
	p := w.person("cb-thpt", domain.StageSource, day(2005, 9, 1)) // 17 years 7 months at the vote
	c := w.dossier(p, day(2023, 1, 9), 2)
	w.clock(2023, 4, 3)
	_, err := w.svc.RecordException(orgCtx, c.ID, service.ExceptionInput{Rule: rules.RuleAge, Version: c.Version,
		Reason: "Ban Thường vụ Huyện ủy cho phép (Công văn 12-CV/HU ngày 01/4/2023)"})
	e := wantErr(t, err, domain.EInvalid)
	if e.Field != "rule" || !strings.Contains(e.Message, "Không được ghi ngoại lệ cho quy định “Tuổi đời”") ||
		!strings.Contains(e.Message, "Điều lệ Đ.1 k.2; QĐ24 §1.1, §4.4") {
		t.Errorf("refusal %q (field %s); want the rule and the source of the answer", e.Message, e.Field)
	}
	if v := w.view(c.ID); len(v.Exceptions) != 0 || v.Version != c.Version {
		t.Errorf("a refused exception was written: %+v, version %d", v.Exceptions, v.Version)
	}
	_, err = w.svc.Vote(w.ctx, c.ID, domain.PurposeAdmission, chapterVote(day(2023, 4, 3), 10, c.Version))
	r := refused(t, err, rules.RuleAge)
	if !strings.Contains(r.Error(), "Không được ghi ngoại lệ cho quy định: “Tuổi đời” (Điều lệ Đ.1 k.2; QĐ24 §1.1, §4.4)") {
		t.Errorf("the refusal does not say the age cannot be waived: %s", r.Error())
	}
	for _, v := range r.Checks {
		if v.Rule == rules.RuleAge && (v.Waivable || v.WaiverSource == "") {
			t.Errorf("age check %+v", v)
		}
	}
	if v := verdict(t, w.view(c.ID), rules.RuleAge); v.Waivable || v.OK {
		t.Errorf("the page's age verdict %+v; want failing, not waivable", v)
	}
}

// An exception stored on the age rule before the rule set said it cannot
// be waived (older data) no longer lets it pass: the vote is refused, the
// page shows the verdict failing without its exception.
func TestStoredAgeExceptionHasNoEffect(t *testing.T) {
	w := newCaseWorld(t)
	p := w.person("cb-thpt", domain.StageSource, day(2005, 9, 1))
	c := w.dossier(p, day(2023, 1, 9), 2)
	w.clock(2023, 4, 3)
	x := &domain.CaseException{CaseID: c.ID, Rule: rules.RuleAge, Reason: "Ngoại lệ ghi trước đây", UserID: 0, Username: "cu",
		At: time.Date(2023, 3, 1, 3, 0, 0, 0, time.UTC)}
	if err := service.StoreOf(w.svc).AddException(w.ctx, x); err != nil {
		t.Fatal(err)
	}
	v := w.view(c.ID)
	if len(v.Exceptions) != 1 || v.Waivable(rules.RuleAge) {
		t.Fatalf("stored exceptions %+v", v.Exceptions)
	}
	if av := verdict(t, v, rules.RuleAge); av.OK || av.Exception != nil {
		t.Errorf("age verdict %+v; want failing with no exception letting it pass", av)
	}
	_, err := w.svc.Vote(w.ctx, c.ID, domain.PurposeAdmission, chapterVote(day(2023, 4, 3), 10, c.Version))
	refused(t, err, rules.RuleAge)
	if ms, err := service.StoreOf(w.svc).Memberships(w.ctx, p.ID); err != nil || len(ms) != 0 {
		t.Errorf("the candidate's memberships: %+v (%v)", ms, err)
	}
}

// The re-admission grounds cannot be waived: a former member who left on
// an ineligible ground, or was re-admitted once already, is not admitted
// again whatever exception (QĐ24 §3.5, §4.4). The 36-month wait and the
// other waivable rules still take one.
func TestReadmissionGroundsNotWaivable(t *testing.T) {
	w := newCaseWorld(t)
	w.clock(2023, 1, 2)
	p := w.person("cb-thpt", domain.StageSource, day(1985, 5, 5))
	if _, err := w.svc.RecordMembership(w.ctx, p.ID, service.MembershipInput{DecisionNo: "45-QĐ/HU", DecisionDate: day(2010, 5, 5),
		DecidedByCode: "huyen", CeremonyDate: dayp(2010, 5, 20), Status: domain.StageLeft}); err != nil {
		t.Fatal(err)
	}
	w.clock(2023, 1, 9)
	c := w.must(w.svc.OpenCase(w.ctx, service.OpenCaseInput{PersonID: p.ID, HelperID: w.member("cb-thpt").ID,
		Readmission: &service.ReadmissionInput{LeftOn: day(2021, 6, 1), Ground: string(rules.GroundResigned)}}))
	c = w.complete(c, "cb-thpt", day(2023, 1, 9), 2)
	w.clock(2023, 4, 3)
	for _, rule := range []string{rules.RuleReadmissionGround, rules.RuleReadmissionOnce} {
		_, err := w.svc.RecordException(w.ctx, c.ID, service.ExceptionInput{Rule: rule, Version: c.Version,
			Reason: "Hoàn cảnh đặc biệt, Thường trực Tỉnh ủy đồng ý"})
		if e := wantErr(t, err, domain.EInvalid); !strings.Contains(e.Message, "QĐ24 §3.5, §4.4") {
			t.Errorf("%s: %q", rule, e.Message)
		}
	}
	c = w.must(w.svc.RecordException(w.ctx, c.ID, service.ExceptionInput{Rule: rules.RuleReadmissionWait, Version: c.Version,
		Reason: "Quy định riêng của Ban Bí thư (Công văn 3-CV/TU)"}))
	_, err := w.svc.Vote(w.ctx, c.ID, domain.PurposeAdmission, chapterVote(day(2023, 4, 3), 10, c.Version))
	r := refused(t, err, rules.RuleReadmissionGround)
	for _, v := range r.Checks {
		if v.Rule == rules.RuleReadmissionWait {
			t.Errorf("the excepted wait still blocks: %+v", v)
		}
	}
}
