package e2e

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Issue 11 on the demo district (pages open on 04/05/2024): every step
// dated on or before that date.

// readyCase creates a student (a Youth Union member) of the Lê Hồng Phong chapter and takes her
// case, as the chapter's secretary, to a complete dossier awaiting the
// chapter's vote; the verification request's receipt is not recorded.
func readyCase(t *testing.T, sec *http.Client, name string) caseJSON {
	t.Helper()
	const chapter = "krongpac-thpt-lehongphong"
	var members struct {
		People []struct {
			ID int64 `json:"id"`
		} `json:"people"`
	}
	if st := call(t, sec, "GET", "/api/v1/people?org="+chapter+"&direct=true&stage=official&per_page=3", nil, &members); st != 200 || len(members.People) < 3 {
		t.Fatalf("members of the chapter: %d %d", st, len(members.People))
	}
	var person struct {
		ID int64 `json:"id"`
	}
	if st := call(t, sec, "POST", "/api/v1/people", map[string]any{"full_name": name, "birth_date": "2004-09-02",
		"sex": "female", "ethnicity": "Kinh", "education": "upper_secondary", "occupation": "student_high", "org": chapter,
		"stage": "source", "youth_union": true}, &person); st != 201 {
		t.Fatalf("create %s: %d", name, st)
	}
	var c caseJSON
	if st := call(t, sec, "POST", "/api/v1/cases", map[string]any{"person_id": person.ID, "opened_on": "2024-01-08",
		"helper_id": members.People[0].ID}, &c); st != 201 {
		t.Fatalf("open the case: %d", st)
	}
	c = caseStep(t, sec, c.ID, "certificate", map[string]any{"number": "21/GCN-TTCT", "date": "2024-01-10"}, c.Version)
	c = caseStep(t, sec, c.ID, "dossier", map[string]any{"date": "2024-01-15"}, c.Version)
	for _, k := range []string{"application", "personal_history", "opinions"} {
		c = caseStep(t, sec, c.ID, "documents", map[string]any{"kind": k, "date": "2024-01-16"}, c.Version)
	}
	c = caseStep(t, sec, c.ID, "verifications", map[string]any{"subject": "candidate", "addressee": "Đảng ủy xã Ea Yông",
		"sent_on": "2024-01-17"}, c.Version)
	if st := call(t, sec, "POST", fmt.Sprintf("/api/v1/cases/%d/verifications/%d/reply", c.ID, c.Verifications[0].ID),
		map[string]any{"date": "2024-02-20", "result": "Khai đúng, chấp hành tốt pháp luật", "version": c.Version}, &c); st != 200 {
		t.Fatalf("reply: %d", st)
	}
	// a Youth Union member of youth age in a school with a Youth Union
	// organisation: the Youth Union's resolution and one official member
	c = caseStep(t, sec, c.ID, "introducers", map[string]any{"person_id": members.People[1].ID, "months_together": 18, "letter_date": "2024-02-24"}, c.Version)
	c = caseStep(t, sec, c.ID, "documents", map[string]any{"kind": "youth_union_resolution", "number": "11-NQ/ĐTN", "date": "2024-02-24"}, c.Version)
	return c
}

