package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"sync"
)

// The installable app: a web manifest, a service worker at the root
// scope and an offline page. The service worker (static/sw.js) keeps the
// app shell and the pages the user visits readable offline; the page
// script (static/app.js) keeps forms sent offline in an outbox and sends
// them when the connection returns. Both are plain JavaScript, and every
// page works without them.

// themeColor is the header's red (app.css --brand).
const themeColor = "#a3120f"

// offlinePath is the page a navigation offline falls back to when the
// page was never saved.
const offlinePath = "/ngoai-tuyen"

// shellAssets are the static files every page uses; the service worker
// stores them when it installs.
var shellAssets = []string{"app.css", "app.js", "favicon.svg", "icon-192.png", "icon-512.png", "icon-maskable-512.png"}

// registerPWA adds the manifest, the service worker and the offline page.
func (h *Handler) registerPWA(mux *http.ServeMux) {
	mux.Handle("GET /manifest.webmanifest", h.secure(http.HandlerFunc(h.manifest)))
	mux.Handle("GET /sw.js", h.secure(http.HandlerFunc(h.serviceWorker)))
	mux.Handle("GET "+offlinePath, h.secure(http.HandlerFunc(h.offline)))
}

var manifestOnce = sync.OnceValue(func() []byte {
	type icon struct {
		Src     string `json:"src"`
		Sizes   string `json:"sizes"`
		Type    string `json:"type"`
		Purpose string `json:"purpose"`
	}
	b, err := json.MarshalIndent(struct {
		Name            string `json:"name"`
		ShortName       string `json:"short_name"`
		Description     string `json:"description"`
		Lang            string `json:"lang"`
		StartURL        string `json:"start_url"`
		Scope           string `json:"scope"`
		Display         string `json:"display"`
		ThemeColor      string `json:"theme_color"`
		BackgroundColor string `json:"background_color"`
		Icons           []icon `json:"icons"`
	}{
		Name: "ketnap — Phát triển đảng viên", ShortName: "ketnap",
		Description: "Công tác phát triển đảng viên: nguồn, lớp bồi dưỡng, hồ sơ kết nạp, tiến độ chỉ tiêu",
		Lang:        "vi", StartURL: "/", Scope: "/", Display: "standalone",
		ThemeColor: themeColor, BackgroundColor: "#ffffff",
		Icons: []icon{
			{asset("icon-192.png"), "192x192", "image/png", "any"},
			{asset("icon-512.png"), "512x512", "image/png", "any"},
			{asset("icon-maskable-512.png"), "512x512", "image/png", "maskable"},
		},
	}, "", "  ")
	if err != nil {
		panic(err)
	}
	return b
})

// manifest serves the web manifest (GET /manifest.webmanifest).
func (h *Handler) manifest(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/manifest+json")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Write(manifestOnce())
}

// serviceWorkerOnce is static/sw.js with the shell's URLs (content
// hashes included) and a version that changes whenever they do, so that
// a new build installs a new worker and drops the old shell.
var serviceWorkerOnce = sync.OnceValues(func() ([]byte, error) {
	src, err := staticFS.ReadFile("static/sw.js")
	if err != nil {
		return nil, err
	}
	shell := []string{offlinePath, "/manifest.webmanifest"}
	for _, a := range shellAssets {
		shell = append(shell, asset(a))
	}
	list, err := json.Marshal(shell)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(append(append([]byte{}, src...), list...))
	src = bytes.Replace(src, []byte("self.SHELL || []"), list, 1)
	src = bytes.Replace(src, []byte("self.VERSION || 'dev'"), []byte(`"`+hex.EncodeToString(sum[:6])+`"`), 1)
	src = bytes.Replace(src, []byte("self.APP_JS || '/static/app.js'"), []byte(`"`+asset("app.js")+`"`), 1)
	return src, nil
})

// serviceWorker serves the service worker at the root, so that its scope
// is the whole site (GET /sw.js). Browsers check it for updates on every
// navigation; no-cache makes them ask the server.
func (h *Handler) serviceWorker(w http.ResponseWriter, r *http.Request) {
	b, err := serviceWorkerOnce()
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("Service-Worker-Allowed", "/")
	w.Write(b)
}

// offline is the page shown offline in place of a page never saved on
// the phone (GET /ngoai-tuyen). It names no user: the service worker
// keeps it in the shell for whoever is signed in.
func (h *Handler) offline(w http.ResponseWriter, r *http.Request) {
	t := h.pages["offline"]
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", view{base: base{Title: "Đang ngoại tuyến"}}); err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(buf.Bytes())
}
