package e2e

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// overflowJS lists the visible elements whose right edge passes the
// viewport's (outside the tables' deliberate scroll areas, .scroll, whose
// own box must fit), the table cells whose content overflows them, and the
// document's scroll width.
const overflowJS = `(() => {
  const w = document.documentElement.clientWidth, out = [];
  for (const el of document.querySelectorAll('body *')) {
    const s = el.parentElement && el.parentElement.closest('.scroll');
    if (s) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (r.right > w + 1) out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '') +
      ' right=' + Math.round(r.right) + ' «' + (el.textContent || '').trim().slice(0, 40) + '»');
    if (out.length >= 8) break;
  }
  // a table cell whose content is wider than the cell runs into the next
  // one (the vote cards' "19 (không: 1, có m")
  for (const el of document.querySelectorAll('td, th')) {
    if (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1 && out.length < 8)
      out.push('clipped ' + el.tagName.toLowerCase() + ' ' + el.scrollWidth + '>' + el.clientWidth + ' «' + (el.textContent || '').trim().slice(0, 40) + '»');
  }
  // on a phone a wide table becomes cards: it needs no sideways scrolling
  // (the funnel of /phan-tich showed 4 of its 11 columns)
  if (w < 640) for (const el of document.querySelectorAll('table.funnel, table.votes, table.rank')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > w + 1 && out.length < 8) out.push('wide table.' + el.className.trim().split(/\s+/).join('.') + ' right=' + Math.round(r.right));
  }
  return {w: w, scroll: document.documentElement.scrollWidth, out: out};
})()`

type overflow struct {
	W      int      `json:"w"`
	Scroll int      `json:"scroll"`
	Out    []string `json:"out"`
}

// submit clicks the button and waits for the next page's element sel: the
// page before is marked so that its own sel does not count.
func submit(button, sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := chromedp.Evaluate[bool](`document.body.dataset.before = "1"; true`)(ctx, t)
			return err
		}),
		chromedp.Click(chromedp.CSS(button)),
		chromedp.WaitVisible(chromedp.CSS("body:not([data-before]) "+sel)),
	)
}

// fits fails the test when anything on the page passes the right edge.
func fits(t *testing.T, ctx context.Context, width int, what string) {
	t.Helper()
	o, err := chromedp.Run(ctx, chromedp.Evaluate[overflow](overflowJS))
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if o.W != width {
		t.Errorf("%s: the viewport is %d px wide, want %d", what, o.W, width)
	}
	if len(o.Out) > 0 || o.Scroll > o.W+1 {
		t.Errorf("%d px, %s: the page is %d px wide; past the right edge: %s", width, what, o.Scroll, strings.Join(o.Out, "; "))
	}
	shot(t, ctx, fmt.Sprintf("phone-%d-%s", width, strings.NewReplacer("/", "_", "?", "_", "&", "_", "=", "_").Replace(what)))
}

