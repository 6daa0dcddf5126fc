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

// signedIn opens Chromium at the width, signs in as the user and returns
// a context bounded for the steps; stop closes the browser.
func signedIn(t *testing.T, user string, width int) (ctx context.Context, stop func()) {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(width, 900))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, cancel2 := chromedp.NewContext(actx)
	// headless Chromium keeps a window at least 500 px wide: emulate the
	// viewport so that a phone's 390 px is what the page lays out for
	if err := chromedp.Do(bctx, chromedp.EmulateViewport(int64(width), 900), chromedp.Navigate(app.base+"/dang-nhap")); err != nil {
		cancel2()
		cancel()
		t.Fatal(err)
	}
	tctx, cancel3 := context.WithTimeout(bctx, 90*time.Second)
	stop = func() { cancel3(); cancel2(); cancel() }
	err := chromedp.Do(tctx,
		chromedp.SendKeys(chromedp.ID("username"), user),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Click(chromedp.ID("login")),
		chromedp.WaitVisible(chromedp.ID("headline")), // the dashboard, after the sign-in's redirect
	)
	if err != nil {
		stop()
		t.Fatal(err)
	}
	return tctx, stop
}

// shot saves a full-page screenshot under KETNAP_SCREENSHOTS, when set.
func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if dir := os.Getenv("KETNAP_SCREENSHOTS"); dir != "" {
		if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
			_ = os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
		}
	}
}

// The person page offers "Ghi quyết định kết nạp" only to whom may record
// a decision from paper, only while allowed (issue 11 item 1): never to
// the chapter's secretary; to the district's organizer for a source
// without an open case, not once the decision is recorded. At a phone's
// and a desktop's width.
func TestBrowserPersonPageRecordFromPaper(t *testing.T) {
	if _, err := os.Stat(chromium); err != nil {
		if os.Getenv("KETNAP_REQUIRE_BROWSER") != "" {
			t.Fatalf("KETNAP_REQUIRE_BROWSER is set but %s is missing", chromium)
		}
		t.Skip("chromium not installed")
	}
	var p personRef
	if st := call(t, login(t, organizer), "POST", "/api/v1/people", map[string]any{"full_name": "Hồ Văn Sổ", "birth_date": "1980-07-07",
		"sex": "male", "ethnicity": "Kinh", "education": "upper_secondary", "org": "krongpac-thpt-lehongphong"}, &p); st != 201 {
		t.Fatalf("create: %d", st)
	}
	page := fmt.Sprintf("%s/nguoi/%d", app.base, p.ID)
	html := func(ctx context.Context) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("main")))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	// The secretary: no form, before and after.
	secretaryLooks := func(when string) {
		for _, width := range []int{390, 1366} {
			ctx, stop := signedIn(t, secretary, width)
			if err := chromedp.Do(ctx, chromedp.Navigate(page), chromedp.WaitVisible(chromedp.ID("memberships"))); err != nil {
				stop()
				t.Fatal(err)
			}
			if s := html(ctx); strings.Contains(s, `id="admit"`) || strings.Contains(s, "Ghi quyết định kết nạp") {
				t.Errorf("secretary at %d px (%s): the form is offered", width, when)
			}
			shot(t, ctx, fmt.Sprintf("person-secretary-%s-%d", when, width))
			stop()
		}
	}
	secretaryLooks("source")

	// The organizer: the form at a phone's width; recorded at a desktop's.
	for _, width := range []int{390, 1366} {
		ctx, stop := signedIn(t, organizer, width)
		if err := chromedp.Do(ctx, chromedp.Navigate(page), chromedp.WaitVisible(chromedp.ID("admit"))); err != nil {
			stop()
			t.Fatalf("organizer at %d px: %v", width, err)
		}
		if s := html(ctx); !strings.Contains(s, `id="admit-hint"`) || !strings.Contains(s, `value="krongpac"`) {
			t.Errorf("organizer at %d px: no hint or no deciding body suggested", width)
		}
		shot(t, ctx, fmt.Sprintf("person-organizer-form-%d", width))
		if width == 1366 {
			err := chromedp.Do(ctx,
				chromedp.SendKeys(chromedp.ID("decision_no"), "36-QĐ/HU"),
				chromedp.SetValue(chromedp.ID("decision_date"), "2010-05-05"),
				chromedp.SetValue(chromedp.ID("ceremony_date"), "2010-05-20"),
				chromedp.Click(chromedp.ID("admit")),
				chromedp.WaitVisible(chromedp.CSS(".badge.origin-paper")),
			)
			if err != nil {
				stop()
				t.Fatal(err)
			}
			if s := html(ctx); strings.Contains(s, `id="admit"`) || !strings.Contains(s, "36-QĐ/HU") || !strings.Contains(s, "Ghi từ hồ sơ giấy") {
				t.Error("after recording: the form is still offered, or the decision is not shown as recorded from paper")
			}
			shot(t, ctx, fmt.Sprintf("person-organizer-recorded-%d", width))
		}
		stop()
	}
	secretaryLooks("member")
}
