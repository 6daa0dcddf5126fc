package service_test

import (
	"testing"

	"ketnap/internal/domain"
	"ketnap/internal/service"
)

// A step recorded months after its date sets deadlines that were pending
// from its own date: "Việc cần làm" as of a day between the step's date
// and the day it was recorded lists them, and not before the step.
func TestDeadlinesOfALateStepCountFromItsDate(t *testing.T) {
	w := newCaseWorld(t)
	p := w.person("cb-thpt", domain.StageSource, day(2004, 9, 1))
	c := w.dossier(p, day(2023, 1, 9), 2)

	// the chapter's vote of 20/04/2023 entered on 10/01/2024
	w.clock(2024, 1, 10)
	c = w.must(w.svc.Vote(w.ctx, c.ID, domain.PurposeAdmission, chapterVote(day(2023, 4, 20), 8, c.Version)))
	if c.Stage != domain.CaseChapterVoted {
		t.Fatalf("stage %s after the vote", c.Stage)
	}
	decisions := func(asof, overdue bool, d int) int {
		t.Helper()
		q := service.TodoQuery{AsOf: day(2023, 5, 2), Days: 120, Kinds: []string{domain.DeadlineDecision}, Overdue: overdue}
		if !asof {
			q.AsOf = day(2023, 4, 19)
		}
		if d != 0 {
			q.AsOf = day(2023, 8, d)
		}
		todo, err := w.svc.Todo(w.ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range todo.Items {
			if it.CaseID == c.ID && !it.Due.Equal(day(2023, 7, 18)) {
				t.Errorf("the decision due %v, want 2023-07-18", it.Due)
			}
		}
		return todo.Total
	}
	if n := decisions(true, false, 0); n != 1 {
		t.Errorf("as of 02/05/2023 (after the vote, before it was entered): %d decisions due, want 1", n)
	}
	if n := decisions(false, false, 0); n != 0 {
		t.Errorf("as of 19/04/2023 (before the vote): %d decisions due, want 0", n)
	}
	if n := decisions(true, true, 1); n != 1 {
		t.Errorf("as of 01/08/2023: %d decisions overdue, want 1", n)
	}
	// the case list of that day has it at the stage of the vote
	if list, err := w.svc.Cases(w.ctx, service.CaseQuery{AsOf: day(2023, 5, 2), Stages: []string{domain.CaseChapterVoted}}); err != nil || list.Total != 1 {
		t.Errorf("cases at the chapter-voted stage as of 02/05/2023: %+v %v", list, err)
	}
}
