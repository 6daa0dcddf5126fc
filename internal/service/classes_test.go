package service_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/service"
)

// classWorld is a district "kp" with two communes: "xa-a" with chapters
// "a1" and "a2", "xa-b" with chapter "b1"; a trainer bound to the district.
type classWorld struct {
	svc     *service.Service
	sys     context.Context
	trainer context.Context
	seq     int
}

func newClassWorld(t *testing.T) *classWorld {
	t.Helper()
	svc, ctx := newService(t)
	mkOrg(t, svc, ctx, "kp", "Đảng bộ huyện Krông Pắc", domain.KindDistrict, "")
	mkOrg(t, svc, ctx, "xa-a", "Đảng bộ xã Ea Yông", domain.KindGrassroots, "kp")
	mkOrg(t, svc, ctx, "xa-b", "Đảng bộ xã Hòa An", domain.KindGrassroots, "kp")
	mkOrg(t, svc, ctx, "a1", "Chi bộ thôn 1", domain.KindChapter, "xa-a")
	mkOrg(t, svc, ctx, "a2", "Chi bộ buôn Ea Yông A", domain.KindChapter, "xa-a")
	mkOrg(t, svc, ctx, "b1", "Chi bộ thôn Tân Lập", domain.KindChapter, "xa-b")
	_, trainer := mkUser(t, svc, ctx, "ttct", domain.RoleTrainer, "kp")
	return &classWorld{svc: svc, sys: ctx, trainer: trainer}
}

// people creates n people at the stage in the chapter.
func (w *classWorld) people(t *testing.T, chapter, stage string, n int) []int64 {
	t.Helper()
	var out []int64
	for range n {
		w.seq++
		p := personAt(t, w.svc, w.sys, personIn(chapter, fmt.Sprintf("Nguyễn Thị Học%d", w.seq)), stage)
		out = append(out, p.ID)
	}
	return out
}

// class creates an awareness class of 4 sessions of 5 lessons from start,
// serving the units.
func (w *classWorld) class(t *testing.T, code string, start time.Time, units ...string) *domain.Class {
	t.Helper()
	c, err := w.svc.CreateClass(w.trainer, service.ClassInput{Code: code, Name: "Lớp bồi dưỡng nhận thức về Đảng " + code,
		Programme: domain.ProgAwareness, OrgCode: "kp", Organiser: "Trung tâm Chính trị huyện", StartDate: start, Sessions: 4,
		UnitCodes: units})
	if err != nil {
		t.Fatalf("CreateClass(%s): %v", code, err)
	}
	return c
}

func (w *classWorld) enrol(t *testing.T, c *domain.Class, ids []int64) []*domain.Learner {
	t.Helper()
	ls, err := w.svc.Enrol(w.trainer, c.ID, ids, "")
	if err != nil {
		t.Fatalf("Enrol: %v", err)
	}
	return ls
}

func (w *classWorld) open(t *testing.T, c *domain.Class, reason string) *domain.Class {
	t.Helper()
	v := w.view(t, c.ID)
	o, err := w.svc.OpenClass(w.trainer, c.ID, c.StartDate, reason, v.Version)
	if err != nil {
		t.Fatalf("OpenClass: %v", err)
	}
	return o
}

