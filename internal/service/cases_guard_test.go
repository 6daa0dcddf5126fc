package service_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/rules"
	"ketnap/internal/service"
)

// Two people change the same case: the second, holding the version both
// saw, gets a 409 in Vietnamese and nothing of theirs is written.
func TestCaseStaleVersionIsAConflict(t *testing.T) {
	w := newCaseWorld(t)
	p := w.person("cb-thpt", domain.StageSource, day(2000, 1, 1))
	c := w.must(w.svc.OpenCase(w.ctx, service.OpenCaseInput{PersonID: p.ID}))
	a, b := w.member("cb-thpt"), w.member("cb-thpt")
	seen := c.Version
	w.must(w.svc.AssignHelper(w.ctx, c.ID, service.HelperInput{PersonID: a.ID, Version: seen}))
	audits := countTable(t, w.svc, "audit_log")
	_, err := w.svc.AssignHelper(w.ctx, c.ID, service.HelperInput{PersonID: b.ID, Version: seen})
	e := wantErr(t, err, domain.EConflict)
	if !strings.Contains(e.Message, "vừa được người khác thay đổi") {
		t.Errorf("message %q", e.Message)
	}
	if v := w.view(c.ID); v.Helper == nil || v.Helper.ID != a.ID || v.Version != seen+1 {
		t.Errorf("helper %v version %d; want the first change kept", v.Helper, v.Version)
	}
	if n := countTable(t, w.svc, "audit_log"); n != audits {
		t.Errorf("the refused change wrote %d audit records", n-audits)
	}
}

// A step the rules refuse writes nothing: no vote, no change of stage or
// version, no audit record; the refusal lists each failing verdict with
// its source.
func TestCaseRefusedStepWritesNothing(t *testing.T) {
	w := newCaseWorld(t)
	p := w.person("cb-thpt", domain.StageSource, day(2006, 6, 1)) // 16 at the vote
	c := w.dossier(p, day(2023, 1, 9), 1)
	w.clock(2023, 4, 3)
	before := map[string]int{}
	for _, tb := range []string{"case_votes", "audit_log", "memberships", "case_deadlines"} {
		before[tb] = countTable(t, w.svc, tb)
	}
	_, err := w.svc.Vote(w.ctx, c.ID, domain.PurposeAdmission, chapterVote(day(2023, 4, 3), 11, c.Version))
	r := refused(t, err, rules.RuleAge)
	refused(t, err, rules.RuleIntroducers)
	if !strings.Contains(r.Error(), "QĐ24 §1.1") || !strings.Contains(r.Error(), "Chưa đủ 18 tuổi") {
		t.Errorf("message %q; want the age rule and its source", r.Error())
	}
	for tb, n := range before {
		if got := countTable(t, w.svc, tb); got != n {
			t.Errorf("%s: %d rows, was %d", tb, got, n)
		}
	}
	if v := w.view(c.ID); v.Stage != domain.CaseDossier || v.Version != c.Version {
		t.Errorf("stage %s version %d after a refused step; want dossier, %d", v.Stage, v.Version, c.Version)
	}
}

