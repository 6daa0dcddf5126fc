// Package web serves ketnap's server-rendered Vietnamese pages: one
// handler file per screen, html/template pages embedded with a shared
// layout, and the static files (CSS) they use. Handlers call only the
// service layer; the server wiring wraps the mux in the session loader,
// httpx.Authenticate and http.CrossOriginProtection.
package web

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"

	"ketnap/internal/domain"
	"ketnap/internal/httpx"
	"ketnap/internal/service"
	"ketnap/internal/vn"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// CSP is the Content-Security-Policy of every page: no inline script or style.
const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'"

// Options configure the pages.
type Options struct {
	Secure bool // served over HTTPS: add Strict-Transport-Security
	// Cache, when set, answers the dashboard while the data has not changed.
	Cache *httpx.Cache
}

// Handler serves the pages.
type Handler struct {
	svc    *service.Service
	sm     *scs.SessionManager
	opts   Options
	pages  map[string]*template.Template
	static http.Handler
}

// New parses the embedded templates and returns the pages' handler.
func New(svc *service.Service, sm *scs.SessionManager, opts Options) (*Handler, error) {
	pages, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, err
	}
	return &Handler{svc: svc, sm: sm, opts: opts, pages: pages,
		static: http.StripPrefix("/static/", http.FileServerFS(sub))}, nil
}

// parseTemplates parses the layout once and every page on a clone of it;
// the pages are keyed by their file name without ".html".
func parseTemplates() (map[string]*template.Template, error) {
	base, err := template.New("layout").Funcs(funcs).ParseFS(templateFS, "templates/layout.html")
	if err != nil {
		return nil, err
	}
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		if name == "layout" {
			continue
		}
		t, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if _, err := t.ParseFS(templateFS, f); err != nil {
			return nil, fmt.Errorf("web: template %s: %w", f, err)
		}
		pages[name] = t
	}
	return pages, nil
}

// Register adds the page routes and GET /static/ to mux.
func (h *Handler) Register(mux *http.ServeMux) {
	mux.Handle("GET /static/", h.secure(h.staticFiles()))
	mux.Handle("GET /dang-nhap", h.secure(http.HandlerFunc(h.loginForm)))
	mux.Handle("POST /dang-nhap", h.secure(http.HandlerFunc(h.login)))
	mux.Handle("POST /dang-xuat", h.secure(http.HandlerFunc(h.logout)))
	mux.Handle("GET /doi-mat-khau", h.secure(http.HandlerFunc(h.passwordForm)))
	mux.Handle("POST /doi-mat-khau", h.secure(http.HandlerFunc(h.passwordChange)))
	h.registerUsers(mux)
	h.registerAudit(mux)
	h.registerPWA(mux)

	mux.Handle("GET /{$}", h.page(h.dashboard))
	mux.Handle("GET /to-chuc", h.page(h.orgHome))
	mux.Handle("GET /to-chuc/{code}", h.page(h.orgShow))
	mux.Handle("GET /to-chuc/{code}/sua", h.page(h.orgEditForm))
	mux.Handle("POST /to-chuc/{code}/sua", h.page(h.orgEdit))
	mux.Handle("GET /to-chuc/{code}/them", h.page(h.orgAddForm))
	mux.Handle("POST /to-chuc/{code}/them", h.page(h.orgAdd))
	mux.Handle("GET /nguoi", h.page(h.peopleList))
	mux.Handle("GET /nguoi/moi", h.page(h.personNewForm))
	mux.Handle("POST /nguoi/moi", h.page(h.personCreate))
	mux.Handle("GET /nguoi/{id}", h.page(h.personShow))
	mux.Handle("POST /nguoi/{id}/hien-cccd", h.page(h.personReveal))
	mux.Handle("GET /nguoi/{id}/sua", h.page(h.personEditForm))
	mux.Handle("POST /nguoi/{id}/sua", h.page(h.personUpdate))
	mux.Handle("POST /nguoi/{id}/ket-nap", h.page(h.personAdmit))
	mux.Handle("GET /chi-tieu", h.page(h.targets))
	mux.Handle("POST /chi-tieu", h.page(h.targetsSave))
	mux.Handle("GET /lich", h.page(h.calendar))
	mux.Handle("POST /lich", h.page(h.calendarRecord))
	mux.Handle("POST /lich/xoa", h.page(h.calendarForget))
	h.registerClasses(mux)
	h.registerCases(mux)
	h.registerReports(mux)
	h.registerImport(mux)
	h.registerReorg(mux)
	h.registerBreakdowns(mux)
	mux.Handle("/", h.page(h.notFound))
}

