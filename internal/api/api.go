// Package api is the JSON twin of the pages under /api/v1/, over the same
// services (CONTRACT "HTTP").
package api

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"

	"ketnap/internal/domain"
	"ketnap/internal/httpx"
	"ketnap/internal/service"
)

// API serves /api/v1/.
type API struct {
	svc   *service.Service
	sm    *scs.SessionManager
	cache *httpx.Cache
}

// New returns the API over the service.
func New(svc *service.Service, sm *scs.SessionManager) *API { return &API{svc: svc, sm: sm} }

// WithCache makes the reports read by every dashboard (progress,
// breakdowns, funnel) answer from c while the data has not changed.
func (a *API) WithCache(c *httpx.Cache) *API {
	a.cache = c
	return a
}

// cached answers a report from the response cache, keyed by the route,
// the user's scope and role, and the report's query parameters, at the
// data's current stamp; compute writes the answer on a miss.
func (a *API) cached(w http.ResponseWriter, r *http.Request, compute func(w http.ResponseWriter) error, params ...string) error {
	if a.cache == nil {
		return compute(w)
	}
	stamp, err := a.svc.CacheStamp(r.Context())
	if err != nil {
		return err
	}
	u := service.UserFrom(r.Context())
	scope := u.Role + "@" + strconv.FormatInt(u.OrgID, 10)
	return a.cache.Serve(w, httpx.Key(r.URL.Path, scope, r, params...), stamp, compute)
}

// handlerFunc is an API handler that returns its error instead of writing it.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// maxBody is the largest JSON body accepted.
const maxBody = 1 << 20

// Register adds the API routes to mux.
func (a *API) Register(mux *http.ServeMux) {
	open := func(pattern string, h handlerFunc) { mux.Handle(pattern, a.wrap(h, false)) }
	auth := func(pattern string, h handlerFunc) { mux.Handle(pattern, a.wrap(h, true)) }

	open("POST /api/v1/auth/login", a.login)
	open("POST /api/v1/auth/logout", a.logout)
	auth("GET /api/v1/me", a.me)
	auth("GET /api/v1/progress", a.progress)
	auth("GET /api/v1/orgs", a.searchOrgs)
	auth("POST /api/v1/orgs", a.createOrg)
	auth("GET /api/v1/orgs/{code}", a.getOrg)
	auth("PUT /api/v1/orgs/{code}", a.updateOrg)
	auth("GET /api/v1/orgs/{code}/children", a.children)
	auth("GET /api/v1/orgs/{code}/residential-units", a.residentialUnits)
	auth("GET /api/v1/orgs/{code}/schools", a.schools)
	auth("GET /api/v1/orgs/{code}/authority", a.authority)
	auth("PUT /api/v1/orgs/{code}/authority", a.setAuthority)
	auth("GET /api/v1/people", a.listPeople)
	auth("POST /api/v1/people", a.createPerson)
	auth("GET /api/v1/people/{id}", a.getPerson)
	auth("PUT /api/v1/people/{id}", a.updatePerson)
	auth("POST /api/v1/people/{id}/memberships", a.addMembership)
	auth("GET /api/v1/targets", a.getTargets)
	auth("PUT /api/v1/targets", a.setTarget)
	auth("GET /api/v1/calendar/{year}", a.getCalendar)
	auth("PUT /api/v1/calendar/{year}", a.putCalendar)
	auth("DELETE /api/v1/calendar/{year}", a.deleteCalendar)
	auth("POST /api/v1/rules/check", a.rulesCheck)
	a.registerCases(auth)
	a.registerClasses(auth)
	a.registerBreakdowns(auth)
	a.registerReports(auth)
	a.registerImport(auth)
	a.registerReorgs(auth)
	a.registerUsers(auth)
	open("/api/v1/", func(w http.ResponseWriter, r *http.Request) error {
		if service.UserFrom(r.Context()) == nil {
			return domain.Errorf(domain.EUnauthorized, "Bạn cần đăng nhập")
		}
		return domain.Errorf(domain.ENotFound, "Không có địa chỉ API %s %s", r.Method, r.URL.Path)
	})
}

func (a *API) wrap(h handlerFunc, needUser bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if needUser && service.UserFrom(r.Context()) == nil {
			httpx.WriteJSONError(w, domain.Errorf(domain.EUnauthorized, "Bạn cần đăng nhập (phiên làm việc hoặc mã truy cập Bearer)"))
			return
		}
		if err := h(w, r); err != nil {
			httpx.LogError(r, err)
			httpx.WriteJSONError(w, err)
		}
	})
}

// decode reads a JSON body strictly: unknown fields, trailing data and
// oversized bodies are refused with Vietnamese messages.
func decode(w http.ResponseWriter, r *http.Request, v any) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var maxErr *http.MaxBytesError
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		if de, ok := errors.AsType[*domain.Error](err); ok {
			return de
		}
		switch {
		case errors.As(err, &maxErr):
			return domain.Errorf(domain.ETooLarge, "Nội dung gửi lên quá lớn (tối đa 1 MB)")
		case errors.Is(err, io.EOF):
			return domain.Errorf(domain.EBadRequest, "Thiếu nội dung JSON")
		case errors.As(err, &syn):
			return domain.Errorf(domain.EBadRequest, "JSON không hợp lệ ở vị trí %d", syn.Offset)
		case errors.As(err, &typ):
			return domain.Errorf(domain.EInvalid, "Trường %q có kiểu dữ liệu không đúng", typ.Field)
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			return domain.Errorf(domain.EInvalid, "Trường không được hỗ trợ: %s", strings.TrimPrefix(err.Error(), "json: unknown field "))
		}
		return domain.Errorf(domain.EBadRequest, "JSON không hợp lệ: %v", err)
	}
	if dec.More() {
		return domain.Errorf(domain.EBadRequest, "Chỉ gửi một đối tượng JSON")
	}
	return nil
}

// date is a YYYY-MM-DD JSON date; null or absent is the zero date.
type date struct{ time.Time }

func (d *date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		d.Time = time.Time{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return domain.Errorf(domain.EInvalid, "Ngày phải là chuỗi dạng NNNN-TT-NN")
	}
	t, err := time.Parse(domain.DateLayout, s)
	if err != nil {
		return domain.Errorf(domain.EInvalid, "Ngày %q không hợp lệ (cần dạng NNNN-TT-NN)", s)
	}
	d.Time = t
	return nil
}

func (d date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + d.Format(domain.DateLayout) + `"`), nil
}

func (d *date) ptr() *time.Time {
	if d == nil || d.IsZero() {
		return nil
	}
	t := d.Time
	return &t
}

func datePtr(t *time.Time) *date {
	if t == nil {
		return nil
	}
	return &date{*t}
}

// queryInt reads an integer query parameter, def when absent.
func queryInt(r *http.Request, name string, def int) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, domain.FieldError(name, "Tham số %s phải là số nguyên, không phải %q", name, v)
	}
	return n, nil
}

// pageParams reads the page (default 1) and per_page (default perDefault)
// query parameters of a list.
func pageParams(r *http.Request, perDefault int) (page, per int, err error) {
	if page, err = queryInt(r, "page", 1); err != nil {
		return 0, 0, err
	}
	per, err = queryInt(r, "per_page", perDefault)
	return page, per, err
}

// queryDate reads a YYYY-MM-DD query parameter, def when absent.
func queryDate(r *http.Request, name string, def time.Time) (time.Time, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	return domain.ParseISODate(name, v)
}

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, domain.Errorf(domain.ENotFound, "Mã số %q không hợp lệ", r.PathValue("id"))
	}
	return id, nil
}
