package service_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/rules"
	"ketnap/internal/service"
)

// school adds to the world a school's chapter whose Youth Union
// organisation is the default of its sector (schools have one).
func (w *caseWorld) school() *domain.Org {
	w.t.Helper()
	o, err := w.svc.CreateOrg(w.ctx, service.OrgInput{Code: "cb-thcs", Name: "Chi bộ Trường THCS Ea Kly", Kind: domain.KindChapter,
		Sector: "school", ParentCode: "xa-eakly", ValidFrom: day(2020, 1, 1)})
	if err != nil {
		w.t.Fatal(err)
	}
	return o
}

// youthMember is a Youth Union member of the chapter, 22 in 2023.
func (w *caseWorld) youthMember(org string) *domain.Person {
	return w.person(org, domain.StageSource, day(2001, 2, 3), func(in *service.PersonInput) { in.YouthUnion = true })
}

// A unit records whether it has a Youth Union organisation: by default
// yes for communes, agencies and schools, no elsewhere; a form or the API
// may say otherwise, and an edit that does not say keeps the answer.
func TestOrgYouthUnionDefault(t *testing.T) {
	w := newCaseWorld(t)
	mk := func(code string, kind domain.OrgKind, sector domain.Sector, yu *bool) *domain.Org {
		o, err := w.svc.CreateOrg(w.ctx, service.OrgInput{Code: code, Name: "Đơn vị " + code, Kind: kind, Sector: sector,
			ParentCode: "huyen", ValidFrom: day(2020, 1, 1), YouthUnion: yu})
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	for _, c := range []struct {
		code   string
		kind   domain.OrgKind
		sector domain.Sector
		yu     *bool
		want   bool
	}{
		{"truong", domain.KindChapter, "school", nil, true},
		{"coquan", domain.KindGrassChapter, "agency", nil, true},
		{"thon", domain.KindChapter, "commune", nil, true},
		{"xa-moi", domain.KindCommune, "public_service", nil, true}, // a commune committee of the two-level structure
		{"cty", domain.KindChapter, "enterprise", nil, false},
		{"benhvien", domain.KindChapter, "public_service", nil, false},
		{"quansu", domain.KindChapter, "armed_forces", nil, false},
		{"cty-doan", domain.KindChapter, "enterprise", new(true), true},
		{"truong-khong", domain.KindChapter, "school", new(false), false},
	} {
		o := mk(c.code, c.kind, c.sector, c.yu)
		if got, _ := w.svc.Org(w.ctx, c.code); o.YouthUnion != c.want || got.YouthUnion != c.want {
			t.Errorf("%s: Youth Union organisation %v (stored %v), want %v", c.code, o.YouthUnion, got.YouthUnion, c.want)
		}
	}
	o, _ := w.svc.Org(w.ctx, "truong")
	edit := service.OrgInput{Name: "Chi bộ Trường THCS", Kind: o.Kind, Sector: o.Sector, ValidFrom: o.ValidFrom, Version: o.Version}
	if o, err := w.svc.UpdateOrg(w.ctx, "truong", edit); err != nil || !o.YouthUnion {
		t.Errorf("an edit that does not say: %+v %v", o, err)
	}
	o, _ = w.svc.Org(w.ctx, "truong")
	edit.YouthUnion, edit.Version = new(false), o.Version
	if o, err := w.svc.UpdateOrg(w.ctx, "truong", edit); err != nil || o.YouthUnion {
		t.Errorf("an edit to none: %+v %v", o, err)
	}
	if o, _ := w.svc.Org(w.ctx, "truong"); o.YouthUnion {
		t.Error("the edit was not stored")
	}
}

// The Youth Union's route applies whenever the candidate is a Youth Union
// member of youth age and the unit has a Youth Union organisation: the
// case takes the unit's answer when the opening does not give one, and a
// Youth Union member of 22 in a school is introduced by the Youth Union's
// resolution and one official member (Điều lệ Đ.4 k.2; QĐ24 §3.1). Before,
// the case said "no Youth Union" unless told, and the same candidate was
// judged on two member introducers.
func TestYouthUnionRouteFromTheUnit(t *testing.T) {
	w := newCaseWorld(t)
	w.school()
	p := w.youthMember("cb-thcs")
	c := w.dossier(p, day(2023, 1, 9), 1)
	if !c.YouthUnionExists {
		t.Fatalf("the case of a school's candidate records no Youth Union organisation")
	}
	if it := checklistItem(t, w.view(c.ID), rules.FormYouthUnionResolution); !it.Needed || it.Done {
		t.Errorf("the Youth Union's resolution: %+v; want needed, missing", it)
	}
	w.clock(2023, 3, 20)
	_, err := w.svc.Vote(w.ctx, c.ID, domain.PurposeAdmission, chapterVote(day(2023, 3, 20), 10, c.Version))
	if r := refused(t, err, rules.RuleIntroducers); !strings.Contains(r.Error(), "Thiếu nghị quyết giới thiệu đoàn viên") {
		t.Errorf("refusal %s", r.Error())
	}
	c = w.must(w.svc.RecordDocument(w.ctx, c.ID, service.DocumentInput{Kind: rules.FormYouthUnionResolution, Number: "05-NQ/ĐTN",
		Date: day(2023, 3, 15), Version: c.Version}))
	c = w.must(w.svc.Vote(w.ctx, c.ID, domain.PurposeAdmission, chapterVote(day(2023, 3, 20), 10, c.Version)))
	if iv := verdict(t, w.view(c.ID), rules.RuleIntroducers); !iv.OK || !strings.Contains(iv.Message, "Đoàn viên trong độ tuổi thanh niên") {
		t.Errorf("introducers %+v", iv)
	}
	if c.Stage != domain.CaseChapterVoted {
		t.Errorf("stage %s", c.Stage)
	}
}

// The case's answer can still be corrected: given at the opening, or by
// the facts step (which keeps it when it does not say). A candidate over
// the youth age goes the two-member route even where the unit has a Youth
// Union organisation, and the checklist does not ask for its resolution.
func TestYouthUnionCorrectedOnTheCase(t *testing.T) {
	w := newCaseWorld(t)
	w.school()
	p := w.youthMember("cb-thcs")
	w.clock(2023, 1, 9)
	c := w.must(w.svc.OpenCase(w.ctx, service.OpenCaseInput{PersonID: p.ID, YouthUnionExists: new(false)}))
	if c.YouthUnionExists {
		t.Error("the opening's answer was not kept")
	}
	c = w.must(w.svc.SetCaseFacts(w.ctx, c.ID, service.CaseFactsInput{HardshipArea: true, YouthUnionExists: new(true), Version: c.Version}))
	c = w.must(w.svc.SetCaseFacts(w.ctx, c.ID, service.CaseFactsInput{HardshipArea: true, Version: c.Version}))
	if !c.YouthUnionExists || !c.HardshipArea {
		t.Errorf("facts step that does not say: youth %v hardship %v", c.YouthUnionExists, c.HardshipArea)
	}
	c = w.must(w.svc.SetCaseFacts(w.ctx, c.ID, service.CaseFactsInput{YouthUnionExists: new(false), Version: c.Version}))
	if c.YouthUnionExists || checklistItem(t, w.view(c.ID), rules.FormYouthUnionResolution).Needed {
		t.Error("the facts step did not correct the answer")
	}

	older := w.person("cb-thcs", domain.StageSource, day(1990, 2, 3), func(in *service.PersonInput) { in.YouthUnion = true })
	oc := w.must(w.svc.OpenCase(w.ctx, service.OpenCaseInput{PersonID: older.ID}))
	if !oc.YouthUnionExists || checklistItem(t, w.view(oc.ID), rules.FormYouthUnionResolution).Needed {
		t.Errorf("a Youth Union member of 32: %v, the resolution needed %v", oc.YouthUnionExists,
			checklistItem(t, w.view(oc.ID), rules.FormYouthUnionResolution).Needed)
	}
}

func checklistItem(t *testing.T, v *service.CaseView, kind string) service.ChecklistItem {
	t.Helper()
	for _, it := range v.Checklist {
		if it.Kind == kind {
			return it
		}
	}
	t.Fatalf("no %s in the checklist", kind)
	return service.ChecklistItem{}
}

// The helper and the introducers are official members of the candidate's
// chapter (Điều lệ Đ.4 k.2 "in the same unit"; HD38 I.1.1d): a member of
// another chapter is refused as helper or introducer, judged by the
// same-chapter rule with its source, unless the board recorded an
// exception on the case (QĐ24 §3.4.1: a place without members, where the
// committee assigns another chapter); a new case cannot take one at all.
func TestSameChapterHelperAndIntroducers(t *testing.T) {
	w := newCaseWorld(t)
	_, secCtx := mkUser(t, w.svc, w.ctx, "bithu.thpt", domain.RoleSecretary, "huyen")
	_, orgCtx := mkUser(t, w.svc, w.ctx, "bantochuc", domain.RoleOrganizer, "huyen")
	p := w.person("cb-thpt", domain.StageSource, day(1990, 3, 3))
	other := w.member("cb-thon1")
	w.clock(2023, 1, 9)
	_, err := w.svc.OpenCase(secCtx, service.OpenCaseInput{PersonID: p.ID, HelperID: other.ID})
	if r := refused(t, err, rules.RuleSameChapter); !strings.Contains(r.Error(), "lập hồ sơ chưa phân công người giúp đỡ") {
		t.Errorf("opening with a helper of another unit: %s", r.Error())
	}
	c := w.must(w.svc.OpenCase(secCtx, service.OpenCaseInput{PersonID: p.ID}))
	_, err = w.svc.AssignHelper(secCtx, c.ID, service.HelperInput{PersonID: other.ID, Version: c.Version})
	r := refused(t, err, rules.RuleSameChapter)
	if v := r.Checks[0]; v.Source != "Điều lệ Đ.4 k.2; QĐ24 §3.1–3.2; HD01" || !v.Waivable ||
		!strings.Contains(v.Message, other.FullName+" (người giúp đỡ) sinh hoạt ở Chi bộ thôn 1") ||
		!strings.Contains(v.Message, "không phải đảng viên chính thức của Chi bộ Trường THPT Lê Hồng Phong") {
		t.Errorf("verdict %+v", v)
	}
	_, err = w.svc.RecordException(secCtx, c.ID, service.ExceptionInput{Rule: rules.RuleSameChapter, Version: c.Version, Reason: "Chi bộ đồng ý"})
	wantErr(t, err, domain.EForbidden)
	c = w.must(w.svc.RecordException(orgCtx, c.ID, service.ExceptionInput{Rule: rules.RuleSameChapter, Version: c.Version,
		Reason: "Đảng ủy giao Chi bộ thôn 1 cử đảng viên giúp đỡ (QĐ24 §3.4.1; Công văn 7-CV/ĐU)"}))
	c = w.must(w.svc.AssignHelper(secCtx, c.ID, service.HelperInput{PersonID: other.ID, Version: c.Version}))
	c = w.must(w.svc.AddIntroducer(secCtx, c.ID, service.IntroducerInput{PersonID: w.member("cb-thon1").ID, MonthsTogether: 14, Version: c.Version}))
	if v := w.view(c.ID); v.Helper == nil || v.Helper.ID != other.ID || len(v.Introducers) != 1 {
		t.Errorf("helper %v introducers %d", v.Helper, len(v.Introducers))
	}
	if sv := verdict(t, w.view(c.ID), rules.RuleSameChapter); sv.OK || sv.Exception == nil {
		t.Errorf("same-chapter verdict %+v; want failing, excepted", sv)
	}

	// without the exception, an introducer of another chapter is refused
	q := w.person("cb-thpt", domain.StageSource, day(1990, 4, 4))
	d := w.dossier(q, day(2023, 1, 9), 1)
	_, err = w.svc.AddIntroducer(secCtx, d.ID, service.IntroducerInput{PersonID: w.member("cb-thon2").ID, MonthsTogether: 14, Version: d.Version})
	if r := refused(t, err, rules.RuleSameChapter); !strings.Contains(r.Error(), "(người giới thiệu) sinh hoạt ở Chi bộ thôn 2") {
		t.Errorf("introducer of another chapter: %s", r.Error())
	}
}

// An introducer who moves to another chapter before the vote no longer
// counts as the candidate's chapter's: the chapter vote's verdicts refuse
// the resolution on the same-chapter rule (QĐ24 §3.2.2: the chapter
// assigns another official member).
func TestSameChapterJudgedAtTheChapterVote(t *testing.T) {
	w := newCaseWorld(t)
	p := w.person("cb-thpt", domain.StageSource, day(1990, 3, 3))
	c := w.dossier(p, day(2023, 1, 9), 2)
	if sv := verdict(t, w.view(c.ID), rules.RuleSameChapter); !sv.OK || !strings.Contains(sv.Message, "Người giúp đỡ và 2 người giới thiệu") {
		t.Errorf("before the move: %+v", sv)
	}
	m, _ := w.svc.Person(w.ctx, w.view(c.ID).Introducers[1].PersonID, false)
	in := service.PersonInput{FullName: m.FullName, BirthDate: m.BirthDate, Sex: m.Sex, Ethnicity: m.Ethnicity, Education: m.Education,
		OrgCode: "cb-thon2", Stage: m.Stage, Version: m.Version}
	if _, err := w.svc.UpdatePerson(w.ctx, m.ID, in); err != nil {
		t.Fatal(err)
	}
	w.clock(2023, 4, 3)
	_, err := w.svc.Vote(w.ctx, c.ID, domain.PurposeAdmission, chapterVote(day(2023, 4, 3), 10, c.Version))
	if r := refused(t, err, rules.RuleSameChapter); !strings.Contains(r.Error(), m.FullName+" (người giới thiệu) sinh hoạt ở Chi bộ thôn 2") {
		t.Errorf("refusal %s", r.Error())
	}
}

// Introducers are official members on the day they introduce (the
// letter's date): a member recognised after it is refused, and the
// chapter vote counts them on that day.
func TestIntroducerOfficialOnTheLetterDate(t *testing.T) {
	w := newCaseWorld(t)
	p := w.person("cb-thpt", domain.StageSource, day(1990, 3, 3))
	c := w.dossier(p, day(2023, 1, 9), 1)
	recognised := w.memberSince("cb-thpt", day(2022, 1, 10), day(2023, 3, 1))
	w.clock(2023, 3, 20)
	_, err := w.svc.AddIntroducer(w.ctx, c.ID, service.IntroducerInput{PersonID: recognised.ID, MonthsTogether: 14,
		LetterDate: dayp(2023, 2, 15), Version: c.Version})
	if e := wantErr(t, err, domain.EInvalid); e.Field != "person_id" || !strings.Contains(e.Message, "chưa là đảng viên chính thức ngày 15/02/2023") {
		t.Errorf("refusal %q (%s)", e.Message, e.Field)
	}
	c = w.must(w.svc.AddIntroducer(w.ctx, c.ID, service.IntroducerInput{PersonID: recognised.ID, MonthsTogether: 14,
		LetterDate: dayp(2023, 3, 2), Version: c.Version}))
	c = w.must(w.svc.Vote(w.ctx, c.ID, domain.PurposeAdmission, chapterVote(day(2023, 3, 20), 10, c.Version)))
	if c.Stage != domain.CaseChapterVoted {
		t.Errorf("stage %s", c.Stage)
	}
}

// memberSince is an official member of the chapter admitted and
// recognised on the days given (recorded from paper).
func (w *caseWorld) memberSince(org string, decided, recognised time.Time) *domain.Person {
	w.t.Helper()
	p := w.person(org, domain.StageSource, day(1985, 1, 1))
	ceremony := decided.AddDate(0, 0, 10)
	if _, err := w.svc.RecordMembership(w.ctx, p.ID, service.MembershipInput{DecisionNo: fmt.Sprintf("%d-QĐ/HU", p.ID),
		DecisionDate: decided, CeremonyDate: &ceremony, RecognitionDate: &recognised}); err != nil {
		w.t.Fatal(err)
	}
	m, err := w.svc.Person(w.ctx, p.ID, false)
	if err != nil || m.Stage != domain.StageOfficial {
		w.t.Fatalf("member %+v %v", m, err)
	}
	return m.Person
}
