package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// needBrowser skips without Chromium, unless KETNAP_REQUIRE_BROWSER is set.
func needBrowser(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(chromium); err != nil {
		if os.Getenv("KETNAP_REQUIRE_BROWSER") != "" {
			t.Fatalf("KETNAP_REQUIRE_BROWSER is set but %s is missing", chromium)
		}
		t.Skip("chromium not installed")
	}
}

// get fetches a path without a session and returns the answer and its body.
func get(t *testing.T, path string) (*http.Response, string) {
	t.Helper()
	resp, err := client(t).Get(app.base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// The installable app's files are served with their types, and every
// page links the manifest and the page script (issue 16 item 3).
func TestAppManifestAndServiceWorker(t *testing.T) {
	resp, body := get(t, "/manifest.webmanifest")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/manifest+json" {
		t.Fatalf("manifest: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var m struct {
		Name, ShortName, StartURL, Display, ThemeColor string
		Icons                                          []struct{ Src, Sizes, Purpose string }
	}
	if err := json.Unmarshal([]byte(strings.NewReplacer("short_name", "shortname", "start_url", "starturl", "theme_color", "themecolor").Replace(body)), &m); err != nil {
		t.Fatal(err)
	}
	if m.Name != "ketnap — Phát triển đảng viên" || m.ShortName != "ketnap" || m.StartURL != "/" || m.Display != "standalone" || m.ThemeColor != "#a3120f" {
		t.Errorf("manifest %+v", m)
	}
	purposes := map[string]bool{}
	for _, ic := range m.Icons {
		r, _ := get(t, ic.Src)
		if r.StatusCode != 200 || r.Header.Get("Content-Type") != "image/png" {
			t.Errorf("icon %s: %d %q", ic.Src, r.StatusCode, r.Header.Get("Content-Type"))
		}
		purposes[ic.Sizes+" "+ic.Purpose] = true
	}
	for _, want := range []string{"192x192 any", "512x512 any", "512x512 maskable"} {
		if !purposes[want] {
			t.Errorf("no icon %s in %+v", want, m.Icons)
		}
	}

	resp, body = get(t, "/sw.js")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/javascript") || resp.Header.Get("Service-Worker-Allowed") != "/" {
		t.Fatalf("sw.js: %d %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Service-Worker-Allowed"))
	}
	for _, want := range []string{`"/ngoai-tuyen"`, `"/static/app.css?v=`, `"/static/app.js?v=`, `"/static/icon-maskable-512.png?v=`} {
		if !strings.Contains(body, want) {
			t.Errorf("the service worker's shell lacks %s", want)
		}
	}
	if strings.Contains(body, "self.SHELL") || strings.Contains(body, "self.VERSION") {
		t.Error("the service worker was served without its shell or version filled in")
	}

	resp, body = get(t, "/ngoai-tuyen")
	if resp.StatusCode != 200 || !strings.Contains(body, "Đang ngoại tuyến") || strings.Contains(body, "ketnap-user") {
		t.Errorf("offline page: %d\n%s", resp.StatusCode, body)
	}

	c := login(t, secretary)
	r, err := c.Get(app.base + "/viec-can-lam")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(r.Body)
	r.Body.Close()
	page := string(b)
	for _, want := range []string{`<link rel="manifest" href="/manifest.webmanifest">`, `<script src="/static/app.js?v=`, `<meta name="ketnap-user" content="`} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP %q", csp)
	}
}

// link stands between the browser and the server: cut, it drops every
// connection, as a phone out of coverage sees it (the service worker's
// requests included, which the browser's network emulation leaves alone).
type link struct {
	srv  *httptest.Server
	down atomic.Bool
}

func newLink(t *testing.T) *link {
	t.Helper()
	target, err := url.Parse(app.base)
	if err != nil {
		t.Fatal(err)
	}
	l := &link{}
	rp := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		r.SetURL(target)
		r.Out.Host = r.In.Host
	}}
	l.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if l.down.Load() {
			if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
				conn.Close()
			}
			return
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(l.srv.Close)
	return l
}

// offline cuts the link (or restores it) and tells the page so
// (navigator.onLine, the online and offline events).
func (l *link) offline(ctx context.Context, off bool) error {
	l.down.Store(off)
	return chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: off, DownloadThroughput: -1, UploadThroughput: -1})
		return err
	}))
}

