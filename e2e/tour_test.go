package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestTour visits the main pages in a real browser at a phone's and a
// desktop's width and checks that each renders its main heading. With
// KETNAP_SCREENSHOTS=DIR it also saves a screenshot of each, for people.
func TestTour(t *testing.T) {
	if _, err := os.Stat(chromium); err != nil {
		if os.Getenv("KETNAP_REQUIRE_BROWSER") != "" {
			t.Fatalf("KETNAP_REQUIRE_BROWSER is set but %s is missing", chromium)
		}
		t.Skip("chromium not installed")
	}
	pages := []struct{ name, path string }{
		{"dashboard", "/?org=krongpac&year=2024&asof=2024-05-04"},
		{"commune", "/?org=krongpac-eayong&year=2024&asof=2024-05-04"},
		{"org", "/to-chuc/krongpac-eayong"},
		{"people", "/nguoi?org=krongpac-eayong&q=y"},
		{"targets", "/chi-tieu?org=krongpac-eakuang&year=2024"},
		{"cases", "/ho-so?org=krongpac"},
		{"case", "/ho-so/" + strconv.FormatInt(tourCase(t), 10)},
		{"todo", "/viec-can-lam"},
	}
	for _, width := range []int{360, 1280} {
		opts := append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(chromium), chromedp.NoSandbox, chromedp.DisableGPU,
			chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true),
			chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(width, 900))
		actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancel2 := chromedp.NewContext(actx)
		if err := chromedp.Do(ctx, chromedp.Navigate(app.base+"/dang-nhap")); err != nil {
			t.Fatal(err)
		}
		tctx, cancel3 := context.WithTimeout(ctx, 90*time.Second)
		err := chromedp.Do(tctx,
			chromedp.SendKeys(chromedp.ID("username"), organizer),
			chromedp.SendKeys(chromedp.ID("password"), password),
			chromedp.Click(chromedp.ID("login")),
			chromedp.WaitVisible(chromedp.ID("headline")),
		)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range pages {
			if err := chromedp.Do(tctx, chromedp.Navigate(app.base+p.path), chromedp.WaitVisible(chromedp.CSS("main h1"))); err != nil {
				t.Errorf("%s at %d px: %v", p.name, width, err)
				continue
			}
			title, _ := chromedp.Run(tctx, chromedp.Title())
			if title == "" {
				t.Errorf("%s: empty title", p.name)
			}
			if dir := os.Getenv("KETNAP_SCREENSHOTS"); dir != "" {
				png, err := chromedp.Run(tctx, chromedp.FullScreenshot(100))
				if err == nil {
					_ = os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%d.png", p.name, width)), png, 0o644)
				}
			}
		}
		cancel3()
		cancel2()
		cancel()
	}
}

// tourCase is an open case of the demo district with a deadline passed,
// looked up through the API.
func tourCase(t *testing.T) int64 {
	t.Helper()
	var list struct {
		Cases []struct {
			ID int64 `json:"id"`
		} `json:"cases"`
	}
	if st := call(t, login(t, organizer), "GET", "/api/v1/cases?org=krongpac&open=true&overdue=true&per_page=1", nil, &list); st != 200 || len(list.Cases) == 0 {
		t.Fatalf("GET /api/v1/cases: %d %+v", st, list)
	}
	return list.Cases[0].ID
}