// A secretary sees and changes only the cases of their subtree: another
// chapter's secretary gets 403 and never sees the case in a list; a
// secretary cannot record the steps of the competent body.
func TestCaseScope(t *testing.T) {
	w := newCaseWorld(t)
	_, mine := mkUser(t, w.svc, w.ctx, "bithu.thon1", domain.RoleSecretary, "cb-thon1")
	_, other := mkUser(t, w.svc, w.ctx, "bithu.thon2", domain.RoleSecretary, "cb-thon2")
	_, viewer := mkUser(t, w.svc, w.ctx, "lanhdao", domain.RoleViewer, "huyen")
	p := w.person("cb-thon1", domain.StageSource, day(1999, 9, 9))
	c := w.dossier(p, day(2023, 1, 9), 2)

	if _, err := w.svc.Case(other, c.ID); domain.ErrorCode(err) != domain.EForbidden {
		t.Errorf("another chapter's secretary reads the case: %v", err)
	}
	if _, err := w.svc.Vote(other, c.ID, domain.PurposeAdmission, chapterVote(day(2023, 3, 10), 9, c.Version)); domain.ErrorCode(err) != domain.EForbidden {
		t.Errorf("another chapter's secretary votes: %v", err)
	}
	if _, err := w.svc.CaseFile(other, c.ID, 1); domain.ErrorCode(err) != domain.EForbidden {
		t.Errorf("another chapter's secretary reads a file: %v", err)
	}
	for _, q := range []service.CaseQuery{{}, {Query: "Thứ"}, {OrgCode: "cb-thon2"}} {
		page, err := w.svc.Cases(other, q)
		if err != nil || page.Total != 0 || len(page.Cases) != 0 {
			t.Errorf("another chapter's list %+v: %d cases, %v", q, page.Total, err)
		}
	}
	if _, err := w.svc.Cases(other, service.CaseQuery{OrgCode: "cb-thon1"}); domain.ErrorCode(err) != domain.EForbidden {
		t.Errorf("listing another chapter: %v", err)
	}
	if todo, err := w.svc.Todo(other, service.TodoQuery{Days: 3660}); err != nil || todo.Total != 0 {
		t.Errorf("another chapter's todo: %+v %v", todo, err)
	}
	page, err := w.svc.Cases(mine, service.CaseQuery{Query: "thu"})
	if err != nil || page.Total != 1 || page.Cases[0].ID != c.ID || page.Cases[0].OrgCode != "cb-thon1" {
		t.Errorf("own list, diacritics ignored: %+v %v", page, err)
	}
	if _, err := w.svc.Case(viewer, c.ID); err != nil {
		t.Errorf("a leader reads the case: %v", err)
	}
	if _, err := w.svc.AssignHelper(viewer, c.ID, service.HelperInput{PersonID: 1, Version: c.Version}); domain.ErrorCode(err) != domain.EForbidden {
		t.Errorf("a leader changes the case: %v", err)
	}
	w.clock(2023, 3, 10)
	c = w.must(w.svc.Vote(mine, c.ID, domain.PurposeAdmission, chapterVote(day(2023, 3, 10), 9, c.Version)))
	if _, err := w.svc.Vote(mine, c.ID, domain.PurposeAdmission, committeeVote(day(2023, 3, 10), 9, c.Version)); domain.ErrorCode(err) != domain.EForbidden {
		t.Errorf("a secretary records the committee's vote: %v", err)
	}
}

// Scans: PDF, JPEG or PNG by their content, at most 10 MB, checksummed.
func TestCaseFiles(t *testing.T) {
	w := newCaseWorld(t)
	p := w.person("cb-thpt", domain.StageSource, day(2000, 1, 1))
	c := w.must(w.svc.OpenCase(w.ctx, service.OpenCaseInput{PersonID: p.ID}))
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0}, 64)...)
	f, err := w.svc.AttachFile(w.ctx, c.ID, service.FileInput{Kind: rules.FormApplication, Name: `C:\scan\don.png`, Data: png, Version: c.Version})
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(png)
	if f.ContentType != "image/png" || f.SHA256 != hex.EncodeToString(sum[:]) || f.Name != "don.png" || f.Size != int64(len(png)) {
		t.Errorf("stored %+v", f)
	}
	got, err := w.svc.CaseFile(w.ctx, c.ID, f.ID)
	if err != nil || !bytes.Equal(got.Data, png) {
		t.Fatalf("read back: %v", err)
	}
	v := w.view(c.ID)
	if len(v.Files) != 1 || v.Files[0].Data != nil {
		t.Errorf("the case lists %d files (with contents: %v)", len(v.Files), v.Files[0].Data != nil)
	}
	for _, it := range v.Checklist {
		if it.Kind == rules.FormApplication && (len(it.FileIDs) != 1 || it.FileIDs[0] != f.ID) {
			t.Errorf("checklist item %+v does not link the scan", it)
		}
	}

	_, err = w.svc.AttachFile(w.ctx, c.ID, service.FileInput{Name: "lyich.pdf", Data: []byte("Họ và tên: Nguyễn Văn A\n"), Version: v.Version})
	if e := wantErr(t, err, domain.EInvalid); e.Field != "file" || !strings.Contains(e.Message, "text/plain") {
		t.Errorf("renamed text file: %+v", e)
	}
	big := append([]byte("%PDF-1.4\n"), make([]byte, service.MaxFileSize)...)
	_, err = w.svc.AttachFile(w.ctx, c.ID, service.FileInput{Name: "to.pdf", Data: big, Version: v.Version})
	wantErr(t, err, domain.ETooLarge)
	if n := countTable(t, w.svc, "case_files"); n != 1 {
		t.Errorf("%d files stored, want only the PNG", n)
	}
}

