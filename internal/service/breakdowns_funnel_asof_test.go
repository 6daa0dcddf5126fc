package service_test

import (
	"testing"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/rules"
	"ketnap/internal/service"
)

// funnelAt is the district's funnel of the case world on a date.
func (w *caseWorld) funnelAt(asof time.Time) *service.FunnelLine {
	w.t.Helper()
	f, err := w.svc.Funnel(w.ctx, service.FunnelQuery{ReportQuery: service.ReportQuery{OrgCode: "huyen", AsOf: asof}})
	if err != nil {
		w.t.Fatalf("Funnel(%s): %v", asof.Format(domain.DateLayout), err)
	}
	return f.Unit
}

// DOMAIN §7 "Pipeline funnel per unit" as of a past date: each case
// counts at the stage its dated facts put it on that date, opened by then
// and not yet closed; overdue deadlines are those pending then.
func TestFunnelAsOfAPastDate(t *testing.T) {
	w := newCaseWorld(t)
	// A: the school's chapter, chapter → decision → ceremony.
	a := w.person("cb-thpt", domain.StageSource, day(1998, 4, 4))
	ca := w.dossier(a, day(2023, 9, 1), 2) // certificate 1/10, dossier 11/10, verification 13/10 → 31/10
	w.clock(2023, 11, 15)
	ca = w.must(w.svc.Vote(w.ctx, ca.ID, domain.PurposeAdmission, chapterVote(day(2023, 11, 15), 9, ca.Version)))
	w.clock(2024, 1, 5)
	ca = w.must(w.svc.Decide(w.ctx, ca.ID, domain.PurposeAdmission, decision("140-QĐ/HU", day(2024, 1, 3), dayp(2024, 1, 5), 5, ca.Version)))
	w.clock(2024, 1, 20)
	w.must(w.svc.HoldCeremony(w.ctx, ca.ID, service.CeremonyInput{Date: day(2024, 1, 20), Version: ca.Version}))

	// B: a village chapter of the grassroots committee: chapter, committee, decision.
	b := w.person("cb-thon1", domain.StageSource, day(1999, 5, 5))
	cb := w.dossier(b, day(2023, 9, 1), 2)
	w.clock(2023, 11, 16)
	cb = w.must(w.svc.Vote(w.ctx, cb.ID, domain.PurposeAdmission, chapterVote(day(2023, 11, 16), 9, cb.Version)))
	w.clock(2023, 12, 5)
	cb = w.must(w.svc.Vote(w.ctx, cb.ID, domain.PurposeAdmission, committeeVote(day(2023, 12, 5), 8, cb.Version)))
	w.clock(2024, 1, 10)
	w.must(w.svc.Decide(w.ctx, cb.ID, domain.PurposeAdmission, decision("141-QĐ/HU", day(2024, 1, 10), nil, 5, cb.Version)))

	// C: the personal-history verification answered late (due 30 working
	// days after 13/10/2023, answered 10/1/2024).
	cp := w.person("cb-thon2", domain.StageSource, day(2000, 6, 6))
	w.clock(2023, 9, 1)
	cc := w.must(w.svc.OpenCase(w.ctx, service.OpenCaseInput{PersonID: cp.ID, HelperID: w.member("cb-thon2").ID}))
	w.clock(2023, 10, 1)
	cc = w.must(w.svc.RecordCertificate(w.ctx, cc.ID, service.CertificateInput{Number: "GCN-C", Date: day(2023, 10, 1), Version: cc.Version}))
	w.clock(2023, 10, 11)
	cc = w.must(w.svc.OpenDossier(w.ctx, cc.ID, service.DateInput{Date: day(2023, 10, 11), Version: cc.Version}))
	w.clock(2023, 10, 13)
	cc = w.must(w.svc.RequestVerification(w.ctx, cc.ID, service.VerificationInput{Subject: "candidate", Addressee: "Đảng ủy xã Hòa An",
		SentOn: day(2023, 10, 13), Version: cc.Version}))
	w.clock(2024, 1, 10)
	w.must(w.svc.RecordVerificationReply(w.ctx, cc.ID, w.view(cc.ID).Verifications[0].ID, service.ReplyInput{Date: day(2024, 1, 10),
		Result: "Lý lịch khai đúng", Version: cc.Version}))

	// D: the chapter voted against on 10/1/2024, the deciding body
	// concluded on 25/1/2024: the case is refused (closed).
	d := w.person("cb-thpt", domain.StageSource, day(2001, 7, 7))
	cd := w.dossier(d, day(2023, 9, 2), 2)
	w.clock(2024, 1, 10)
	cd = w.must(w.svc.Vote(w.ctx, cd.ID, domain.PurposeAdmission, chapterVote(day(2024, 1, 10), 5, cd.Version)))
	w.clock(2024, 1, 25)
	w.must(w.svc.Conclude(w.ctx, cd.ID, service.ConclusionInput{Number: "9-TB/HU", Date: day(2024, 1, 25),
		Conclusion: "Không kết nạp; chi bộ tiếp tục bồi dưỡng", Version: cd.Version}))
	w.clock(2024, 2, 1)

	stages := func(u *service.FunnelLine) map[string]int {
		out := map[string]int{}
		for _, s := range service.FunnelStages {
			if n := u.Counts[s.Key]; n != 0 {
				out[s.Key] = n
			}
		}
		return out
	}
	for _, tc := range []struct {
		asof             time.Time
		want             map[string]int
		overdue, pastVot int
	}{
		// Before any case was opened: four sources in the pool, no case.
		{day(2023, 8, 1), map[string]int{"sources": 4}, 0, 0},
		// A, B, D at the source stage, sent to no class yet; C too.
		{day(2023, 9, 15), map[string]int{"sources": 4}, 0, 0},
		// All four in the dossier, certified; C's request is not due yet.
		{day(2023, 10, 20), map[string]int{"dossier": 4}, 0, 0},
		// A and B voted by their chapters; C's reply is overdue; D in the dossier.
		{day(2023, 12, 1), map[string]int{"dossier": 2, "chapter_voted": 2}, 1, 2},
		// B voted by the committee.
		{day(2023, 12, 20), map[string]int{"dossier": 2, "chapter_voted": 1, "committee_voted": 1}, 1, 2},
		// A decided (3/1), awaiting the ceremony.
		{day(2024, 1, 4), map[string]int{"dossier": 2, "committee_voted": 1, "decided": 1}, 1, 1},
		// Today: A on probation, B decided, C in the dossier, D refused
		// (a source again, without a case).
		{day(2024, 2, 1), map[string]int{"sources": 1, "dossier": 1, "decided": 1, "probation": 1}, 0, 0},
	} {
		u := w.funnelAt(tc.asof)
		got := stages(u)
		if len(got) != len(tc.want) {
			t.Errorf("%s: funnel %v; want %v", tc.asof.Format(domain.DateLayout), got, tc.want)
			continue
		}
		for k, n := range tc.want {
			if got[k] != n {
				t.Errorf("%s: funnel %v; want %v", tc.asof.Format(domain.DateLayout), got, tc.want)
				break
			}
		}
		if u.Overdue != tc.overdue || u.PastVote != tc.pastVot {
			t.Errorf("%s: overdue %d past the vote %d; want %d, %d", tc.asof.Format(domain.DateLayout), u.Overdue, u.PastVote, tc.overdue, tc.pastVot)
		}
	}
	// The certificates are dated 1/10/2023: none is recorded on 15/9.
	if u := w.funnelAt(day(2023, 9, 15)); u.Counts["certified"] != 0 {
		t.Errorf("certified on 15/9/2023 (certificates from 1/10): %d", u.Counts["certified"])
	}

}

