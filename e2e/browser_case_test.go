package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserCaseExceptions: an organizer on a 17-year-old's case page in
// Chromium, on a phone (390 px) and on a desktop (1366 px). The verdict on
// age says no exception can be recorded, the one on the introducers that
// one can; recording an exception on age is refused with its source, one
// on the same-chapter rule is recorded. With KETNAP_SCREENSHOTS set, the
// pages are saved there.
func TestBrowserCaseExceptions(t *testing.T) {
	if _, err := os.Stat(chromium); err != nil {
		if os.Getenv("KETNAP_REQUIRE_BROWSER") != "" {
			t.Fatalf("KETNAP_REQUIRE_BROWSER is set but %s is missing: %v", chromium, err)
		}
		t.Skipf("%s not installed", chromium)
	}
	api := login(t, organizer)
	for i, width := range []int{390, 1366} {
		var person struct {
			ID int64 `json:"id"`
		}
		if st := call(t, api, "POST", "/api/v1/people", map[string]any{"full_name": fmt.Sprintf("Phạm Văn Chưa Đủ %d", i+1),
			"birth_date": "2008-09-01", "sex": "male", "ethnicity": "Kinh", "education": "upper_secondary",
			"org": "krongpac-thpt-lehongphong", "stage": "source"}, &person); st != 201 {
			t.Fatalf("person: %d", st)
		}
		var k caseJSON
		if st := call(t, api, "POST", "/api/v1/cases", map[string]any{"person_id": person.ID, "opened_on": "2024-03-01"}, &k); st != 201 {
			t.Fatalf("open: %d", st)
		}
		t.Run(fmt.Sprintf("%dpx", width), func(t *testing.T) { caseExceptionsInBrowser(t, width, k.ID) })
		var after struct {
			Exceptions []struct {
				Rule string `json:"rule"`
			} `json:"exceptions"`
		}
		call(t, api, "GET", fmt.Sprintf("/api/v1/cases/%d", k.ID), nil, &after)
		if len(after.Exceptions) != 1 || after.Exceptions[0].Rule != "same_chapter" {
			t.Errorf("%d px: exceptions recorded %+v; want the same-chapter one only", width, after.Exceptions)
		}
	}
}

func caseExceptionsInBrowser(t *testing.T, width int, id int64) {
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(width, 900))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel2 := chromedp.NewContext(actx)
	defer cancel2()
	page := fmt.Sprintf("/ho-so/%d", id)
	// the viewport of the width (a window is never narrower than 500 px)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(width), 900), chromedp.Navigate(app.base+"/dang-nhap?next="+page)); err != nil {
		t.Fatal(err)
	}
	tctx, cancel3 := context.WithTimeout(ctx, 60*time.Second)
	defer cancel3()
	// shot saves the element sel (PNG) and the whole page (JPEG).
	shot := func(name, sel string) {
		t.Helper()
		png, err := chromedp.Run(tctx, chromedp.Screenshot(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("screenshot %s: %v", sel, err)
		}
		page, err := chromedp.Run(tctx, chromedp.FullScreenshot(80))
		if err != nil {
			t.Fatalf("screenshot: %v", err)
		}
		if dir := os.Getenv("KETNAP_SCREENSHOTS"); dir != "" {
			base := filepath.Join(dir, fmt.Sprintf("case-exceptions-%d-%s", width, name))
			_ = os.WriteFile(base+".png", png, 0o644)
			_ = os.WriteFile(base+"-page.jpg", page, 0o644)
		}
	}
	read := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(tctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("%s: %v", sel, err)
		}
		return s
	}
	if err := chromedp.Do(tctx,
		chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), organizer),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Click(chromedp.ID("login")),
		chromedp.WaitVisible(chromedp.ID("verdicts")),
	); err != nil {
		t.Fatal(err)
	}
	verdicts := read("#verdicts")
	for _, want := range []string{"Chưa đạt — Tuổi đời", "Không được ghi ngoại lệ — căn cứ: Điều lệ Đ.1 k.2;", "§1.1, §4.4",
		"Chưa đạt — Người giới thiệu", "Có thể ghi ngoại lệ (cán bộ tổ chức"} {
		if !strings.Contains(verdicts, want) {
			t.Errorf("the verdicts lack %q:\n%s", want, verdicts)
		}
	}
	shot("verdicts", "#verdicts")

	if err := chromedp.Do(tctx,
		chromedp.Click(chromedp.CSS("#f-exception > summary")),
		chromedp.WaitVisible(chromedp.ID("exception-rule")),
		chromedp.SetValue(chromedp.ID("exception-rule"), "age"),
		chromedp.SendKeys(chromedp.ID("exception-reason"), "Ban Thường vụ Huyện ủy cho phép (Công văn 9-CV/HU)"),
		chromedp.Click(chromedp.ID("do-exception")),
		chromedp.WaitVisible(chromedp.ID("err-rule")),
	); err != nil {
		t.Fatal(err)
	}
	if msg := read("#err-rule"); !strings.Contains(msg, "Không được ghi ngoại lệ cho quy định “Tuổi đời”") || !strings.Contains(msg, "§1.1, §4.4)") {
		t.Errorf("the refusal on age: %q", msg)
	}
	shot("age-refused", "#f-exception")

	if err := chromedp.Do(tctx,
		chromedp.SetValue(chromedp.ID("exception-rule"), "same_chapter"),
		chromedp.SetValue(chromedp.ID("exception-reason"), "Đảng ủy giao chi bộ khác cử đảng viên giới thiệu (QĐ294 §3.4.1)"),
		chromedp.Click(chromedp.ID("do-exception")),
		chromedp.WaitVisible(chromedp.ID("notice")),
	); err != nil {
		t.Fatal(err)
	}
	if got := read("#other"); !strings.Contains(got, "Ngoại lệ — Người giới thiệu, người giúp đỡ cùng chi bộ: Đảng ủy giao chi bộ khác") {
		t.Errorf("the recorded exception is not on the page:\n%s", got)
	}
	shot("same-chapter-notice", "#notice")
	shot("same-chapter-recorded", "#other")
}
