package e2e

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

const chromium = "/usr/bin/chromium"

// TestBrowserSignInAndDashboard signs in on the real sign-in page in
// Debian's Chromium and reads the headline figures from the dashboard.
// It skips where chromium is absent, unless KETNAP_REQUIRE_BROWSER is set
// (CI sets it, so the test cannot silently skip there).
func TestBrowserSignInAndDashboard(t *testing.T) {
	if _, err := os.Stat(chromium); err != nil {
		if os.Getenv("KETNAP_REQUIRE_BROWSER") != "" {
			t.Fatalf("KETNAP_REQUIRE_BROWSER is set but %s is missing: %v", chromium, err)
		}
		t.Skipf("%s not installed", chromium)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(412, 915)) // a phone-sized window
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel2 := chromedp.NewContext(actx)
	defer cancel2()
	// Start the browser on a context without a timeout, then bound the steps.
	if err := chromedp.Do(ctx, chromedp.Navigate(app.base+"/dang-nhap?next=%2F%3Forg%3Dkrongpac%26year%3D2024%26asof%3D2024-05-04")); err != nil {
		t.Fatal(err)
	}
	tctx, cancel3 := context.WithTimeout(ctx, 60*time.Second)
	defer cancel3()
	err := chromedp.Do(tctx,
		chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), organizer),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Click(chromedp.ID("login")),
		chromedp.WaitVisible(chromedp.ID("quota-percent")),
	)
	if err != nil {
		t.Fatal(err)
	}
	read := func(id string) string {
		s, err := chromedp.Run(tctx, chromedp.Text(chromedp.ID(id)))
		if err != nil {
			t.Fatalf("#%s: %v", id, err)
		}
		return s
	}
	if got := read("quota-percent"); got != "23,17 %" {
		t.Errorf("quota percent %q, want \"23,17 %%\"", got)
	}
	if got := read("plan-percent"); got != "20,73 %" {
		t.Errorf("plan percent %q, want \"20,73 %%\"", got)
	}
	if got := read("admitted"); got != "57" {
		t.Errorf("admitted %q, want 57", got)
	}
	if got := read("quota"); got != "246" {
		t.Errorf("quota %q, want 246", got)
	}
	if got := read("headline"); got != "57/246 — đạt 23,17 % chỉ tiêu, 20,73 % kế hoạch" {
		t.Errorf("headline %q", got)
	}
	if png, err := chromedp.Run(tctx, chromedp.FullScreenshot(100)); err == nil {
		if dir := os.Getenv("KETNAP_SCREENSHOTS"); dir != "" {
			_ = os.WriteFile(filepath.Join(dir, "dashboard.png"), png, 0o644)
		}
	}
}
