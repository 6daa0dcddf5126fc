package service_test

import (
	"strings"
	"testing"

	"ketnap/internal/domain"
	"ketnap/internal/rules"
	"ketnap/internal/service"
)

// After the chapter has voted three times on recognising (or striking off)
// a probationary member without reaching two thirds, the upper committee
// considers and decides (QĐ294 §4.2.3): the next step is the board's, and
// its decision needs no further chapter resolution; before the third
// failed vote it is refused.
func TestThreeFailedProbationVotesGoUp(t *testing.T) {
	w := newCaseWorld(t)
	p := w.person("cb-thpt", domain.StageSource, day(2000, 9, 1))
	c := w.dossier(p, day(2023, 1, 9), 2)
	w.clock(2023, 4, 20)
	c = w.must(w.svc.Vote(w.ctx, c.ID, domain.PurposeAdmission, chapterVote(day(2023, 4, 20), 9, c.Version)))
	w.clock(2023, 6, 15)
	c = w.must(w.svc.Decide(w.ctx, c.ID, domain.PurposeAdmission, decision("125-QĐ/HU", day(2023, 6, 12), dayp(2023, 6, 14), 5, c.Version)))
	w.clock(2023, 7, 3)
	c = w.must(w.svc.HoldCeremony(w.ctx, c.ID, service.CeremonyInput{Date: day(2023, 7, 3), Version: c.Version}))
	w.clock(2024, 7, 8)
	for _, k := range []string{domain.DocNewMemberCertificate, rules.FormSelfReview, rules.FormHelperAssessment, rules.FormProbationOpinions} {
		c = w.must(w.svc.RecordDocument(w.ctx, c.ID, service.DocumentInput{Kind: k, Date: day(2024, 7, 5), Version: c.Version}))
	}
	// 7 of 11 counted is below 2/3 (8 needed): the member stays on probation
	for i, d := range []int{8, 10, 12} {
		w.clock(2024, 7, d)
		c = w.must(w.svc.Vote(w.ctx, c.ID, domain.PurposeRecognition, chapterVote(day(2024, 7, d), 7, c.Version)))
		if c.Stage != domain.CaseProbation {
			t.Fatalf("after failed vote %d: stage %s", i+1, c.Stage)
		}
		v := w.view(c.ID)
		if i < 2 {
			if v.Referred || v.NextOwner != domain.OwnerChapter {
				t.Errorf("after %d failed votes: referred %v, next %q (%s)", i+1, v.Referred, v.NextAction, v.NextOwner)
			}
			if _, err := w.svc.Decide(w.ctx, c.ID, domain.PurposeRecognition, decision("300-QĐ/HU", day(2024, 7, d), nil, 6, c.Version)); err == nil {
				t.Fatalf("the upper committee decided after %d failed votes", i+1)
			}
		}
	}
	v := w.view(c.ID)
	if !v.Referred || v.NextOwner != domain.OwnerBoard || !strings.Contains(v.NextAction, "QĐ294 §4.2.3") {
		t.Fatalf("after three failed votes: referred %v, next %q (%s)", v.Referred, v.NextAction, v.NextOwner)
	}
	w.clock(2024, 7, 25)
	c = w.must(w.svc.Decide(w.ctx, c.ID, domain.PurposeRecognition, decision("310-QĐ/HU", day(2024, 7, 25), nil, 6, c.Version)))
	if c.Stage != domain.CaseOfficial {
		t.Fatalf("after the upper committee's decision: %s", c.Stage)
	}
	pv, _ := w.svc.Person(w.ctx, p.ID, false)
	if m := pv.Memberships[0]; m.RecognitionDate == nil || m.RecognitionDate.Format(domain.DateLayout) != "2024-07-03" {
		t.Errorf("recognised from %v; want the 12-month date 2024-07-03", m.RecognitionDate)
	}
}

// An admission authority recorded on a grassroots committee applies to its
// whole subtree, and a chapter under one of its sub-committees still goes
// through the sub-committee's review (HD06 §3.6b).
func TestAuthorityAboveKeepsTheSubcommitteeReview(t *testing.T) {
	w := newCaseWorld(t)
	mkOrg(t, w.svc, w.ctx, "cty", "Đảng bộ Công ty cà phê", domain.KindGrassroots, "huyen")
	mkOrg(t, w.svc, w.ctx, "cty-bp", "Đảng bộ bộ phận Nông trường 1", domain.KindSubCommittee, "cty")
	mkOrg(t, w.svc, w.ctx, "cty-bp-cb", "Chi bộ Đội 1", domain.KindChapter, "cty-bp")
	mkOrg(t, w.svc, w.ctx, "cty-cb", "Chi bộ Văn phòng", domain.KindChapter, "cty")
	if err := w.svc.SetAuthority(w.ctx, "cty", domain.Authority{ValidFrom: day(2020, 1, 1), Authorised: true}, "cty", "ghi lại thẩm quyền từ hồ sơ giấy"); err != nil {
		t.Fatal(err)
	}
	for _, x := range []struct {
		org string
		sub bool
	}{{"cty-bp-cb", true}, {"cty-cb", false}} {
		p := w.person(x.org, domain.StageSource, day(1998, 1, 1))
		c := w.must(w.svc.OpenCase(w.ctx, service.OpenCaseInput{PersonID: p.ID, HelperID: w.member(x.org).ID}))
		v := w.view(c.ID)
		if v.Subcommittee != x.sub || v.Decider == nil || v.Decider.Code != "cty" || !v.Authorised || v.Committee {
			t.Errorf("%s: sub %v, decider %v, authorised %v, committee %v; want sub %v, the company's committee authorised",
				x.org, v.Subcommittee, v.Decider, v.Authorised, v.Committee, x.sub)
		}
	}
}