// staticFiles serves the embedded CSS and icons; no directory listings.
// Pages link them with a content hash (see asset), so they may be cached long.
func (h *Handler) staticFiles() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") {
			h.fail(w, r, domain.Errorf(domain.ENotFound, "Không có trang %s", r.URL.Path))
			return
		}
		if r.URL.Query().Get("v") != "" {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "public, max-age=3600")
		}
		h.static.ServeHTTP(w, r)
	})
}

// secure sets the security headers of every response of the pages.
func (h *Handler) secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", CSP)
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "same-origin")
		if h.opts.Secure {
			hd.Set("Strict-Transport-Security", "max-age=31536000")
		}
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
		}
		next.ServeHTTP(w, r)
	})
}

// pageFunc is a page handler for a signed-in user; an error it returns is
// shown as the Vietnamese error page with the matching status.
type pageFunc func(w http.ResponseWriter, r *http.Request, u *domain.User) error

// page requires a signed-in user, redirecting to the sign-in page otherwise.
func (h *Handler) page(fn pageFunc) http.Handler {
	return h.secure(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := service.UserFrom(r.Context())
		if u == nil {
			toLogin(w, r)
			return
		}
		if u.MustChangePassword { // a temporary password: nothing but a new one
			toPassword(w, r)
			return
		}
		var err error
		if r.Method == http.MethodPost {
			err = h.postOnce(w, r, func(w http.ResponseWriter) error { return fn(w, r, u) })
		} else {
			err = fn(w, r, u)
		}
		if err != nil {
			h.fail(w, r, err)
		}
	}))
}