// The decision's deadline counts working days across Tết (QĐ24 §4.3.1:
// 60 working days): from the chapter resolution of 10/01/2024, Tết (8–14/2)
// moves it from 03/04 to 10/04/2024. "Việc cần làm" shows it due on 08/04
// and overdue on 11/04, scoped in SQL.
func TestCaseOverdueDecisionAcrossTet(t *testing.T) {
	w := newCaseWorld(t)
	p := w.person("cb-thpt", domain.StageSource, day(2000, 1, 1))
	c := w.dossier(p, day(2023, 10, 2), 2)
	w.clock(2024, 1, 10)
	c = w.must(w.svc.Vote(w.ctx, c.ID, domain.PurposeAdmission, chapterVote(day(2024, 1, 10), 9, c.Version)))

	w.clock(2024, 4, 8)
	v := w.view(c.ID)
	if v.Overdue || v.NextDue == nil || v.NextDue.Format(domain.DateLayout) != "2024-04-10" || v.NextOwner != domain.OwnerBoard {
		t.Errorf("on 08/04: overdue %v, next %q due %v (%s)", v.Overdue, v.NextAction, v.NextDue, v.NextOwner)
	}
	due, err := w.svc.Todo(w.ctx, service.TodoQuery{Days: 7})
	if err != nil || due.Total != 1 || due.Items[0].Kind != domain.DeadlineDecision || due.Items[0].Overdue {
		t.Fatalf("due on 08/04: %+v %v", due, err)
	}
	if late, _ := w.svc.Todo(w.ctx, service.TodoQuery{Overdue: true}); late.Total != 0 {
		t.Errorf("overdue on 08/04: %+v", late.Items)
	}
	if page, _ := w.svc.Cases(w.ctx, service.CaseQuery{Overdue: true}); page.Total != 0 {
		t.Errorf("cases overdue on 08/04: %d", page.Total)
	}

	w.clock(2024, 4, 11)
	late, err := w.svc.Todo(w.ctx, service.TodoQuery{Overdue: true})
	if err != nil || late.Total != 1 || !late.Items[0].Overdue || late.Items[0].CaseID != c.ID || late.Items[0].OwnerName == "" {
		t.Fatalf("overdue on 11/04: %+v %v", late, err)
	}
	if page, _ := w.svc.Cases(w.ctx, service.CaseQuery{Overdue: true}); page.Total != 1 || !page.Cases[0].Overdue {
		t.Errorf("cases overdue on 11/04: %+v", page)
	}
	counts, err := w.svc.TodoCounts(w.ctx, "huyen", 30, time.Time{})
	if err != nil || len(counts) != 1 || counts[0].Kind != domain.DeadlineDecision || counts[0].Overdue != 1 {
		t.Errorf("counts %+v %v", counts, err)
	}
	if v := w.view(c.ID); !v.Overdue {
		t.Errorf("the case is not overdue on 11/04")
	}
	// Within the extension (60 + 30 working days) the decision is still
	// accepted; the verdict passes with the warning.
	c = w.must(w.svc.Decide(w.ctx, c.ID, domain.PurposeAdmission, decision("160-QĐ/HU", day(2024, 4, 11), nil, 5, c.Version)))
	if n := len(w.view(c.ID).Deadlines); n != 1 || w.view(c.ID).Deadlines[0].Kind != domain.DeadlineCeremony {
		t.Errorf("deadlines after the decision: %+v", w.view(c.ID).Deadlines)
	}
}