// pwaSession signs the secretary in on a phone-sized Chromium through a
// link and waits until the service worker controls the page.
func pwaSession(t *testing.T) (context.Context, *link, func()) {
	t.Helper()
	l := newLink(t)
	base := l.srv.URL
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(390, 844))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, cancel2 := chromedp.NewContext(actx)
	if err := chromedp.Do(bctx, chromedp.EmulateViewport(390, 844), chromedp.Navigate(base+"/dang-nhap")); err != nil {
		cancel2()
		cancel()
		t.Fatal(err)
	}
	tctx, cancel3 := context.WithTimeout(bctx, 240*time.Second)
	stop := func() { cancel3(); cancel2(); cancel() }
	err := chromedp.Do(tctx,
		chromedp.SendKeys(chromedp.ID("username"), secretary),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Click(chromedp.ID("login")),
		chromedp.WaitVisible(chromedp.ID("headline")),
	)
	if err == nil { // installed and active; a page loaded before that is claimed, else loaded again
		_, err = chromedp.Run(tctx, chromedp.Evaluate[bool](`navigator.serviceWorker.ready.then(() => true)`, chromedp.EvalAwaitPromise))
	}
	if err == nil {
		if c, _ := chromedp.Run(tctx, chromedp.Evaluate[bool](`navigator.serviceWorker.controller !== null`)); !c {
			err = chromedp.Do(tctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.ID("headline")))
		}
	}
	if err == nil {
		_, err = chromedp.Run(tctx, chromedp.Poll[bool](`navigator.serviceWorker.controller !== null`, chromedp.WithPollingTimeout(60*time.Second)))
	}
	if err != nil {
		stop()
		t.Fatalf("sign in, the service worker controlling the page: %v", err)
	}
	return tctx, l, stop
}

// scriptReady waits for the page script to have run.
var scriptReady = chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
	_, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.readyState === 'complete' && !!self.ketnap`))
	return err
})

// reloadJS reloads the page as its script would, without waiting for
// the load (the next step waits for what it needs).
var reloadJS = chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
	_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`setTimeout(() => location.reload(), 0), true`))
	return err
})

// clickJS clicks the element as a script would: no pointer, no scrolling.
func clickJS(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf(`(document.querySelector(%q).click(), true)`, sel)))
		return err
	})
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("%s: %v", sel, err)
	}
	return s
}

var bannerRE = regexp.MustCompile(`^Đang xem bản lưu lúc \d\d:\d\d \d\d/\d\d/\d{4} \(ngoại tuyến\)$`)

// A page visited online reloads offline from the phone, under the
// banner; a page never visited shows the offline page.
func TestBrowserOfflineReload(t *testing.T) {
	needBrowser(t)
	ctx, l, stop := pwaSession(t)
	defer stop()
	if err := chromedp.Do(ctx, chromedp.Navigate(l.srv.URL+"/viec-can-lam"), chromedp.WaitVisible(chromedp.CSS("main h1"))); err != nil {
		t.Fatal(err)
	}
	online := text(t, ctx, "main h1")
	// the worker keeps the page once its answer has arrived, while the
	// page is shown; the phone goes out of coverage after that
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`caches.open('ketnap-pages').then(c => c.match(location.href)).then(r => !!r)`,
		chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		t.Fatalf("the page was never kept on the phone: %v", err)
	}
	if err := l.offline(ctx, true); err != nil {
		t.Fatal(err)
	}
	// A reload the browser drops while the link goes down is tried again,
	// as a user would (once in a run on a loaded machine the first never
	// finished); the saved page must come each time it is asked for.
	var err error
	for try := range 3 {
		wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		err = chromedp.Do(wctx, reloadJS, chromedp.WaitVisible(chromedp.ID("offline-banner")))
		cancel()
		if err == nil {
			break
		}
		t.Logf("offline reload %d: %v", try+1, err)
	}
	if err != nil {
		t.Fatal(err)
	}
	if b := text(t, ctx, "#offline-banner"); !bannerRE.MatchString(b) {
		t.Errorf("banner %q", b)
	}
	if h := text(t, ctx, "main h1"); h != online {
		t.Errorf("offline the page's heading is %q, online %q", h, online)
	}
	// the stylesheet came from the phone too
	if color, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector('header.top')).backgroundColor`)); err != nil || color != "rgb(163, 18, 15)" {
		t.Errorf("header colour offline %q %v: the stylesheet was not kept", color, err)
	}
	shot(t, ctx, "pwa-offline-reload")
	if err := chromedp.Do(ctx, chromedp.Navigate(l.srv.URL+"/lop-hoc"), chromedp.WaitVisible(chromedp.ID("offline-title"))); err != nil {
		t.Fatal(err)
	}
	// the script fills the list from the kept pages after the page shows
	// (a loaded machine takes seconds)
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`(document.getElementById('saved-pages')?.textContent || '').includes('Việc cần làm')`,
		chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		t.Errorf("the offline page does not list the saved page: %q (%v)", text(t, ctx, "#saved-pages"), err)
	}
	if err := l.offline(ctx, false); err != nil {
		t.Fatal(err)
	}
	// signing out drops the saved pages
	if err := chromedp.Do(ctx, chromedp.Navigate(l.srv.URL+"/viec-can-lam"), chromedp.Click(chromedp.ID("logout")), chromedp.WaitVisible(chromedp.ID("username"))); err != nil {
		t.Fatal(err)
	}
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`caches.open('ketnap-pages').then(c => c.keys()).then(k => k.length)`, chromedp.EvalAwaitPromise))
	if err != nil || n != 0 {
		t.Errorf("after signing out %d pages are kept (%v)", n, err)
	}
}

