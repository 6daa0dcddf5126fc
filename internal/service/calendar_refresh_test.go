package service_test

import (
	"strings"
	"testing"

	"ketnap/internal/calendar"
	"ketnap/internal/domain"
	"ketnap/internal/service"
)

// Recording (or forgetting) a year's holiday schedule moves the stored
// working-day deadlines it crosses: the awaited verification reply (30
// working days, HD06 §3.4) and the decision after the chapter's
// resolution (60 working days under QĐ24/HD01 §3), as "Việc cần làm"
// reads them; a deadline before the year stays.
func TestRecordingAScheduleMovesStoredDeadlines(t *testing.T) {
	w := newCaseWorld(t)
	// a dossier waiting for its verification reply, sent Mon 3/6/2024
	p := w.person("cb-thon1", domain.StageSource, day(1995, 5, 5))
	helper := w.member("cb-thon1")
	w.clock(2024, 6, 3)
	c := w.must(w.svc.OpenCase(w.ctx, service.OpenCaseInput{PersonID: p.ID, HelperID: helper.ID}))
	c = w.must(w.svc.OpenDossier(w.ctx, c.ID, service.DateInput{Date: day(2024, 6, 3), Version: c.Version}))
	c = w.must(w.svc.RequestVerification(w.ctx, c.ID, service.VerificationInput{Subject: "candidate", Addressee: "Đảng ủy xã Hòa An",
		SentOn: day(2024, 6, 3), Version: c.Version}))
	// a case voted by its chapter on Mon 3/6/2024, waiting for the decision
	q := w.person("cb-thpt", domain.StageSource, day(1996, 6, 6))
	voted := w.dossier(q, day(2024, 3, 1), 2)
	w.clock(2024, 6, 3)
	voted = w.must(w.svc.Vote(w.ctx, voted.ID, domain.PurposeAdmission, chapterVote(day(2024, 6, 3), 11, voted.Version)))
	// a reply awaited since 2023, due before 2024: out of the window
	old := w.person("cb-thon2", domain.StageSource, day(1994, 4, 4))
	w.clock(2023, 9, 4)
	oc := w.must(w.svc.OpenCase(w.ctx, service.OpenCaseInput{PersonID: old.ID, HelperID: w.member("cb-thon2").ID}))
	oc = w.must(w.svc.OpenDossier(w.ctx, oc.ID, service.DateInput{Date: day(2023, 9, 4), Version: oc.Version}))
	w.must(w.svc.RequestVerification(w.ctx, oc.ID, service.VerificationInput{Subject: "candidate", Addressee: "Đảng ủy xã Hòa An",
		SentOn: day(2023, 9, 4), Version: oc.Version}))
	// a reply counted from its receipt, Wed 5/6/2024 (HD06 §3.4)
	rp := w.person("cb-thon1", domain.StageSource, day(1997, 7, 7))
	w.clock(2024, 6, 5)
	rc := w.must(w.svc.OpenCase(w.ctx, service.OpenCaseInput{PersonID: rp.ID, OpenedOn: day(2024, 6, 3), HelperID: helper.ID}))
	rc = w.must(w.svc.OpenDossier(w.ctx, rc.ID, service.DateInput{Date: day(2024, 6, 3), Version: rc.Version}))
	rc = w.must(w.svc.RequestVerification(w.ctx, rc.ID, service.VerificationInput{Subject: "candidate", Addressee: "Đảng ủy xã Hòa An",
		SentOn: day(2024, 6, 3), ReceivedOn: dayp(2024, 6, 5), Version: rc.Version}))
	w.clock(2024, 6, 4)

	stored := func(id int64) (reply, next string) {
		v := w.view(id)
		if len(v.Verifications) > 0 {
			reply = v.Verifications[0].Due.Format(domain.DateLayout)
		}
		if v.NextDue != nil {
			next = v.NextDue.Format(domain.DateLayout)
		}
		return reply, next
	}
	reply0, _ := stored(c.ID)
	_, decision0 := stored(voted.ID)
	oldReply0, _ := stored(oc.ID)
	if want := addWorkdays(t, w.svc, day(2024, 6, 3), 30); reply0 != want {
		t.Fatalf("reply due %s; want %s", reply0, want)
	}

	// a day off added on Fri 14/6/2024 (an invented decision)
	sch, err := calendar.YearSchedule(2024)
	if err != nil {
		t.Fatal(err)
	}
	sch.Official, sch.Source = true, "Quyết định nghỉ thêm (thử nghiệm)"
	sch.Days = append(sch.Days, calendar.Day{Date: day(2024, 6, 14), Kind: calendar.KindSwappedOff, Name: "Nghỉ thêm"})
	if err := w.svc.RecordSchedule(w.ctx, sch); err != nil {
		t.Fatal(err)
	}
	reply1, _ := stored(c.ID)
	_, decision1 := stored(voted.ID)
	oldReply1, _ := stored(oc.ID)
	if want := addWorkdays(t, w.svc, day(2024, 6, 3), 30); reply1 != want || reply1 == reply0 {
		t.Errorf("reply due %s after the schedule (was %s); want %s", reply1, reply0, want)
	}
	if want := addWorkdays(t, w.svc, day(2024, 6, 3), 60); decision1 != want || decision1 == decision0 {
		t.Errorf("decision due %s after the schedule (was %s); want %s", decision1, decision0, want)
	}
	if got, want := w.view(rc.ID).Verifications[0].Due.Format(domain.DateLayout), addWorkdays(t, w.svc, day(2024, 6, 5), 30); got != want {
		t.Errorf("reply counted from the receipt due %s after the schedule; want %s", got, want)
	}
	if oldReply1 != oldReply0 {
		t.Errorf("a 2023 reply moved: %s → %s", oldReply0, oldReply1)
	}
	// the todo list reads the stored deadline
	page, err := w.svc.Todo(w.ctx, service.TodoQuery{Days: 365})
	if err != nil {
		t.Fatal(err)
	}
	todo := map[int64]string{}
	for _, it := range page.Items {
		todo[it.CaseID] += it.Kind + " " + it.Due.Format(domain.DateLayout) + ";"
	}
	if want := domain.DeadlineDecision + " " + decision1 + ";"; todo[voted.ID] != want {
		t.Errorf("Việc cần làm shows %q for the voted case; want %q", todo[voted.ID], want)
	}
	if want := domain.DeadlineVerification + " " + reply1 + ";"; !strings.Contains(todo[c.ID], want) {
		t.Errorf("Việc cần làm shows %q for the dossier; want %q", todo[c.ID], want)
	}

	// forgetting the schedule restores the built-in one
	if err := w.svc.ForgetSchedule(w.ctx, 2024); err != nil {
		t.Fatal(err)
	}
	if reply, _ := stored(c.ID); reply != reply0 {
		t.Errorf("reply due %s after forgetting; want %s", reply, reply0)
	}
	if _, next := stored(voted.ID); next != decision0 {
		t.Errorf("decision due %s after forgetting; want %s", next, decision0)
	}
}
