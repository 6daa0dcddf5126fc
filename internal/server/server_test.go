package server_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"ketnap/internal/server"
	"ketnap/internal/service"
	"ketnap/internal/testkit"
)

// Issue 13, item 7: /metrics answers only a bearer token with the metrics
// permission, unless the server runs with --metrics-public.
func TestMetricsAccess(t *testing.T) {
	svc := service.New(testkit.OpenStore(t), nil)
	for _, public := range []bool{false, true} {
		h, err := server.New(svc, server.Options{MetricsPublic: public})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(h)
		resp, err := http.Get(srv.URL + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		srv.Close()
		served := resp.StatusCode == 200 && strings.Contains(string(b), "go_goroutines")
		if served != public {
			t.Errorf("metrics-public %v: GET /metrics without a token: %d %.60q", public, resp.StatusCode, b)
		}
		if !public && resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("without a token: %d; want 401", resp.StatusCode)
		}
	}
}