// A chapter meeting votes on several candidates, each separately (HD06
// §3.6a): one candidate's incomplete dossier or stale version does not
// hold back the others.
func TestCaseChapterMeeting(t *testing.T) {
	w := newCaseWorld(t)
	ready := w.dossier(w.person("cb-thpt", domain.StageSource, day(2000, 1, 1)), day(2023, 1, 9), 2)
	young := w.dossier(w.person("cb-thpt", domain.StageSource, day(2000, 2, 2)), day(2023, 1, 9), 1)
	stale := w.dossier(w.person("cb-thpt", domain.StageSource, day(2000, 3, 3)), day(2023, 1, 9), 2)
	w.clock(2023, 4, 3)
	res, err := w.svc.ChapterMeeting(w.ctx, service.MeetingInput{Purpose: domain.PurposeAdmission, Date: day(2023, 4, 3), Number: "04-NQ/CB",
		Members: 12, Excluded: 1, Present: 11, Votes: []service.MeetingVote{
			{CaseID: ready.ID, Version: ready.Version, Yes: 11}, {CaseID: young.ID, Version: young.Version, Yes: 11},
			{CaseID: stale.ID, Version: stale.Version - 1, Yes: 11}}})
	if err != nil || len(res) != 3 {
		t.Fatalf("meeting: %v %v", res, err)
	}
	if res[0].Err != nil || res[0].Case.Stage != domain.CaseChapterVoted {
		t.Errorf("complete dossier: %+v", res[0])
	}
	refused(t, res[1].Err, rules.RuleIntroducers)
	wantErr(t, res[2].Err, domain.EConflict)
	if _, err := w.svc.ChapterMeeting(w.ctx, service.MeetingInput{Purpose: "party"}); domain.ErrorCode(err) != domain.EInvalid {
		t.Errorf("bad purpose: %v", err)
	}
}

// The version and the purpose are checked once, in the service: a step
// without the version the user saw, or a vote or decision on no known
// purpose, is a field error (422) that writes nothing, whoever calls it.
func TestCaseStepNeedsVersionAndPurpose(t *testing.T) {
	w := newCaseWorld(t)
	c := w.dossier(w.person("cb-thpt", domain.StageSource, day(2000, 1, 1)), day(2023, 1, 9), 2)
	w.clock(2023, 4, 3)
	audits := countTable(t, w.svc, "audit_log")
	_, err := w.svc.Vote(w.ctx, c.ID, domain.PurposeAdmission, chapterVote(day(2023, 4, 3), 10, 0))
	if e := wantErr(t, err, domain.EInvalid); e.Field != "version" || !strings.Contains(e.Message, "tải lại hồ sơ") {
		t.Errorf("no version: %+v", e)
	}
	_, err = w.svc.Vote(w.ctx, c.ID, "party", chapterVote(day(2023, 4, 3), 10, c.Version))
	if e := wantErr(t, err, domain.EInvalid); e.Field != "purpose" || !strings.Contains(e.Message, `"party"`) {
		t.Errorf("vote on no purpose: %+v", e)
	}
	_, err = w.svc.Decide(w.ctx, c.ID, "", decision("1-QĐ/HU", day(2023, 4, 3), nil, 5, c.Version))
	if e := wantErr(t, err, domain.EInvalid); e.Field != "purpose" {
		t.Errorf("decision on no purpose: %+v", e)
	}
	if v := w.view(c.ID); v.Version != c.Version || len(v.Votes) != 0 || countTable(t, w.svc, "audit_log") != audits {
		t.Errorf("refused calls wrote: version %d → %d, %d votes", c.Version, v.Version, len(v.Votes))
	}

	// The API passes the body on: the same field error, as JSON.
	handler, token := apiHandler(t, w)
	for _, body := range []string{`{"level":"chapter","date":"2023-04-03","members":12,"present":11,"yes":10}`,
		`{"level":"chapter","date":"2023-04-03","members":12,"present":11,"yes":10,"version":-1}`} {
		rec := httptest.NewRecorder()
		req := httptest.NewRequestWithContext(w.ctx, "POST", fmt.Sprintf("/api/v1/cases/%d/admission-vote", c.ID), strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		handler.ServeHTTP(rec, req)
		var e struct {
			Error struct {
				Field   string `json:"field"`
				Message string `json:"message"`
			} `json:"error"`
		}
		if rec.Code != http.StatusUnprocessableEntity || json.Unmarshal(rec.Body.Bytes(), &e) != nil || e.Error.Field != "version" ||
			!strings.Contains(e.Error.Message, "tải lại hồ sơ") {
			t.Errorf("API without a version: %d %s", rec.Code, rec.Body)
		}
	}
}
