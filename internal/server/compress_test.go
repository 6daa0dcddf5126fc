package server_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"ketnap/internal/server"
	"ketnap/internal/service"
	"ketnap/internal/testkit"
)

// Issue 16: pages, JSON, stylesheets and scripts go gzipped to a client
// that accepts it, and byte for byte the same once unpacked; a client
// that does not (or refuses it with q=0), a HEAD and a range get them as
// they are.
func TestAnswersGzipped(t *testing.T) {
	svc := service.New(testkit.OpenStore(t), nil)
	h, err := server.New(svc, server.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	// the transport would ask for gzip and unpack it unseen: ask by hand
	c := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	get := func(method, path string, hdr ...string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, nil)
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp, b
	}
	unzip := func(b []byte) string {
		t.Helper()
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("not gzip: %v", err)
		}
		out, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		return string(out)
	}

	_, page := get("GET", "/dang-nhap")
	css := regexp.MustCompile(`/static/app\.css[^"]*`).FindString(string(page))
	if css == "" {
		t.Fatalf("no stylesheet on the sign-in page: %s", page)
	}
	for _, path := range []string{"/dang-nhap", css, "/api/v1/me"} {
		plain, pb := get("GET", path)
		zipped, zb := get("GET", path, "Accept-Encoding", "gzip, deflate, br")
		if plain.Header.Get("Content-Encoding") != "" {
			t.Errorf("%s without Accept-Encoding: %q", path, plain.Header.Get("Content-Encoding"))
		}
		if zipped.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(zipped.Header.Get("Vary"), "Accept-Encoding") {
			t.Fatalf("%s: Content-Encoding %q, Vary %q", path, zipped.Header.Get("Content-Encoding"), zipped.Header.Get("Vary"))
		}
		if zipped.StatusCode != plain.StatusCode || unzip(zb) != string(pb) {
			t.Errorf("%s: gzipped %d and plain %d answers differ once unpacked", path, zipped.StatusCode, plain.StatusCode)
		}
		if len(pb) > 2000 && len(zb) > len(pb)/2 {
			t.Errorf("%s: %d bytes gzipped from %d", path, len(zb), len(pb))
		}
	}
	for _, hdr := range [][]string{{"Accept-Encoding", "gzip;q=0"}, {"Accept-Encoding", "identity"}, {"Accept-Encoding", "gzip", "Range", "bytes=0-9"}} {
		resp, _ := get("GET", css, hdr...)
		if resp.Header.Get("Content-Encoding") != "" {
			t.Errorf("%v: Content-Encoding %q", hdr, resp.Header.Get("Content-Encoding"))
		}
	}
	if resp, _ := get("HEAD", "/dang-nhap", "Accept-Encoding", "gzip"); resp.Header.Get("Content-Encoding") != "" {
		t.Errorf("HEAD: Content-Encoding %q", resp.Header.Get("Content-Encoding"))
	}
}
