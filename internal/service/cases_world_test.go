package service_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/rules"
	"ketnap/internal/service"
)

// caseWorld is a district as it stood before 1/7/2025: the district
// committee decides (BTV huyện ủy, QĐ24 §4.3.2); a grassroots committee
// (Đảng ủy xã Ea Kly) with two village chapters, whose chapters go through
// its vote (HD06 §3.6c); a school's grassroots chapter directly under the
// district (chapter → decision, admission-rules §9.2). Its units record no
// Youth Union organisation, so that its candidates of youth age, who are
// not Youth Union members, are introduced by two official members; the
// Youth Union's route has tests of its own (cases_youth_test.go).
type caseWorld struct {
	svc *service.Service
	ctx context.Context
	t   *testing.T
	seq int
}

func newCaseWorld(t *testing.T) *caseWorld {
	svc, ctx := newService(t)
	w := &caseWorld{svc: svc, ctx: ctx, t: t}
	w.clock(2023, 1, 2)
	for _, o := range []struct {
		code, name string
		kind       domain.OrgKind
		parent     string
	}{{"huyen", "Đảng bộ huyện Krông Pắc", domain.KindDistrict, ""}, {"xa-eakly", "Đảng bộ xã Ea Kly", domain.KindGrassroots, "huyen"},
		{"cb-thon1", "Chi bộ thôn 1", domain.KindChapter, "xa-eakly"}, {"cb-thon2", "Chi bộ thôn 2", domain.KindChapter, "xa-eakly"},
		{"cb-thpt", "Chi bộ Trường THPT Lê Hồng Phong", domain.KindGrassChapter, "huyen"}} {
		if _, err := svc.CreateOrg(ctx, service.OrgInput{Code: o.code, Name: o.name, Kind: o.kind, Sector: "commune", ParentCode: o.parent,
			ValidFrom: day(2020, 1, 1), YouthUnion: new(false)}); err != nil {
			t.Fatalf("CreateOrg(%s): %v", o.code, err)
		}
	}
	for _, a := range []struct {
		org        string
		grassroots bool
	}{{"huyen", false}, {"xa-eakly", true}} {
		if err := svc.SetAuthority(ctx, a.org, domain.Authority{ValidFrom: day(2020, 1, 1), GrassrootsLevel: a.grassroots}, "huyen", "ghi lại thẩm quyền từ hồ sơ giấy"); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

// clock sets the service's clock to 10:00 in Vietnam on the date.
func (w *caseWorld) clock(y int, m time.Month, d int) {
	at := time.Date(y, m, d, 3, 0, 0, 0, time.UTC)
	w.svc.Now = func() time.Time { return at }
}

// person creates a person of the chapter at the stage (personAt).
func (w *caseWorld) person(org, stage string, born time.Time, edit ...func(*service.PersonInput)) *domain.Person {
	w.t.Helper()
	w.seq++
	in := personIn(org, fmt.Sprintf("Nguyễn Văn Thứ%d", w.seq))
	in.BirthDate = born
	for _, e := range edit {
		e(&in)
	}
	return personAt(w.t, w.svc, w.ctx, in, stage)
}

func (w *caseWorld) member(org string) *domain.Person {
	return w.person(org, domain.StageOfficial, day(1980, 1, 1))
}

// must fails the test on an error and returns the case.
func (w *caseWorld) must(c *service.CaseView, err error) *service.CaseView {
	w.t.Helper()
	if err != nil {
		w.t.Fatalf("step refused: %v", err)
	}
	return c
}

// view returns the case as its page shows it.
func (w *caseWorld) view(id int64) *service.CaseView {
	w.t.Helper()
	v, err := w.svc.Case(w.ctx, id)
	if err != nil {
		w.t.Fatalf("Case(%d): %v", id, err)
	}
	return v
}

// dossier takes a candidate of the chapter from the source pool to a
// complete dossier: helper, certificate, dossier opened, application,
// personal history verified, opinions, and (unless the candidate goes the
// Youth Union way) two introducers with 12 months together. The clock
// ends on the last date used.
func (w *caseWorld) dossier(p *domain.Person, start time.Time, introducers int) *service.CaseView {
	w.t.Helper()
	org, err := w.svc.OrgByID(w.ctx, p.OrgID)
	if err != nil {
		w.t.Fatal(err)
	}
	helper := w.member(org.Code)
	w.clock(start.Year(), start.Month(), start.Day())
	c := w.must(w.svc.OpenCase(w.ctx, service.OpenCaseInput{PersonID: p.ID, HelperID: helper.ID}))
	return w.complete(c, org.Code, start, introducers)
}

// complete records the dossier of an open case whose helper is assigned.
func (w *caseWorld) complete(c *service.CaseView, org string, start time.Time, introducers int) *service.CaseView {
	w.t.Helper()
	at := func(days int) time.Time {
		d := start.AddDate(0, 0, days)
		w.clock(d.Year(), d.Month(), d.Day())
		return d
	}
	c = w.must(w.svc.RecordCertificate(w.ctx, c.ID, service.CertificateInput{Number: "GCN-" + fmt.Sprint(c.ID), Date: at(30), Version: c.Version}))
	c = w.must(w.svc.OpenDossier(w.ctx, c.ID, service.DateInput{Date: at(40), Version: c.Version}))
	for _, k := range []string{rules.FormApplication, rules.FormPersonalHistory} {
		c = w.must(w.svc.RecordDocument(w.ctx, c.ID, service.DocumentInput{Kind: k, Date: at(41), Version: c.Version}))
	}
	c = w.must(w.svc.RequestVerification(w.ctx, c.ID, service.VerificationInput{Subject: "candidate", Addressee: "Đảng ủy xã Hòa An",
		SentOn: at(42), Version: c.Version}))
	v := w.view(c.ID)
	c = w.must(w.svc.RecordVerificationReply(w.ctx, c.ID, v.Verifications[0].ID, service.ReplyInput{Date: at(60),
		Result: "Lý lịch khai đúng; chấp hành tốt chủ trương, pháp luật", Version: c.Version}))
	c = w.must(w.svc.RecordDocument(w.ctx, c.ID, service.DocumentInput{Kind: rules.FormOpinions, Date: at(61), Version: c.Version}))
	for range introducers {
		m := w.member(org)
		c = w.must(w.svc.AddIntroducer(w.ctx, c.ID, service.IntroducerInput{PersonID: m.ID, MonthsTogether: 14, LetterDate: dayp(start.Year(), start.Month(), start.Day()),
			Version: c.Version}))
	}
	return c
}

// chapterVote is a vote of a 12-member chapter (1 excluded) with yes in favour.
func chapterVote(date time.Time, yes int, version int64) service.VoteInput {
	return service.VoteInput{Level: domain.LevelChapter, Date: date, Number: "NQ-" + date.Format("0102"), Members: 12, Excluded: 1,
		Present: 11, Yes: yes, No: 11 - yes, Version: version}
}

// committeeVote is a vote of a 9-member committee.
func committeeVote(date time.Time, yes int, version int64) service.VoteInput {
	return service.VoteInput{Level: domain.LevelCommittee, Date: date, Number: "NQ-ĐU-" + date.Format("0102"), Members: 9,
		Present: 9, Yes: yes, No: 9 - yes, Version: version}
}

// decision is a decision of a 7-member standing committee with yes in favour.
func decision(no string, date time.Time, received *time.Time, yes int, version int64) service.DecisionInput {
	return service.DecisionInput{Number: no, Date: date, Received: received, Members: 7, Present: 7, Yes: yes, No: 7 - yes, Version: version}
}

// refused fails unless err is a RefusedError failing the rule, and
// returns it.
func refused(t *testing.T, err error, rule string) *service.RefusedError {
	t.Helper()
	r, ok := errors.AsType[*service.RefusedError](err)
	if !ok {
		t.Fatalf("err = %v; want a refusal by the rules (%s)", err, rule)
	}
	if domain.ErrorCode(err) != domain.EInvalid {
		t.Errorf("refusal code %s, want %s", domain.ErrorCode(err), domain.EInvalid)
	}
	for _, v := range r.Checks {
		if v.OK {
			t.Errorf("a passing verdict among the refusal's checks: %+v", v)
		}
		if !strings.Contains(r.Error(), v.Source) || !strings.Contains(r.Error(), v.Message) {
			t.Errorf("the message does not cite the verdict %q (%s): %s", v.Message, v.Source, r.Error())
		}
	}
	for _, v := range r.Checks {
		if v.Rule == rule {
			return r
		}
	}
	t.Fatalf("refusal checks %+v; want the rule %s", r.Checks, rule)
	return nil
}

// verdict returns the case's verdict on the rule.
func verdict(t *testing.T, v *service.CaseView, rule string) service.CaseVerdict {
	t.Helper()
	for _, x := range v.Verdicts {
		if x.Rule == rule {
			return x
		}
	}
	t.Fatalf("no verdict %s among %+v", rule, v.Verdicts)
	return service.CaseVerdict{}
}
