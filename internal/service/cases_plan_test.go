package service_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"ketnap/internal/api"
	"ketnap/internal/domain"
	"ketnap/internal/httpx"
	"ketnap/internal/rules"
	"ketnap/internal/service"
)

// wantPlans fails unless the calls made with the counting context computed
// total plans, none of them outside a transaction.
func wantPlans(t *testing.T, what string, count func() (int64, int64), total int64) {
	t.Helper()
	if n, outside := count(); n != total || outside != 0 {
		t.Errorf("%s: %d plans, %d outside a transaction; want %d, all inside", what, n, outside, total)
	}
}

// A chapter vote is one service call whose plan is computed once, inside
// the step's transaction, and the case it returns is built from that plan:
// through the service, a refusal (rolled back whole), the API handler and
// a chapter meeting. Reading a case computes its plan outside any
// transaction, which shows the count tells the two apart.
func TestChapterVotePlansOnceInsideTheTransaction(t *testing.T) {
	w := newCaseWorld(t)
	ready := w.dossier(w.person("cb-thpt", domain.StageSource, day(2000, 1, 1)), day(2023, 1, 9), 2)
	w.clock(2023, 4, 3)

	ctx, count := service.CountPlans(w.ctx)
	v, err := w.svc.Vote(ctx, ready.ID, domain.PurposeAdmission, chapterVote(day(2023, 4, 3), 10, ready.Version))
	if err != nil {
		t.Fatal(err)
	}
	wantPlans(t, "service", count, 1)
	if v.Stage != domain.CaseChapterVoted || v.NextOwner != domain.OwnerBoard || v.Decider == nil || v.Decider.Code != "huyen" ||
		len(v.Deadlines) != 1 || v.Deadlines[0].Kind != domain.DeadlineDecision || len(v.Votes) != 1 || len(v.Verdicts) == 0 {
		t.Errorf("the case after the vote: stage %s next %q (%s) decider %v deadlines %+v votes %d verdicts %d",
			v.Stage, v.NextAction, v.NextOwner, v.Decider, v.Deadlines, len(v.Votes), len(v.Verdicts))
	}
	if got := w.view(v.ID); got.Version != v.Version || got.NextAction != v.NextAction || got.NextDue.Compare(*v.NextDue) != 0 {
		t.Errorf("stored %d %q %v, returned %d %q %v", got.Version, got.NextAction, got.NextDue, v.Version, v.NextAction, v.NextDue)
	}

	// Refused: one plan, and nothing of the step is left (the vote was
	// written before the judgement, in the same transaction).
	young := w.dossier(w.person("cb-thpt", domain.StageSource, day(2000, 2, 2)), day(2023, 1, 9), 1)
	w.clock(2023, 4, 3)
	ctx, count = service.CountPlans(w.ctx)
	_, err = w.svc.Vote(ctx, young.ID, domain.PurposeAdmission, chapterVote(day(2023, 4, 3), 10, young.Version))
	refused(t, err, rules.RuleIntroducers)
	wantPlans(t, "refused", count, 1)
	if got := w.view(young.ID); got.Version != young.Version || got.Stage != domain.CaseDossier || len(got.Votes) != 0 {
		t.Errorf("after the refusal: version %d (was %d), stage %s, %d votes", got.Version, young.Version, got.Stage, len(got.Votes))
	}

	// Through the API handler, as the chapter's secretary.
	viaAPI := w.dossier(w.person("cb-thpt", domain.StageSource, day(2000, 3, 3)), day(2023, 1, 9), 2)
	w.clock(2023, 4, 3)
	handler, token := apiHandler(t, w)
	ctx, count = service.CountPlans(w.ctx)
	body, _ := json.Marshal(map[string]any{"level": "chapter", "number": "04-NQ/CB", "date": "2023-04-03", "members": 12,
		"excluded": 1, "present": 11, "yes": 10, "no": 1, "version": viaAPI.Version})
	rec := httptest.NewRecorder()
	req := httptest.NewRequestWithContext(ctx, "POST", fmt.Sprintf("/api/v1/cases/%d/admission-vote", viaAPI.ID), bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	handler.ServeHTTP(rec, req)
	var answer struct {
		Stage   string `json:"stage"`
		Version int64  `json:"version"`
		Next    struct {
			Owner string `json:"owner"`
		} `json:"next"`
		Checks []json.RawMessage `json:"checks"`
	}
	if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &answer) != nil || answer.Stage != domain.CaseChapterVoted ||
		answer.Version != viaAPI.Version+1 || answer.Next.Owner != domain.OwnerBoard || len(answer.Checks) == 0 {
		t.Fatalf("POST admission-vote: %d %s", rec.Code, rec.Body)
	}
	wantPlans(t, "API", count, 1)
	rec = httptest.NewRecorder()
	req = httptest.NewRequestWithContext(ctx, "GET", fmt.Sprintf("/api/v1/cases/%d", viaAPI.ID), nil)
	req.Header.Set("Authorization", "Bearer "+token)
	handler.ServeHTTP(rec, req)
	if n, outside := count(); rec.Code != http.StatusOK || n != 2 || outside != 1 {
		t.Errorf("GET after the vote: %d; %d plans, %d outside a transaction; want the read's own plan, outside", rec.Code, n, outside)
	}

	// A chapter meeting: one plan per candidate, each in its own transaction.
	a := w.dossier(w.person("cb-thpt", domain.StageSource, day(2000, 4, 4)), day(2023, 1, 9), 2)
	b := w.dossier(w.person("cb-thpt", domain.StageSource, day(2000, 5, 5)), day(2023, 1, 9), 2)
	w.clock(2023, 4, 3)
	ctx, count = service.CountPlans(w.ctx)
	res, err := w.svc.ChapterMeeting(ctx, service.MeetingInput{Purpose: domain.PurposeAdmission, Date: day(2023, 4, 3), Number: "05-NQ/CB",
		Members: 12, Excluded: 1, Present: 11, Votes: []service.MeetingVote{{CaseID: a.ID, Version: a.Version, Yes: 11},
			{CaseID: b.ID, Version: b.Version, Yes: 11}}})
	if err != nil || len(res) != 2 || res[0].Err != nil || res[1].Err != nil || res[1].Case.Stage != domain.CaseChapterVoted {
		t.Fatalf("meeting: %+v %v", res, err)
	}
	wantPlans(t, "meeting", count, 2)
}

// apiHandler is the API over the world's service, and a bearer token of
// the secretary of the school's chapter.
func apiHandler(t *testing.T, w *caseWorld) (http.Handler, string) {
	t.Helper()
	if _, err := w.svc.CreateUser(w.ctx, service.NewUser{Username: "bithu-thpt", Role: domain.RoleSecretary, OrgCode: "cb-thpt",
		Password: "mật khẩu dài dài"}); err != nil {
		t.Fatal(err)
	}
	token, _, err := w.svc.CreateToken(w.ctx, service.TokenInput{Username: "bithu-thpt", Name: "test"})
	if err != nil {
		t.Fatal(err)
	}
	sm := httpx.NewSessions(w.svc, false)
	mux := http.NewServeMux()
	api.New(w.svc, sm).Register(mux)
	return sm.LoadAndSave(httpx.Authenticate(w.svc, sm)(mux)), token
}