// A new person typed offline waits in the outbox as "chờ gửi" and
// arrives when the connection returns.
func TestBrowserOutboxSendsWhenOnline(t *testing.T) {
	needBrowser(t)
	ctx, l, stop := pwaSession(t)
	defer stop()
	name := fmt.Sprintf("Y Ngoại Tuyến %d", time.Now().UnixNano()%100000)
	if err := chromedp.Do(ctx, chromedp.Navigate(l.srv.URL+"/nguoi/moi"), chromedp.WaitVisible(chromedp.ID("full_name")), scriptReady); err != nil {
		t.Fatal(err)
	}
	if err := l.offline(ctx, true); err != nil {
		t.Fatal(err)
	}
	err := chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("full_name"), name),
		chromedp.SetValue(chromedp.ID("birth_date"), "1998-06-15"),
		chromedp.SetValue(chromedp.ID("sex"), "male"),
		chromedp.SetValue(chromedp.ID("ethnicity"), "12"),
		chromedp.SetValue(chromedp.ID("education"), "upper_secondary"),
		chromedp.SetValue(chromedp.ID("org"), "krongpac-thpt-lehongphong"),
		chromedp.Click(chromedp.CSS(`form[action="/nguoi/moi"] button[type="submit"]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	waitKept(t, ctx)
	if s := text(t, ctx, "#cho-gui"); !strings.Contains(s, "chờ gửi") || !strings.Contains(s, name) {
		t.Errorf("the outbox: %q", s)
	}
	if s := text(t, ctx, "#outbox-count"); s != "Chờ gửi: 1" {
		t.Errorf("the header's count %q", s)
	}
	// what was typed stays on the screen
	if v, _ := chromedp.Run(ctx, chromedp.Value(chromedp.ID("full_name"))); v != name {
		t.Errorf("the name field now holds %q", v)
	}
	shot(t, ctx, "pwa-outbox-pending")
	api := login(t, secretary)
	found := func() int {
		var res struct {
			People []struct {
				FullName string `json:"full_name"`
			} `json:"people"`
		}
		if st := call(t, api, "GET", "/api/v1/people?org=krongpac-thpt-lehongphong&q="+strings.ReplaceAll(name, " ", "+"), nil, &res); st != 200 {
			t.Fatalf("search: %d", st)
		}
		return len(res.People)
	}
	if n := found(); n != 0 {
		t.Fatalf("the person exists before the phone is back online (%d)", n)
	}
	// what the phone kept: the fields typed and the form's key
	type kept struct {
		Action string      `json:"action"`
		Fields [][2]string `json:"fields"`
		Key    string      `json:"key"`
	}
	items, err := chromedp.Run(ctx, chromedp.Evaluate[[]kept](`self.ketnap.outbox.all(document.querySelector('meta[name=ketnap-user]').content)`, chromedp.EvalAwaitPromise))
	if err != nil || len(items) != 1 || len(items[0].Key) < 16 {
		t.Fatalf("the outbox holds %+v (%v), want one form with its key", items, err)
	}
	if err := l.offline(ctx, false); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.ID("outbox-sent"))); err != nil {
		t.Fatal(err)
	}
	if n := found(); n != 1 {
		t.Errorf("after reconnecting %d people named %q, want 1", n, name)
	}
	// the same form arriving again (its answer lost on the way back) is
	// not saved twice
	again := url.Values{"outbox_key": {items[0].Key}}
	for _, f := range items[0].Fields {
		again.Add(f[0], f[1])
	}
	if resp, err := api.PostForm(app.base+items[0].Action, again); err != nil {
		t.Fatal(err)
	} else {
		resp.Body.Close()
	}
	if n := found(); n != 1 {
		t.Errorf("the form sent again with its key: %d people named %q, want 1", n, name)
	}
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#cho-gui, #outbox-count').length`)); n != 0 {
		t.Errorf("the outbox is still shown after sending")
	}
	shot(t, ctx, "pwa-outbox-sent")
}

