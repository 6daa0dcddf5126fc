package service_test

import (
	"strings"
	"testing"

	"ketnap/internal/domain"
	"ketnap/internal/service"
)

// A grassroots committee's resolution below its threshold (HD06 §3.6c)
// goes to the deciding body like a chapter's (HD06 §5.1): the case waits
// for the body's conclusion, which only a user whose scope holds that body
// records (the grassroots committee's organizer does not; the district's
// does). A chapter meeting's result shows the new stage as not passed.
func TestFailedCommitteeVoteGoesToTheDecidingBody(t *testing.T) {
	w := newCaseWorld(t)
	_, xaCtx := mkUser(t, w.svc, w.ctx, "vanphong.eakly", domain.RoleOrganizer, "xa-eakly")
	_, huyenCtx := mkUser(t, w.svc, w.ctx, "bantochuc", domain.RoleOrganizer, "huyen")
	_, secCtx := mkUser(t, w.svc, w.ctx, "bithu.thon1", domain.RoleSecretary, "cb-thon1")
	p := w.person("cb-thon1", domain.StageSource, day(2001, 1, 1))
	q := w.person("cb-thon1", domain.StageSource, day(2002, 2, 2))
	c := w.dossier(p, day(2023, 3, 1), 2)
	c2 := w.dossier(q, day(2023, 3, 1), 2)
	w.clock(2023, 5, 10)
	res, err := w.svc.ChapterMeeting(secCtx, service.MeetingInput{Purpose: domain.PurposeAdmission, Date: day(2023, 5, 10), Number: "NQ-05",
		Members: 12, Excluded: 1, Present: 11, Votes: []service.MeetingVote{{CaseID: c.ID, Version: c.Version, Yes: 10, No: 1},
			{CaseID: c2.ID, Version: c2.Version, Yes: 6, No: 5}}})
	if err != nil || res[0].Err != nil || res[1].Err != nil {
		t.Fatalf("meeting: %v %+v", err, res)
	}
	if res[0].Case.Stage != domain.CaseChapterVoted || res[1].Case.Stage != domain.CaseVoteFailed {
		t.Fatalf("meeting results %s, %s; want chapter_voted, vote_failed", res[0].Case.Stage, res[1].Case.Stage)
	}
	c = res[0].Case
	w.clock(2023, 5, 20)
	c = w.must(w.svc.Vote(xaCtx, c.ID, domain.PurposeAdmission, committeeVote(day(2023, 5, 19), 5, c.Version))) // 5 of 9 < 2/3
	v := w.view(c.ID)
	if v.Stage != domain.CaseVoteFailed || v.NextOwner != domain.OwnerBoard || !strings.Contains(v.NextAction, "Đảng ủy cơ sở biểu quyết 5/9") {
		t.Fatalf("after the committee's 5/9: stage %s next %q (%s)", v.Stage, v.NextAction, v.NextOwner)
	}
	in := service.ConclusionInput{Number: "21-TB/HU", Date: day(2023, 5, 20), Conclusion: "Không kết nạp; chi bộ tiếp tục giúp đỡ", Version: c.Version}
	_, err = w.svc.Conclude(xaCtx, c.ID, in)
	if e := wantErr(t, err, domain.EForbidden); !strings.Contains(e.Message, "Đảng bộ huyện Krông Pắc") {
		t.Errorf("the grassroots committee's organizer: %v", e)
	}
	// neither a withdrawal nor a refusal ends it: the conclusion does
	_, err = w.svc.WithdrawCase(huyenCtx, c.ID, service.CloseInput{Date: day(2023, 5, 20), Reason: "Xin rút khỏi danh sách", Version: c.Version})
	wantErr(t, err, domain.EInvalid)
	_, err = w.svc.RefuseCase(huyenCtx, c.ID, service.CloseInput{Date: day(2023, 5, 20), Reason: "Không kết nạp", Version: c.Version})
	wantErr(t, err, domain.EInvalid)
	// the decision cannot be recorded on a failed vote
	_, err = w.svc.Decide(huyenCtx, c.ID, domain.PurposeAdmission, decision("22-QĐ/HU", day(2023, 5, 20), nil, 5, c.Version))
	wantErr(t, err, domain.EInvalid)
	c = w.must(w.svc.Conclude(huyenCtx, c.ID, in))
	if c.Stage != domain.CaseRefused || !strings.Contains(c.CloseReason, "đảng ủy cơ sở") {
		t.Errorf("after the conclusion: %s %q", c.Stage, c.CloseReason)
	}
	if pv, _ := w.svc.Person(w.ctx, p.ID, false); pv.Stage != domain.StageSource {
		t.Errorf("person %s after the conclusion; want a source again", pv.Stage)
	}
	v = w.view(c.ID)
	found := false
	for _, d := range v.Documents {
		found = found || (d.Kind == domain.DocVoteConclusion && d.Number == "21-TB/HU" && d.Note == in.Conclusion)
	}
	if !found || !strings.Contains(timelineText(v), "Thông báo kết luận") {
		t.Errorf("the conclusion is not on the case: %+v", v.Documents)
	}
	if action, detail := lastAudit(t, w, c.ID); action != "conclusion" || detail["number"] != "21-TB/HU" {
		t.Errorf("audit %s %v", action, detail)
	}
}
