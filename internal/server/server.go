// Package server wires the HTTP side: sessions, the signed-in user,
// cross-origin protection, metrics, security headers, the pages and the
// JSON API, over one service.
package server

import (
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"ketnap/internal/api"
	"ketnap/internal/domain"
	"ketnap/internal/httpx"
	"ketnap/internal/service"
	"ketnap/internal/web"
)

// Options configure the server.
type Options struct {
	SecureCookie bool // set the Secure flag (behind HTTPS)
	// Cache answers the dashboard and the reports while the data stands;
	// nil gives one of cacheEntries answers and cacheBytes bytes.
	Cache *httpx.Cache
	// MetricsPublic serves /metrics to anyone (a private network only);
	// otherwise it needs a bearer token with the metrics permission.
	MetricsPublic bool
}

// The response cache of the dashboard and the reports (httpx.Cache): per
// process, at most this many answers and bytes.
const (
	cacheEntries = 1000
	cacheBytes   = 16 << 20
)

// New returns the whole HTTP handler.
func New(svc *service.Service, opts Options) (http.Handler, error) {
	sm := httpx.NewSessions(svc, opts.SecureCookie)
	mux := http.NewServeMux()

	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		if err := svc.Ping(r.Context()); err != nil {
			http.Error(w, "cơ sở dữ liệu không phản hồi", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok"))
	})
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	requests := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "ketnap_http_requests_total", Help: "HTTP requests by kind of route, method and status.",
	}, []string{"kind", "method", "code"})
	duration := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "ketnap_http_request_duration_seconds", Help: "HTTP request duration.", Buckets: prometheus.DefBuckets,
	}, []string{"kind"})
	reg.MustRegister(requests, duration)
	metrics := promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
	if !opts.MetricsPublic {
		metrics = metricsGuard(metrics)
	}
	mux.Handle("GET /metrics", metrics)

	cache := opts.Cache
	if cache == nil {
		cache = httpx.NewCache(cacheEntries, cacheBytes)
	}
	api.New(svc, sm).WithCache(cache).Register(mux)
	pages, err := web.New(svc, sm, web.Options{Secure: opts.SecureCookie, Cache: cache})
	if err != nil {
		return nil, err
	}
	pages.Register(mux)

	var h http.Handler = mux
	h = http.NewCrossOriginProtection().Handler(h)
	h = httpx.Authenticate(svc, sm)(h)
	h = sm.LoadAndSave(h)
	h = httpx.OneBody(h)
	h = compress(h)
	h = headers(h)
	h = measure(h, requests, duration)
	return h, nil
}

// metricsGuard lets through the requests whose bearer token carries the
// metrics permission (ketnap token create --metrics): 401 without a
// token, 403 with a token made for anything else.
func metricsGuard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case service.MetricsAllowed(r.Context()):
			next.ServeHTTP(w, r)
		case service.UserFrom(r.Context()) == nil || r.Header.Get("Authorization") == "":
			w.Header().Set("WWW-Authenticate", `Bearer realm="ketnap metrics"`)
			httpx.WriteJSONError(w, domain.Errorf(domain.EUnauthorized, "Cần mã truy cập có quyền đọc số liệu giám sát (ketnap token create --metrics): Authorization: Bearer <mã>"))
		default:
			httpx.WriteJSONError(w, domain.Errorf(domain.EForbidden, "Mã truy cập này không có quyền đọc số liệu giám sát: hãy tạo mã với ketnap token create --metrics"))
		}
	})
}

// headers sets the security headers every response carries.
func headers(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("X-Frame-Options", "DENY")
		if hd.Get("Content-Security-Policy") == "" {
			hd.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'")
		}
		next.ServeHTTP(w, r)
	})
}

// measure counts requests and their duration, and logs slow ones.
func measure(next http.Handler, requests *prometheus.CounterVec, duration *prometheus.HistogramVec) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &httpx.StatusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		kind := routeKind(r.URL.Path)
		el := time.Since(start)
		requests.WithLabelValues(kind, r.Method, strconv.Itoa(sw.Code)).Inc()
		duration.WithLabelValues(kind).Observe(el.Seconds())
		if el > 2*time.Second {
			slog.Warn("slow request", "method", r.Method, "path", r.URL.Path, "duration", el)
		}
	})
}

func routeKind(path string) string {
	switch {
	case len(path) >= 8 && path[:8] == "/api/v1/":
		return "api"
	case len(path) >= 8 && path[:8] == "/static/":
		return "static"
	case path == "/metrics" || path == "/healthz":
		return "ops"
	}
	return "page"
}