// A step typed offline whose case changed meanwhile is refused with 409
// when sent: it stays in the outbox as a conflict, and its link opens the
// case's form with what was typed, which then goes through.
func TestBrowserOutboxConflict(t *testing.T) {
	needBrowser(t)
	api := login(t, secretary)
	var p struct {
		ID int64 `json:"id"`
	}
	if st := call(t, api, "POST", "/api/v1/people", map[string]any{"full_name": "H'Xung Đột", "birth_date": "1999-02-03", "sex": "female",
		"ethnicity": "Ê Đê", "education": "upper_secondary", "org": "krongpac-thpt-lehongphong", "stage": "source"}, &p); st != 201 {
		t.Fatalf("person: %d", st)
	}
	var k caseJSON
	if st := call(t, api, "POST", "/api/v1/cases", map[string]any{"person_id": p.ID, "opened_on": "2024-03-01"}, &k); st != 201 {
		t.Fatalf("case: %d", st)
	}
	ctx, l, stop := pwaSession(t)
	defer stop()
	page := fmt.Sprintf("/ho-so/%d", k.ID)
	if err := chromedp.Do(ctx, chromedp.Navigate(l.srv.URL+page), chromedp.WaitReady(chromedp.ID("f-documents")), scriptReady); err != nil {
		t.Fatal(err)
	}
	if err := l.offline(ctx, true); err != nil {
		t.Fatal(err)
	}
	const number = "15-NT/CB"
	err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("#f-documents > summary")),
		chromedp.WaitVisible(chromedp.ID("documents-kind")),
		chromedp.SetValue(chromedp.ID("documents-kind"), "application"),
		chromedp.SendKeys(chromedp.ID("documents-number"), number),
		chromedp.SetValue(chromedp.ID("documents-date"), "2024-03-05"),
		clickJS("#do-documents"),
	)
	if err != nil {
		t.Fatal(err)
	}
	waitKept(t, ctx)
	// meanwhile someone records another document: the version moves on
	caseStep(t, api, k.ID, "documents", map[string]any{"kind": "personal_history", "date": "2024-03-04"}, k.Version)
	if err := l.offline(ctx, false); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(".outbox-item.state-conflict"))); err != nil {
		t.Fatal(err)
	}
	if s := text(t, ctx, ".outbox-item.state-conflict"); !strings.Contains(s, "xung đột") || !strings.Contains(s, "Ghi văn bản") {
		t.Errorf("the conflict: %q", s)
	}
	shot(t, ctx, "pwa-outbox-conflict")
	raw := func() string {
		var m json.RawMessage
		call(t, api, "GET", fmt.Sprintf("/api/v1/cases/%d", k.ID), nil, &m)
		return string(m)
	}
	if strings.Contains(raw(), number) {
		t.Fatal("the stale step was applied")
	}
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(".outbox-item.state-conflict .outbox-resolve")),
		chromedp.WaitVisible(chromedp.ID("outbox-restored")),
	)
	tctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := chromedp.Run(ctx, chromedp.Value(chromedp.ID("documents-number"))); v != number {
		t.Errorf("the restored form holds %q, want %q", v, number)
	}
	shot(t, ctx, "pwa-outbox-restored")
	if err := chromedp.Do(tctx, clickJS("#do-documents"), chromedp.WaitVisible(chromedp.ID("notice"))); err != nil {
		loc := ""
		body, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href + ' ' + document.body.innerText`))
		t.Fatal(err, loc, body)
	}
	if !strings.Contains(raw(), number) {
		t.Error("the step sent again after the conflict was not recorded")
	}
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('.outbox-item').length`)); n != 0 {
		t.Errorf("%d items remain in the outbox", n)
	}
}

// waitKept waits for the page the worker answers a form sent offline
// with: the form's page again, its outbox listed ("#cho-gui"). On a
// timeout it says what the browser was doing.
func waitKept(t *testing.T, ctx context.Context) {
	t.Helper()
	wctx, cancel := context.WithTimeout(ctx, 100*time.Second)
	err := chromedp.Do(wctx, chromedp.WaitVisible(chromedp.ID("cho-gui")))
	cancel()
	if err == nil {
		return
	}
	state, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href + ' online=' + navigator.onLine + ' worker=' +
	  (navigator.serviceWorker.controller ? navigator.serviceWorker.controller.state : 'none') + ' notes=' +
	  document.querySelectorAll('.outbox-note').length + ' «' + document.querySelector('main').innerText.slice(0, 120) + '»'`))
	probe, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`new Promise(r => {
	  const q = indexedDB.open('ketnap', 1);
	  q.onsuccess = () => { const tx = q.result.transaction('outbox', 'readonly'); const g = tx.objectStore('outbox').getAll();
	    g.onsuccess = () => r('open, ' + g.result.length + ' kept'); g.onerror = () => r('read error');
	    setTimeout(() => r('open, read hangs'), 5000); };
	  q.onblocked = () => r('blocked'); q.onerror = () => r('error ' + q.error);
	  setTimeout(() => r('open hangs'), 5000); })`, chromedp.EvalAwaitPromise))
	t.Fatalf("the form sent offline was not kept: %v; page %s; outbox %s", err, state, probe)
}
