package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/httpx"
	"ketnap/internal/server"
	"ketnap/internal/service"
	"ketnap/internal/testkit"
)

// Issue 15, item 4: two servers share one database, each with its own
// response cache. A repeated request is answered from the cache; a write
// made through one server is on the other's very next answer, for the
// progress API and the dashboard page alike.
func TestResponseCacheSeesWritesOfAnotherServer(t *testing.T) {
	dsn := testkit.MigratedDSN(t)
	now := func() time.Time { return time.Date(2024, 5, 4, 9, 0, 0, 0, time.UTC) }
	boot := func() (*service.Service, *httptest.Server, *httpx.Cache) {
		svc := service.New(testkit.Open(t, dsn), nil)
		svc.Now = now
		cache := httpx.NewCache(100, 1<<20)
		h, err := server.New(svc, server.Options{Cache: cache})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		return svc, srv, cache
	}
	svcA, a, _ := boot()
	_, b, cacheB := boot()

	ctx := service.WithUser(context.Background(), service.System)
	if _, err := svcA.CreateUser(ctx, service.NewUser{Username: "quantri", Role: domain.RoleAdmin, Password: password}); err != nil {
		t.Fatal(err)
	}
	from := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, err := svcA.CreateOrg(ctx, service.OrgInput{Code: "huyen", Name: "Đảng bộ huyện Thử", Kind: domain.KindDistrict, Sector: "commune", ValidFrom: from}); err != nil {
		t.Fatal(err)
	}
	setQuota := func(n int) {
		t.Helper()
		if err := svcA.SetTarget(ctx, service.TargetInput{OrgCode: "huyen", Year: 2024, Kind: "quota", Value: &n}); err != nil {
			t.Fatal(err)
		}
	}
	setQuota(40)

	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	login, _ := json.Marshal(map[string]string{"username": "quantri", "password": password})
	resp, err := client.Post(b.URL+"/api/v1/auth/login", "application/json", bytes.NewReader(login))
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("login: %v %v", resp, err)
	}
	resp.Body.Close()
	get := func(url string) string {
		t.Helper()
		resp, err := client.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d %s", url, resp.StatusCode, data)
		}
		return string(data)
	}
	quota := func() int {
		t.Helper()
		var p struct{ Quota *int }
		if err := json.Unmarshal([]byte(get(b.URL+"/api/v1/progress?org=huyen&year=2024&asof=2024-05-04")), &p); err != nil || p.Quota == nil {
			t.Fatalf("progress: %v %v", p, err)
		}
		return *p.Quota
	}

	if q := quota(); q != 40 {
		t.Fatalf("quota %d, want 40", q)
	}
	first := get(b.URL + "/?org=huyen&year=2024&asof=2024-05-04")
	if !strings.Contains(first, "40") || strings.Contains(first, "57") {
		t.Fatalf("dashboard does not show the quota 40")
	}
	if q := quota(); q != 40 {
		t.Fatalf("quota %d, want 40", q)
	}
	if again := get(b.URL + "/?org=huyen&year=2024&asof=2024-05-04"); again != first {
		t.Errorf("the same dashboard twice gave two pages")
	}
	if s := cacheB.Stats(); s.Hits != 2 || s.Misses != 2 || s.Entries != 2 {
		t.Fatalf("cache after two requests twice: %+v, want 2 hits, 2 misses, 2 entries", s)
	}

	// a write through the other server, on its own store
	setQuota(57)
	if q := quota(); q != 57 {
		t.Fatalf("after the write through the other server the quota is %d, want 57", q)
	}
	page := get(b.URL + "/?org=huyen&year=2024&asof=2024-05-04")
	if page == first || !strings.Contains(page, "57") {
		t.Errorf("after the write the dashboard is unchanged")
	}
	if s := cacheB.Stats(); s.Hits != 2 || s.Misses != 4 {
		t.Errorf("cache after the write: %+v, want the two answers computed again", s)
	}
	// another query is another entry; a different user scope too
	get(b.URL + "/api/v1/progress?org=huyen&year=2023&asof=2023-12-31")
	if s := cacheB.Stats(); s.Entries != 3 {
		t.Errorf("entries %d, want 3", s.Entries)
	}
	_ = a
}

// The cache keeps within its bounds, dropping the least recently used.
func TestResponseCacheBounds(t *testing.T) {
	c := httpx.NewCache(3, 64<<10)
	serve := func(key, stamp, body string) (computed bool) {
		w := httptest.NewRecorder()
		r := httptest.NewRequest("GET", "/x", nil)
		err := c.Serve(w, httpx.Key(key, "s", r), stamp, func(w http.ResponseWriter) error {
			computed = true
			w.Header().Set("Content-Type", "text/plain")
			_, err := w.Write([]byte(body))
			return err
		})
		if err != nil || w.Body.String() != body && !computed {
			t.Fatalf("Serve %s: %v %q", key, err, w.Body.String())
		}
		return computed
	}
	for _, k := range []string{"a", "b", "c"} {
		serve(k, "1", k)
	}
	serve("a", "1", "a") // a is now the most recent
	serve("d", "1", "d") // b goes
	if serve("b", "1", "b") != true || serve("a", "1", "a") != false {
		t.Errorf("least recently used not dropped first: %+v", c.Stats())
	}
	if !serve("a", "2", "a2") {
		t.Errorf("a new stamp served the old answer")
	}
	big := strings.Repeat("x", 20<<10) // over an eighth of the bytes: never kept
	serve("big", "1", big)
	if serve("big", "1", big) != true {
		t.Errorf("an answer over the byte bound was kept")
	}
	if s := c.Stats(); s.Entries > 3 || s.Bytes > 64<<10 {
		t.Errorf("over the bounds: %+v", s)
	}
}