// TestFailedVoteConclusionAndCorrectionsThroughTheAPI: a list date after
// the demo's date is refused; a verification request's receipt moves its
// reply's term and clears its flag; a chapter vote below 2/3 goes to the
// deciding body (stage vote_failed, the board's next step, in the list
// and in "Việc cần làm"); the secretary corrects the vote's figures (the
// vote counted again, the stage following), the audit in the case's
// corrections; the organizer records the deciding body's conclusion,
// which closes the case.
func TestFailedVoteConclusionAndCorrectionsThroughTheAPI(t *testing.T) {
	sec, org := login(t, secretary), login(t, organizer)
	var e caseErr
	var person struct {
		ID int64 `json:"id"`
	}
	if st := call(t, sec, "POST", "/api/v1/people", map[string]any{"full_name": "Trịnh Thị Ngày Sau", "birth_date": "2004-09-02",
		"sex": "female", "ethnicity": "Kinh", "education": "upper_secondary", "org": "krongpac-thpt-lehongphong", "stage": "source"}, &person); st != 201 {
		t.Fatalf("create: %d", st)
	}
	if st := call(t, sec, "POST", "/api/v1/cases", map[string]any{"person_id": person.ID, "opened_on": "2024-06-01"}, &e); st != 422 || e.Error.Field != "opened_on" {
		t.Errorf("a list date after the demo's date: %d %+v", st, e)
	}

	c := readyCase(t, sec, "Phan Thị Biểu Quyết")
	c = caseStep(t, sec, c.ID, "verifications", map[string]any{"subject": "father", "addressee": "Đảng ủy xã Ea Phê", "sent_on": "2024-02-26"}, c.Version)
	var raw struct {
		Version       int64 `json:"version"`
		Verifications []struct {
			ID         int64   `json:"id"`
			Due        string  `json:"due"`
			ReceivedOn *string `json:"received_on"`
		} `json:"verifications"`
		Deadlines []struct {
			Kind        string `json:"kind"`
			Due         string `json:"due"`
			Provisional bool   `json:"provisional"`
			Label       string `json:"label"`
		} `json:"deadlines"`
		Corrections []struct {
			Target   string `json:"target"`
			Username string `json:"username"`
			Changes  []struct {
				Field, Old, New string
			} `json:"changes"`
		} `json:"corrections"`
	}
	call(t, sec, "GET", fmt.Sprintf("/api/v1/cases/%d", c.ID), nil, &raw)
	if len(raw.Deadlines) == 0 || raw.Deadlines[0].Kind != "verification" || !raw.Deadlines[0].Provisional || !strings.Contains(raw.Deadlines[0].Label, "tạm tính từ ngày gửi") {
		t.Fatalf("a reply counted from the sending: %+v", raw.Deadlines)
	}
	vid := raw.Verifications[1].ID
	if st := call(t, sec, "POST", fmt.Sprintf("/api/v1/cases/%d/verifications/%d/received", c.ID, vid), map[string]any{"date": "2024-02-29",
		"version": raw.Version}, &raw); st != 200 || raw.Verifications[1].ReceivedOn == nil || *raw.Verifications[1].ReceivedOn != "2024-02-29" ||
		raw.Deadlines[0].Provisional || raw.Deadlines[0].Due != "2024-04-11" {
		t.Fatalf("the receipt: %d %+v %+v", st, raw.Verifications, raw.Deadlines)
	}
	if st := call(t, sec, "POST", fmt.Sprintf("/api/v1/cases/%d/verifications/%d/reply", c.ID, vid),
		map[string]any{"date": "2024-03-20", "result": "Khai đúng", "version": raw.Version}, &c); st != 200 {
		t.Fatalf("reply: %d", st)
	}

	c = caseStep(t, sec, c.ID, "admission-vote", map[string]any{"level": "chapter", "number": "07-NQ/CB", "date": "2024-04-02",
		"members": 12, "excluded": 1, "present": 11, "yes": 7, "no": 4}, c.Version)
	if c.Stage != "vote_failed" || c.Next.Owner != "board" || !strings.Contains(c.Next.Action, "HD06 §5.1") {
		t.Fatalf("after 7 of 11: %s %+v", c.Stage, c.Next)
	}
	var list struct {
		Total int `json:"total"`
	}
	if st := call(t, org, "GET", "/api/v1/cases?stage=vote_failed&q=bieu+quyet", nil, &list); st != 200 || list.Total != 1 {
		t.Errorf("list at vote_failed: %d %d", st, list.Total)
	}
	var todo struct {
		Items []struct {
			CaseID int64  `json:"case_id"`
			Owner  string `json:"owner"`
		} `json:"items"`
	}
	if st := call(t, org, "GET", "/api/v1/todo?kind=vote_conclusion&days=120&per_page=200", nil, &todo); st != 200 ||
		!strings.Contains(fmt.Sprint(todo.Items), fmt.Sprintf("{%d board}", c.ID)) {
		t.Errorf("Việc cần làm: %d %+v", st, todo)
	}

	// The secretary corrects the figures: 8 of 11 reaches 2/3, the case moves on; back to 7.
	call(t, sec, "GET", fmt.Sprintf("/api/v1/cases/%d", c.ID), nil, &raw)
	var votes struct {
		Votes []struct {
			ID int64 `json:"id"`
		} `json:"votes"`
	}
	call(t, sec, "GET", fmt.Sprintf("/api/v1/cases/%d", c.ID), nil, &votes)
	voteID := votes.Votes[0].ID
	e = caseErr{}
	if st := call(t, sec, "POST", fmt.Sprintf("/api/v1/cases/%d/corrections", c.ID), map[string]any{"target": "vote", "id": voteID,
		"date": "2024-05-05", "reason": "Ghi nhầm ngày họp", "version": c.Version}, &e); st != 422 || e.Error.Field != "date" {
		t.Errorf("a vote moved after the demo's date: %d %+v", st, e)
	}
	c = caseStep(t, sec, c.ID, "corrections", map[string]any{"target": "vote", "id": voteID, "yes": 8, "no": 3,
		"reason": "Ghi nhầm số phiếu tán thành khi nhập biên bản"}, c.Version)
	if c.Stage != "chapter_voted" {
		t.Fatalf("after correcting to 8 of 11: %s", c.Stage)
	}
	c = caseStep(t, sec, c.ID, "corrections", map[string]any{"target": "vote", "id": voteID, "yes": 7, "no": 4,
		"reason": "Đối chiếu lại biên bản: 7 phiếu tán thành"}, c.Version)
	call(t, sec, "GET", fmt.Sprintf("/api/v1/cases/%d", c.ID), nil, &raw)
	if c.Stage != "vote_failed" || len(raw.Corrections) != 2 || raw.Corrections[0].Username != secretary || raw.Corrections[0].Changes[0].Old != "7" ||
		raw.Corrections[0].Changes[0].New != "8" {
		t.Fatalf("after the corrections: %s %+v", c.Stage, raw.Corrections)
	}

	// The deciding body's conclusion: the organizer's, not the secretary's.
	body := map[string]any{"number": "31-TB/HU", "date": "2024-04-20", "conclusion": "Chưa kết nạp; chi bộ tiếp tục bồi dưỡng, giúp đỡ", "version": c.Version}
	if st := call(t, sec, "POST", fmt.Sprintf("/api/v1/cases/%d/conclusion", c.ID), body, nil); st != 403 {
		t.Errorf("the secretary records the conclusion: %d", st)
	}
	c = caseStep(t, org, c.ID, "conclusion", body, c.Version)
	if c.Stage != "refused" {
		t.Errorf("after the conclusion: %s", c.Stage)
	}
}

