package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"ketnap/internal/domain"
	"ketnap/internal/server"
	"ketnap/internal/service"
	"ketnap/internal/testkit"
)

const password = "Mật-khẩu-rất-dài-2024"

// Issue 13, item 5: a 500 printed "Internal Server Error", then the
// handler's JSON, in one body. That was the session manager's default
// error function: when saving the session failed as the handler began its
// answer, it wrote a plain-text 500 and the handler went on writing. Here
// the session table is gone, so that saving fails: a sign-in through the
// API answers one JSON error and nothing else; through the page, one
// short message.
func TestOneBodyWhenTheSessionCannotBeSaved(t *testing.T) {
	st := testkit.OpenStore(t)
	svc := service.New(st, nil)
	ctx := service.WithUser(context.Background(), service.System)
	if _, err := svc.CreateUser(ctx, service.NewUser{Username: "quantri", Role: domain.RoleAdmin, Password: password}); err != nil {
		t.Fatal(err)
	}
	h, err := server.New(svc, server.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	if _, err := st.DB().ExecContext(ctx, `DROP TABLE sessions`); err != nil {
		t.Fatal(err)
	}

	body, _ := json.Marshal(map[string]string{"username": "quantri", "password": password})
	resp, err := http.Post(srv.URL+"/api/v1/auth/login", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusInternalServerError || strings.Contains(string(data), "Internal Server Error") {
		t.Fatalf("API sign-in without a session table: %d %q; want one JSON 500", resp.StatusCode, data)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var e struct {
		Error struct{ Code, Message string }
	}
	if err := dec.Decode(&e); err != nil || e.Error.Code != domain.EInternal || dec.More() {
		t.Fatalf("API sign-in without a session table: %q; want exactly one JSON error", data)
	}
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Errorf("Content-Type %q", resp.Header.Get("Content-Type"))
	}

	form := url.Values{"username": {"quantri"}, "password": {password}}
	req, _ := http.NewRequest("POST", srv.URL+"/dang-nhap", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err = http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	data, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusInternalServerError || strings.Count(string(data), "\n") != 1 || strings.Contains(string(data), "Internal Server Error") {
		t.Fatalf("page sign-in without a session table: %d %q; want one short 500", resp.StatusCode, data)
	}
}

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