// toLogin redirects to the sign-in page, coming back to this page after.
func toLogin(w http.ResponseWriter, r *http.Request) {
	next := r.URL.RequestURI()
	if r.Method != http.MethodGet {
		next = r.URL.Path
	}
	target := "/dang-nhap"
	if next != "/" {
		target += "?" + url.Values{"next": {next}}.Encode()
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// base is what the layout shows on every page.
type base struct {
	Title string
	User  *domain.User
	Nav   string // the active menu entry
	Demo  string // the demo's date when the demo is loaded (the page's, on its latest date)
	Flash string // the confirmation of the save that redirected here
	// DemoLink leads to the same page on the last day of the demo's
	// history (or back to the demo's date from it); DemoLinkText says so.
	DemoLink, DemoLinkText string

	scopeOrgs func() ([]*domain.Org, error) // the units the unit pickers offer
}

// ScopeOrgs lists the units the user's unit pickers offer without a
// script (the nearest levels first, at most 100); the page script asks
// the server for the others as the user types.
func (b base) ScopeOrgs() ([]*domain.Org, error) {
	if b.scopeOrgs == nil || b.User == nil {
		return nil, nil
	}
	return b.scopeOrgs()
}

// yearPages are the pages whose year does not follow the date (?asof=):
// the link to the demo's last day sets their year too.
var yearPages = map[string]bool{"/chi-tieu": true, "/lop-hoc": true}

// demoLink is the demo banner's link: from a page of the demo, the same
// page as of the last day of its history (and that day's year where the
// page takes a year); from that page, back to the demo's date. It returns
// the date the banner names, the link and its text.
func demoLink(r *http.Request, asof, latest time.Time) (day, link, text string) {
	q := r.URL.Query()
	iso, year := latest.Format(domain.DateLayout), strconv.Itoa(latest.Year())
	q.Del("page")
	if a := q.Get("asof"); a == iso || a == vn.Date(latest) {
		q.Del("asof")
		if q.Get("year") == year {
			q.Del("year")
		}
		return vn.Date(latest), pageURL(r.URL.Path, q), "Về số liệu ngày " + vn.Date(asof)
	}
	q.Set("asof", iso)
	if q.Has("year") || yearPages[r.URL.Path] {
		q.Set("year", year)
	}
	return vn.Date(asof), pageURL(r.URL.Path, q), "Xem số liệu mới nhất (" + vn.Date(latest) + ")"
}

// pageURL is the path with the query, when there is one.
func pageURL(p string, q url.Values) string {
	if len(q) == 0 {
		return p
	}
	return p + "?" + q.Encode()
}

// view is the data of a page: the layout's and the page's own.
type view struct {
	base
	Data any
}

// render executes the page template into a buffer, then writes it.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name, title, nav string, data any) error {
	t := h.pages[name]
	if t == nil {
		return fmt.Errorf("web: no template %q", name)
	}
	v := view{base: base{Title: title, User: service.UserFrom(r.Context()), Nav: nav}, Data: data}
	v.scopeOrgs = func() ([]*domain.Org, error) { return h.svc.SearchOrgs(r.Context(), "", 100) }
	if d, ok := h.svc.DemoAsOf(r.Context()); ok {
		v.Demo = vn.Date(d)
		if latest, ok := h.svc.DemoLatest(r.Context()); ok && latest.After(d) && r.Method == http.MethodGet {
			v.Demo, v.DemoLink, v.DemoLinkText = demoLink(r, d, latest)
		}
	}
	if h.sm != nil && h.sm.Exists(r.Context(), flashKey) {
		v.Flash = h.sm.PopString(r.Context(), flashKey)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		return fmt.Errorf("web: render %s: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	if err != nil {
		slog.Debug("web: write", "err", err)
	}
	return nil
}

// flashKey is the session key of the confirmation shown once by the
// next page (a save redirects, then the page says what was saved).
const flashKey = "flash"

// flash keeps msg for the next page the user opens.
func (h *Handler) flash(r *http.Request, msg string) {
	if h.sm != nil {
		h.sm.Put(r.Context(), flashKey, msg)
	}
}

// errorView is the data of the error page.
type errorView struct {
	Status  int
	Heading string
	Message string
}

// fail shows err as the error page with its status; internal errors are
// logged and shown as a generic message.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	code := domain.ErrorCode(err)
	if code == domain.EUnauthorized && service.UserFrom(r.Context()) == nil {
		toLogin(w, r)
		return
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		code, err = domain.ETooLarge, domain.Errorf(domain.ETooLarge, "Dữ liệu gửi lên quá lớn")
	}
	httpx.LogError(r, err)
	status := httpx.Status(code)
	ev := errorView{Status: status, Heading: errorHeading(status), Message: domain.ErrorMessage(err)}
	if rerr := h.render(w, r, status, "error", ev.Heading, "", ev); rerr != nil {
		slog.Error("web: error page", "err", rerr)
		http.Error(w, ev.Message, status)
	}
}

func errorHeading(status int) string {
	switch status {
	case http.StatusForbidden:
		return "Bạn không có quyền xem đơn vị này"
	case http.StatusNotFound:
		return "Không tìm thấy trang hoặc dữ liệu"
	case http.StatusConflict:
		return "Dữ liệu vừa bị thay đổi"
	case http.StatusUnprocessableEntity, http.StatusBadRequest:
		return "Dữ liệu chưa hợp lệ"
	case http.StatusUnauthorized:
		return "Cần đăng nhập"
	case http.StatusRequestEntityTooLarge:
		return "Dữ liệu gửi lên quá lớn"
	}
	return "Đã xảy ra lỗi hệ thống"
}

func (h *Handler) notFound(w http.ResponseWriter, r *http.Request, u *domain.User) error {
	return domain.Errorf(domain.ENotFound, "Không có trang %s", r.URL.Path)
}

// fieldOf returns the field named by an application error, or "".
func fieldOf(err error) string {
	var e *domain.Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

// isUserError reports whether err is to be shown next to a form (a
// validation error or a conflict) rather than as an error page.
func isUserError(err error) bool {
	switch domain.ErrorCode(err) {
	case domain.EInvalid, domain.EConflict, domain.EBadRequest:
		return true
	}
	return false
}

// localPath returns next when it is a path on this site, else "/".
func localPath(next string) string {
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return "/"
	}
	return next
}

// statusOf is the HTTP status of an application error.
func statusOf(err error) int { return httpx.Status(domain.ErrorCode(err)) }