// TestBrowserFailedVoteConclusionAndCorrection, in Chromium on the demo:
// a secretary, on a phone (390 px), records a chapter vote below 2/3 on
// the case page and corrects its figures; an organizer, on a desktop
// (1366 px), records the deciding body's conclusion. With
// KETNAP_SCREENSHOTS=DIR each page is saved.
func TestBrowserFailedVoteConclusionAndCorrection(t *testing.T) {
	if _, err := os.Stat(chromium); err != nil {
		if os.Getenv("KETNAP_REQUIRE_BROWSER") != "" {
			t.Fatalf("KETNAP_REQUIRE_BROWSER is set but %s is missing", chromium)
		}
		t.Skip("chromium not installed")
	}
	sec := login(t, secretary)
	c := readyCase(t, sec, "Hà Thị Thử Trình Duyệt")
	path := fmt.Sprintf("/ho-so/%d", c.ID)

	shot := func(ctx context.Context, name string) {
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Errorf("screenshot %s: %v", name, err)
			return
		}
		if dir := os.Getenv("KETNAP_SCREENSHOTS"); dir != "" {
			_ = os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
		}
	}
	read := func(ctx context.Context, sel string) string {
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("%s: %v", sel, err)
		}
		return s
	}

	ctx := browserAs(t, secretary, 390, 844, path, "stage")
	err := chromedp.Do(ctx,
		chromedp.WaitVisible(chromedp.ID("admission-vote-number")),
		chromedp.SetValue(chromedp.ID("admission-vote-number"), "09-NQ/CB"),
		chromedp.SetValue(chromedp.ID("admission-vote-members"), "12"),
		chromedp.SetValue(chromedp.ID("admission-vote-excluded"), "1"),
		chromedp.SetValue(chromedp.ID("admission-vote-present"), "11"),
		chromedp.SetValue(chromedp.ID("admission-vote-yes"), "7"),
		chromedp.SetValue(chromedp.ID("admission-vote-no"), "4"),
		chromedp.Click(chromedp.ID("do-admission-vote")),
		chromedp.WaitVisible(chromedp.ID("notice")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := read(ctx, "#stage"); got != "Biểu quyết không đạt, chờ cấp có thẩm quyền kết luận" {
		t.Errorf("stage after 7 of 11: %q", got)
	}
	if got := read(ctx, "#next-action"); !strings.Contains(got, "7/11") || !strings.Contains(got, "Đảng bộ huyện Krông Pắc") {
		t.Errorf("next step %q", got)
	}
	shot(ctx, "vote-failed-390")

	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("#votes a.fix")),
		chromedp.WaitVisible(chromedp.ID("fix-yes")),
		chromedp.SetValue(chromedp.ID("fix-yes"), "6"),
		chromedp.SetValue(chromedp.ID("fix-no"), "5"),
		chromedp.SetValue(chromedp.ID("fix-reason"), "Ghi nhầm số phiếu khi nhập biên bản"),
	)
	if err != nil {
		t.Fatal(err)
	}
	shot(ctx, "correction-form-390")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("do-correction")), chromedp.WaitVisible(chromedp.ID("corrections"))); err != nil {
		t.Fatal(err)
	}
	if got := read(ctx, "#corrections"); !strings.Contains(got, "Số tán thành: 7 → 6") || !strings.Contains(got, secretary) {
		t.Errorf("corrections %q", got)
	}
	shot(ctx, "corrected-390")

	octx := browserAs(t, organizer, 1366, 900, "/ho-so/quyet-dinh?org=krongpac-thpt-lehongphong", "count")
	if got := read(octx, fmt.Sprintf("#case-%d", c.ID)); !strings.Contains(got, "Biểu quyết không đạt") || !strings.Contains(got, "HD06 §5.1") {
		t.Errorf("the decisions list's row %q", got)
	}
	shot(octx, "decisions-1366")
	err = chromedp.Do(octx, chromedp.Navigate(app.base+path), chromedp.WaitVisible(chromedp.ID("conclusion-number")))
	if err != nil {
		t.Fatal(err)
	}
	shot(octx, "conclusion-form-1366")
	err = chromedp.Do(octx,
		chromedp.SetValue(chromedp.ID("conclusion-number"), "32-TB/HU"),
		chromedp.SetValue(chromedp.ID("conclusion-conclusion"), "Chưa kết nạp; chi bộ tiếp tục bồi dưỡng, giúp đỡ"),
		chromedp.Click(chromedp.ID("do-conclusion")),
		chromedp.WaitVisible(chromedp.ID("closed")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if got := read(octx, "#stage"); got != "Không được kết nạp" {
		t.Errorf("stage after the conclusion: %q", got)
	}
	if got := read(octx, "#closed"); !strings.Contains(got, "32-TB/HU") {
		t.Errorf("closed %q", got)
	}
	shot(octx, "concluded-1366")
}

// browserAs signs the user in on a new Chromium window of the size, lands
// on the page at path (waiting for the element waitID), and returns its
// context, bounded to two minutes.
func browserAs(t *testing.T, username string, width, height int, path, waitID string) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(width, height))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	// the window cannot be narrower than about 500 px: the viewport is
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(width), int64(height)),
		chromedp.Navigate(app.base+"/dang-nhap?next="+url.QueryEscape(path))); err != nil {
		t.Fatal(err)
	}
	tctx, cancel3 := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(cancel3)
	err := chromedp.Do(tctx,
		chromedp.SendKeys(chromedp.ID("username"), username),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Click(chromedp.ID("login")),
		chromedp.WaitVisible(chromedp.ID(waitID)),
	)
	if err != nil {
		t.Fatal(err)
	}
	return tctx
}