// A case withdrawn long after its chapter vote: as of a date between the
// decision's due date and the withdrawal, it counts as voted by the
// chapter with its decision overdue, derived from the vote's date (its
// case_deadlines rows are gone since it closed).
func TestFunnelAsOfDerivesTheDecisionDeadline(t *testing.T) {
	w := newCaseWorld(t)
	p := w.person("cb-thpt", domain.StageSource, day(1998, 4, 4))
	c := w.dossier(p, day(2023, 9, 1), 2)
	w.clock(2023, 11, 15)
	c = w.must(w.svc.Vote(w.ctx, c.ID, domain.PurposeAdmission, chapterVote(day(2023, 11, 15), 9, c.Version)))
	cal, err := w.svc.Calendar(w.ctx)
	if err != nil {
		t.Fatal(err)
	}
	set := rules.InForce(day(2023, 11, 15))
	due, err := cal.AddWorkdays(day(2023, 11, 15), set.DecisionDeadline.Workdays)
	if err != nil {
		t.Fatal(err)
	}
	w.clock(2024, 4, 1)
	w.must(w.svc.WithdrawCase(w.ctx, c.ID, service.CloseInput{Date: day(2024, 4, 1), Reason: "Quần chúng xin rút", Version: c.Version}))

	for _, tc := range []struct {
		asof    time.Time
		overdue int
	}{{due, 0}, {due.AddDate(0, 0, 1), 1}, {day(2024, 3, 31), 1}} {
		u := w.funnelAt(tc.asof)
		if u.Counts["chapter_voted"] != 1 || u.PastVote != 1 || u.Overdue != tc.overdue || u.Stalled != 1 {
			t.Errorf("%s (decision due %s): %v overdue %d stalled %d; want chapter_voted 1, overdue %d, stalled (no step for 90 days)",
				tc.asof.Format(domain.DateLayout), due.Format(domain.DateLayout), u.Counts, u.Overdue, u.Stalled, tc.overdue)
		}
	}
	// Withdrawn on 1/4: out of the funnel from that day, a source again.
	if u := w.funnelAt(day(2024, 4, 1)); u.Counts["chapter_voted"] != 0 || u.Counts["sources"] != 1 {
		t.Errorf("after the withdrawal: %v", u.Counts)
	}
}