func (w *classWorld) view(t *testing.T, id int64) *service.ClassView {
	t.Helper()
	v, err := w.svc.Class(w.trainer, id)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// attend records every session with the lessons given per learner (5 when absent from the map).
func (w *classWorld) attend(t *testing.T, c *domain.Class, lessons map[int64][]int) {
	t.Helper()
	v := w.view(t, c.ID)
	for i, s := range v.Sessions {
		m := map[int64]int{}
		for _, l := range v.Learners {
			m[l.ID] = s.Lessons
			if x, ok := lessons[l.ID]; ok {
				m[l.ID] = x[i]
			}
		}
		if err := w.svc.SaveAttendance(w.trainer, c.ID, s.ID, m); err != nil {
			t.Fatalf("SaveAttendance: %v", err)
		}
	}
}

func (w *classWorld) learner(t *testing.T, classID, id int64) *domain.Learner {
	t.Helper()
	for _, l := range w.view(t, classID).Learners {
		if l.ID == id {
			return l.Learner
		}
	}
	t.Fatalf("no learner %d", id)
	return nil
}

func sc(n int) *int { return &n }

// QĐ1147: at least 25 learners to open a class; fewer only with a reason.
func TestClassOpenNeeds25OrAReason(t *testing.T) {
	w := newClassWorld(t)
	c := w.class(t, "NT-1", day(2024, 3, 4), "xa-a")
	w.enrol(t, c, w.people(t, "a1", domain.StageSource, 24))
	v := w.view(t, c.ID)
	_, err := w.svc.OpenClass(w.trainer, c.ID, c.StartDate, "  ", v.Version)
	e := wantErr(t, err, domain.EConflict)
	if e.Field != "override_reason" {
		t.Errorf("field %q", e.Field)
	}
	t.Log(e.Message)
	o, err := w.svc.OpenClass(w.trainer, c.ID, c.StartDate, "Thôn vùng sâu, học viên ít", v.Version)
	if err != nil {
		t.Fatal(err)
	}
	if o.Status != domain.ClassOpen || o.OpenOverride != "Thôn vùng sâu, học viên ít" {
		t.Errorf("opened: %+v", o)
	}
	// With 25 no reason is needed, and none is recorded.
	c2 := w.class(t, "NT-2", day(2024, 4, 1), "xa-a")
	w.enrol(t, c2, w.people(t, "a2", domain.StageSource, 25))
	if o := w.open(t, c2, "thừa"); o.OpenOverride != "" {
		t.Errorf("override recorded with 25 learners: %q", o.OpenOverride)
	}
	// Seats: a class with 3 seats refuses a fourth learner.
	c3, err := w.svc.CreateClass(w.trainer, service.ClassInput{Code: "NT-3", Name: "Lớp nhỏ", Programme: domain.ProgAwareness,
		OrgCode: "kp", StartDate: day(2024, 5, 6), Sessions: 2, Capacity: 3, UnitCodes: []string{"xa-b"}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = w.svc.Enrol(w.trainer, c3.ID, w.people(t, "b1", domain.StageSource, 4), "")
	wantErr(t, err, domain.EConflict)
	if n := w.view(t, c3.ID).Enrolled; n != 0 {
		t.Errorf("%d enrolled after a refused enrolment: all or none", n)
	}
}

// QĐ1147: attendance of 80 % of the lessons to sit the essay, on the boundary.
func TestClassAttendance80Percent(t *testing.T) {
	w := newClassWorld(t)
	c := w.class(t, "NT-1", day(2024, 3, 4), "kp")
	ids := w.people(t, "a1", domain.StageSource, 25)
	ls := w.enrol(t, c, ids)
	w.open(t, c, "")
	at80, below := ls[0].ID, ls[1].ID // 16 of 20 lessons; 15 of 20
	w.attend(t, c, map[int64][]int{at80: {5, 5, 5, 1}, below: {5, 5, 5, 0}})
	if got := w.learner(t, c.ID, below).Outcome; got != domain.OutcomeIneligible {
		t.Errorf("15/20 lessons: %s, want ineligible", got)
	}
	l := w.learner(t, c.ID, at80)
	if l.Attended != 16 || l.Outcome != domain.OutcomePending {
		t.Errorf("16/20 lessons: attended %d, %s", l.Attended, l.Outcome)
	}
	if err := w.svc.SaveResults(w.trainer, c.ID, []service.ResultInput{{LearnerID: at80, Score1: sc(600), Score2: sc(650), Version: l.Version}}); err != nil {
		t.Fatalf("scores at 80 %%: %v", err)
	}
	lb := w.learner(t, c.ID, below)
	err := w.svc.SaveResults(w.trainer, c.ID, []service.ResultInput{{LearnerID: below, Score1: sc(800), Score2: sc(800), Version: lb.Version}})
	t.Log(wantErr(t, err, domain.EInvalid).Message)
	if got := w.learner(t, c.ID, at80); got.Outcome != domain.OutcomePass || got.Total != 1250 {
		t.Errorf("at 80 %%: %s %d", got.Outcome, got.Total)
	}
}

// QĐ1147: score on 10 from two graders averaged, pass at 5.0, grade bands.
func TestClassPassMarkAndGrades(t *testing.T) {
	w := newClassWorld(t)
	c := w.class(t, "NT-1", day(2024, 3, 4), "xa-a")
	ls := w.enrol(t, c, w.people(t, "a1", domain.StageSource, 25))
	w.open(t, c, "")
	w.attend(t, c, nil)
	cases := []struct {
		s1, s2  int
		outcome string
		grade   string
	}{
		{500, 500, domain.OutcomePass, "Trung bình"}, {499, 500, domain.OutcomeFail, ""}, {450, 550, domain.OutcomePass, "Trung bình"},
		{700, 699, domain.OutcomePass, "Trung bình"}, {700, 700, domain.OutcomePass, "Khá"}, {800, 799, domain.OutcomePass, "Khá"},
		{800, 800, domain.OutcomePass, "Giỏi"}, {900, 899, domain.OutcomePass, "Giỏi"}, {900, 900, domain.OutcomePass, "Xuất sắc"},
		{1000, 1000, domain.OutcomePass, "Xuất sắc"},
	}
	var in []service.ResultInput
	for i, x := range cases {
		in = append(in, service.ResultInput{LearnerID: ls[i].ID, Score1: sc(x.s1), Score2: sc(x.s2), Version: w.learner(t, c.ID, ls[i].ID).Version})
	}
	if err := w.svc.SaveResults(w.trainer, c.ID, in); err != nil {
		t.Fatal(err)
	}
	for i, x := range cases {
		l := w.learner(t, c.ID, ls[i].ID)
		_, g := domain.GradeOf(l.Total)
		if l.Outcome != x.outcome || g != x.grade {
			t.Errorf("%d + %d: %s %q, want %s %q", x.s1, x.s2, l.Outcome, g, x.outcome, x.grade)
		}
	}
	// One grader's score alone is refused, and so is a score above 10.
	l := w.learner(t, c.ID, ls[20].ID)
	wantErr(t, w.svc.SaveResults(w.trainer, c.ID, []service.ResultInput{{LearnerID: l.ID, Score1: sc(700), Version: l.Version}}), domain.EInvalid)
	wantErr(t, w.svc.SaveResults(w.trainer, c.ID, []service.ResultInput{{LearnerID: l.ID, Score1: sc(1001), Score2: sc(700), Version: l.Version}}), domain.EInvalid)
	// A stale version is a conflict, not an overwrite.
	wantErr(t, w.svc.SaveResults(w.trainer, c.ID, []service.ResultInput{{LearnerID: ls[0].ID, Score1: sc(100), Score2: sc(100), Version: 1}}), domain.EConflict)
}

// QĐ1147: one retake, within 3 days of the essay.
func TestClassRetakeWindow(t *testing.T) {
	w := newClassWorld(t)
	c := w.class(t, "NT-1", day(2024, 3, 4), "xa-a") // 4–7 March; essay on 7 March
	ls := w.enrol(t, c, w.people(t, "a1", domain.StageSource, 25))
	w.open(t, c, "")
	w.attend(t, c, nil)
	failed, passed := ls[0].ID, ls[1].ID
	err := w.svc.SaveResults(w.trainer, c.ID, []service.ResultInput{
		{LearnerID: failed, Score1: sc(400), Score2: sc(450), Version: w.learner(t, c.ID, failed).Version},
		{LearnerID: passed, Score1: sc(600), Score2: sc(600), Version: w.learner(t, c.ID, passed).Version}})
	if err != nil {
		t.Fatal(err)
	}
	exam := c.Exam()
	if !exam.Equal(day(2024, 3, 7)) {
		t.Fatalf("exam %v", exam)
	}
	retake := func(id int64, d time.Time) error {
		_, err := w.svc.RecordRetake(w.trainer, id, d, sc(600), sc(650), w.learner(t, c.ID, id).Version)
		return err
	}
	wantErr(t, retake(failed, exam), domain.EInvalid)
	t.Log(wantErr(t, retake(failed, exam.AddDate(0, 0, 4)), domain.EInvalid).Message)
	wantErr(t, retake(passed, exam.AddDate(0, 0, 1)), domain.EInvalid)
	if err := retake(failed, exam.AddDate(0, 0, 3)); err != nil {
		t.Fatalf("retake on the third day: %v", err)
	}
	if l := w.learner(t, c.ID, failed); l.Outcome != domain.OutcomePass || l.Total != 1250 || !l.ResultDate.Equal(exam.AddDate(0, 0, 3)) {
		t.Errorf("after the retake: %s %d %v", l.Outcome, l.Total, l.ResultDate)
	}
	t.Log(wantErr(t, retake(failed, exam.AddDate(0, 0, 2)), domain.EInvalid).Message)
}

// QĐ1147: certificate within 15 days of the completion decision; HD06
// §5.4b: the awareness certificate is valid 60 months, on its 60-month day too.
func TestClassCertificates(t *testing.T) {
	w := newClassWorld(t)
	c := w.class(t, "NT-1", day(2024, 3, 4), "xa-a")
	ls := w.enrol(t, c, w.people(t, "a1", domain.StageSource, 25))
	w.open(t, c, "")
	w.attend(t, c, nil)
	var in []service.ResultInput
	for i, l := range ls {
		s := 700
		if i == 0 {
			s = 300
		}
		in = append(in, service.ResultInput{LearnerID: l.ID, Score1: sc(s), Score2: sc(s), Version: w.learner(t, c.ID, l.ID).Version})
	}
	if err := w.svc.SaveResults(w.trainer, c.ID, in); err != nil {
		t.Fatal(err)
	}
	_, err := w.svc.IssueCertificates(w.trainer, c.ID, day(2024, 3, 12), "")
	wantErr(t, err, domain.EConflict) // not finished yet
	wantErr(t, finish(w, c, day(2024, 3, 6)), domain.EInvalid)
	if err := finish(w, c, day(2024, 3, 8)); err != nil {
		t.Fatal(err)
	}
	_, err = w.svc.IssueCertificates(w.trainer, c.ID, day(2024, 3, 24), "")
	t.Log(wantErr(t, err, domain.EInvalid).Message) // day 16
	_, err = w.svc.IssueCertificates(w.trainer, c.ID, day(2024, 3, 7), "")
	wantErr(t, err, domain.EInvalid)                                             // before the decision
	certs, err := w.svc.IssueCertificates(w.trainer, c.ID, day(2024, 3, 23), "") // day 15
	if err != nil {
		t.Fatal(err)
	}
	if len(certs) != 24 || certs[0].Number != "NT-2024-0001" || certs[23].Number != "NT-2024-0024" {
		t.Fatalf("%d certificates, first %s", len(certs), certs[0].Number)
	}
	k := certs[0]
	if !k.ValidUntil.Equal(day(2029, 3, 23)) {
		t.Errorf("valid until %v", k.ValidUntil)
	}
	for _, x := range []struct {
		d  time.Time
		ok bool
	}{{day(2024, 3, 22), false}, {day(2024, 3, 23), true}, {day(2029, 3, 23), true}, {day(2029, 3, 24), false}} {
		got, err := w.svc.AwarenessCertificateValidOn(w.sys, k.PersonID, x.d)
		if err != nil || (got != nil) != x.ok {
			t.Errorf("valid on %s: %v %v, want %v", x.d.Format(domain.DateLayout), got, err, x.ok)
		}
	}
	if got, _ := w.svc.AwarenessCertificateValidOn(w.sys, ls[0].PersonID, day(2024, 4, 1)); got != nil {
		t.Error("a learner who failed holds a certificate")
	}
	_, err = w.svc.IssueCertificates(w.trainer, c.ID, day(2024, 3, 23), "")
	wantErr(t, err, domain.EConflict) // nobody left
	// The holder may not join another awareness class while it is valid.
	c2 := w.class(t, "NT-2", day(2024, 5, 6), "xa-a")
	_, err = w.svc.Enrol(w.trainer, c2.ID, []int64{k.PersonID}, "")
	t.Log(wantErr(t, err, domain.EConflict).Message)
}

func finish(w *classWorld, c *domain.Class, d time.Time) error {
	v, err := w.svc.Class(w.trainer, c.ID)
	if err != nil {
		return err
	}
	_, err = w.svc.FinishClass(w.trainer, c.ID, "12-QĐ/TTCT", d, v.Version)
	return err
}

// One person is never in two classes whose dates overlap.
func TestClassOverlappingEnrolmentRefused(t *testing.T) {
	w := newClassWorld(t)
	p := w.people(t, "a1", domain.StageSource, 1)
	c1 := w.class(t, "NT-1", day(2024, 3, 4), "kp")  // 4–7 March
	c2 := w.class(t, "NT-2", day(2024, 3, 7), "kp")  // 7–12 March: shares 7 March
	c3 := w.class(t, "NT-3", day(2024, 3, 11), "kp") // 11–14 March
	w.enrol(t, c1, p)
	_, err := w.svc.Enrol(w.trainer, c2.ID, p, "")
	t.Log(wantErr(t, err, domain.EConflict).Message)
	w.enrol(t, c3, p) // 11 March is after 7 March: no overlap with NT-1
	// Cancelling NT-1 frees the person for NT-2? No: NT-3 overlaps NT-2 too.
	v := w.view(t, c1.ID)
	if _, err := w.svc.CancelClass(w.trainer, c1.ID, "Không đủ giảng viên", v.Version); err != nil {
		t.Fatal(err)
	}
	_, err = w.svc.Enrol(w.trainer, c2.ID, p, "")
	wantErr(t, err, domain.EConflict)
	v3 := w.view(t, c3.ID)
	if err := w.svc.Withdraw(w.trainer, v3.Learners[0].ID, v3.Learners[0].Version); err != nil {
		t.Fatal(err)
	}
	w.enrol(t, c2, p)
	// A probationary member is not a learner of the awareness class.
	_, err = w.svc.Enrol(w.trainer, c2.ID, w.people(t, "a1", domain.StageProbationary, 1), "")
	wantErr(t, err, domain.EConflict)
}

// Enrolment comes from the units the class serves; a chapter's whole list at once.
func TestClassBulkEnrolmentByChapter(t *testing.T) {
	w := newClassWorld(t)
	c := w.class(t, "NT-1", day(2024, 3, 4), "xa-a")
	w.people(t, "a1", domain.StageSource, 6)
	w.people(t, "a1", domain.StageCandidate, 2)
	w.people(t, "a1", domain.StageProbationary, 3)
	outside := w.people(t, "b1", domain.StageSource, 2)
	page, err := w.svc.Eligible(w.trainer, c.ID, service.EligibleQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != 8 {
		t.Errorf("%d eligible, want 8 (sources and candidates of xa-a)", page.Total)
	}
	ls, err := w.svc.Enrol(w.trainer, c.ID, nil, "a1")
	if err != nil || len(ls) != 8 {
		t.Fatalf("bulk enrolment: %d, %v", len(ls), err)
	}
	_, err = w.svc.Enrol(w.trainer, c.ID, nil, "a1")
	wantErr(t, err, domain.EConflict) // nobody left
	_, err = w.svc.Enrol(w.trainer, c.ID, outside, "")
	t.Log(wantErr(t, err, domain.EConflict).Message)
	// New-member classes take probationary members.
	nm, err := w.svc.CreateClass(w.trainer, service.ClassInput{Code: "DVM-1", Name: "Lớp đảng viên mới", Programme: domain.ProgNewMember,
		OrgCode: "kp", StartDate: day(2024, 4, 1), Sessions: 8, UnitCodes: []string{"kp"}})
	if err != nil {
		t.Fatal(err)
	}
	if ls, err := w.svc.Enrol(w.trainer, nm.ID, nil, "a1"); err != nil || len(ls) != 3 {
		t.Errorf("new-member class: %d, %v", len(ls), err)
	}
}

// Scope: a chapter secretary sees a class serving their commune, only with
// their own chapter's learners; a secretary elsewhere does not see it.
func TestClassScope(t *testing.T) {
	w := newClassWorld(t)
	c := w.class(t, "NT-1", day(2024, 3, 4), "xa-a")
	w.enrol(t, c, w.people(t, "a1", domain.StageSource, 3))
	w.enrol(t, c, w.people(t, "a2", domain.StageSource, 2))
	_, secA1 := mkUser(t, w.svc, w.sys, "bithu.a1", domain.RoleSecretary, "a1")
	_, secB1 := mkUser(t, w.svc, w.sys, "bithu.b1", domain.RoleSecretary, "b1")
	_, trainerB := mkUser(t, w.svc, w.sys, "ttct.b", domain.RoleTrainer, "xa-b")
	v, err := w.svc.Class(secA1, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Learners) != 3 || v.Enrolled != 5 || v.CanWrite {
		t.Errorf("a1's secretary sees %d learners of %d, can write %v", len(v.Learners), v.Enrolled, v.CanWrite)
	}
	for _, l := range v.Learners {
		if l.OrgName != "Chi bộ thôn 1" {
			t.Errorf("a1's secretary sees a learner of %s", l.OrgName)
		}
	}
	_, err = w.svc.Class(secB1, c.ID)
	wantErr(t, err, domain.EForbidden)
	page, err := w.svc.Classes(secB1, service.ClassQuery{})
	if err != nil || page.Total != 0 {
		t.Errorf("b1's secretary lists %v classes (%v)", page, err)
	}
	page, err = w.svc.Classes(secA1, service.ClassQuery{})
	if err != nil || page.Total != 1 {
		t.Errorf("a1's secretary lists %v classes (%v)", page, err)
	}
	_, err = w.svc.Enrol(secA1, c.ID, w.people(t, "a1", domain.StageSource, 1), "")
	wantErr(t, err, domain.EForbidden)
	_, err = w.svc.OpenClass(trainerB, c.ID, c.StartDate, "x", v.Version)
	wantErr(t, err, domain.EForbidden)
	// The certificate of a learner of a1 is not shown to b1's secretary.
	if _, err := w.svc.AwarenessCertificateValidOn(secB1, v.Learners[0].PersonID, day(2024, 3, 4)); domain.ErrorCode(err) != domain.EForbidden {
		t.Errorf("b1's secretary reads a1's certificate: %v", err)
	}
}

// The report counts classes, learners and passes of the year up to the
// date, and the sources waiting more than 6 months.
func TestClassReport(t *testing.T) {
	w := newClassWorld(t)
	c := w.class(t, "NT-1", day(2024, 3, 4), "kp")
	a := w.people(t, "a1", domain.StageSource, 20)
	b := w.people(t, "b1", domain.StageSource, 6)
	ls := w.enrol(t, c, slices.Concat(a[:18], b[:5]))
	w.open(t, c, "Lớp ghép hai xã")
	w.attend(t, c, map[int64][]int{ls[0].ID: {0, 0, 5, 5}})
	var in []service.ResultInput
	for i, l := range ls[1:] {
		s := 700
		if i < 2 {
			s = 200
		}
		in = append(in, service.ResultInput{LearnerID: l.ID, Score1: sc(s), Score2: sc(s), Version: w.learner(t, c.ID, l.ID).Version})
	}
	if err := w.svc.SaveResults(w.trainer, c.ID, in); err != nil {
		t.Fatal(err)
	}
	// Pool dates: a[18] waiting exactly 6 months on 4/5/2024, a[19] one day more.
	if err := w.svc.SetSourceSince(w.sys, a[18], day(2023, 11, 4)); err != nil {
		t.Fatal(err)
	}
	if err := w.svc.SetSourceSince(w.sys, a[19], day(2023, 11, 3)); err != nil {
		t.Fatal(err)
	}
	if err := w.svc.SetSourceSince(w.sys, b[5], day(2024, 1, 1)); err != nil {
		t.Fatal(err)
	}
	r, err := w.svc.ClassReport(w.trainer, service.ClassReportQuery{ReportQuery: service.ReportQuery{OrgCode: "kp", Year: 2024, AsOf: day(2024, 5, 4)}})
	if err != nil {
		t.Fatal(err)
	}
	want := func(name string, got, want int) {
		t.Helper()
		if got != want {
			t.Errorf("%s = %d, want %d", name, got, want)
		}
	}
	want("classes", r.Awareness.Classes, 1)
	want("learners", r.Awareness.Learners, 23)
	want("passed", r.Awareness.Passed, 20)
	want("failed", r.Awareness.Failed, 2)
	want("ineligible", r.Awareness.Ineligible, 1)
	want("new-member classes", r.NewMember.Classes, 0)
	want("sources not sent", r.NotSent, 1)
	if len(r.ByChapter) != 1 || r.ByChapter[0].Code != "a1" {
		t.Errorf("by chapter: %+v", r.ByChapter)
	}
	r, _ = w.svc.ClassReport(w.trainer, service.ClassReportQuery{ReportQuery: service.ReportQuery{OrgCode: "xa-b", Year: 2024, AsOf: day(2024, 5, 4)}})
	want("xa-b classes", r.Awareness.Classes, 1)
	want("xa-b learners", r.Awareness.Learners, 5)
	r, _ = w.svc.ClassReport(w.trainer, service.ClassReportQuery{ReportQuery: service.ReportQuery{OrgCode: "kp", Year: 2024, AsOf: day(2024, 3, 1)}})
	want("classes before the start", r.Awareness.Classes, 0)
	r, _ = w.svc.ClassReport(w.trainer, service.ClassReportQuery{ReportQuery: service.ReportQuery{OrgCode: "kp", Year: 2024, AsOf: day(2024, 3, 6)}})
	want("passed before the essay", r.Awareness.Passed, 0)
	want("learners before the essay", r.Awareness.Learners, 23)
	r, _ = w.svc.ClassReport(w.trainer, service.ClassReportQuery{ReportQuery: service.ReportQuery{OrgCode: "kp", Year: 2024, AsOf: day(2024, 5, 5)}})
	want("sources not sent a day later", r.NotSent, 2)
	r, _ = w.svc.ClassReport(w.trainer, service.ClassReportQuery{ReportQuery: service.ReportQuery{OrgCode: "kp", Year: 2024, AsOf: day(2024, 5, 4)}, Months: 4})
	want("sources not sent for 4 months", r.NotSent, 3)
}