// The chapter secretary's journey on a phone (390 px) and a desktop
// (1366 px): sign in, a new person (every field's error at once, an
// over-long name refused without widening the page, then saved with a
// confirmation), a case opened, a step recorded; the main pages and a case
// with votes. Nothing passes the right edge (issue 16).
func TestBrowserSecretaryJourneyFits(t *testing.T) {
	if _, err := os.Stat(chromium); err != nil {
		if os.Getenv("KETNAP_REQUIRE_BROWSER") != "" {
			t.Fatalf("KETNAP_REQUIRE_BROWSER is set but %s is missing: %v", chromium, err)
		}
		t.Skipf("%s not installed", chromium)
	}
	var voted struct {
		Cases []struct {
			ID int64 `json:"id"`
		} `json:"cases"`
	}
	if st := call(t, login(t, secretary), "GET", "/api/v1/cases?stage=probation,decided,chapter_voted,official&per_page=1", nil, &voted); st != 200 || len(voted.Cases) == 0 {
		t.Fatalf("a demo case with votes: %d %+v", st, voted)
	}
	for i, width := range []int{390, 1366} {
		t.Run(fmt.Sprintf("%dpx", width), func(t *testing.T) {
			ctx, stop := signedIn(t, secretary, width)
			defer stop()
			fits(t, ctx, width, "dashboard")
			text := func(sel string) string {
				t.Helper()
				s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
				if err != nil {
					t.Fatalf("%s: %v", sel, err)
				}
				return s
			}

			// every field's error at once
			err := chromedp.Do(ctx, chromedp.Navigate(app.base+"/nguoi/moi"), chromedp.WaitVisible(chromedp.ID("save")),
				submit("#save", "#err-sex"))
			if err != nil {
				t.Fatal(err)
			}
			for sel, want := range map[string]string{"#err-full_name": "Họ và tên không được để trống", "#err-birth_date": "Cần ngày sinh",
				"#err-sex": "Giới tính phải là Nam hoặc Nữ"} {
				if got := text(sel); got != want {
					t.Errorf("%s: %q, want %q", sel, got, want)
				}
			}
			fits(t, ctx, width, "new-person-errors")

			// a pasted page as a name: refused, the page keeps its width
			err = chromedp.Do(ctx,
				chromedp.SetValue(chromedp.ID("full_name"), strings.Repeat("Nguyễn ", 715)),
				chromedp.SetValue(chromedp.ID("birth_date"), "2003-04-05"),
				chromedp.SetValue(chromedp.ID("sex"), "female"),
				submit("#save", "#err-full_name"))
			if err != nil {
				t.Fatal(err)
			}
			if got := text("#err-full_name"); !strings.Contains(got, "quá giới hạn 100 ký tự") || len([]rune(got)) > 160 {
				t.Errorf("the long name's message: %q", got)
			}
			fits(t, ctx, width, "new-person-long-name")

			// saved, confirmed
			name := fmt.Sprintf("Hờ Thị Điện Thoại %d", i+1)
			err = chromedp.Do(ctx,
				chromedp.SetValue(chromedp.ID("full_name"), name),
				submit("#save", "#flash"))
			if err != nil {
				t.Fatal(err)
			}
			if got := text("#flash"); got != "Đã thêm "+name+"." {
				t.Errorf("confirmation %q", got)
			}
			fits(t, ctx, width, "person")

			// a case opened on the pages' date, then a helper assigned
			err = chromedp.Do(ctx, submit("a#open-case", "button#open-case"))
			if err != nil {
				t.Fatal(err)
			}
			if opened, err := chromedp.Run(ctx, chromedp.Value(chromedp.ID("opened_on"))); err != nil || opened != "2024-05-04" {
				t.Errorf("the case opens on %q (%v), want the pages' date 2024-05-04", opened, err)
			}
			fits(t, ctx, width, "case-open")
			err = chromedp.Do(ctx, submit("button#open-case", "#notice"))
			if err != nil {
				t.Fatal(err)
			}
			fits(t, ctx, width, "case")
			err = chromedp.Do(ctx,
				chromedp.Click(chromedp.CSS("#f-helper > summary")),
				chromedp.WaitVisible(chromedp.ID("helper-person_id")),
				chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
					_, err := chromedp.Evaluate[string](`(() => { const s = document.getElementById('helper-person_id'); s.selectedIndex = 1; return s.value })()`)(ctx, t)
					return err
				}),
				submit("#do-helper", "#notice"))
			if err != nil {
				t.Fatal(err)
			}
			if got := text("#notice"); got != "Đã phân công đảng viên giúp đỡ." {
				t.Errorf("after the helper: %q", got)
			}
			fits(t, ctx, width, "case-helper")

			// the secretary's main pages, and a case with its vote cards
			for _, p := range []string{"/", "/phan-tich", "/nguoi", "/ho-so", "/viec-can-lam", "/ho-so/du-bi", "/lop-hoc", "/nhap",
				fmt.Sprintf("/ho-so/%d", voted.Cases[0].ID)} {
				if err := chromedp.Do(ctx, chromedp.Navigate(app.base+p), chromedp.WaitReady("footer")); err != nil {
					t.Fatalf("%s: %v", p, err)
				}
				fits(t, ctx, width, p)
			}
		})
	}
}
