package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"sync"
	"testing"
	"time"

	"ketnap/internal/cli"
	"ketnap/internal/testkit"
)

// Issue 13, item 5: "Twenty parallel writes on a just-started server
// stalled 10–30 s in 8 of 9 starts, with SQLITE_BUSY 500s in 5 (one body
// printed twice)". Each round creates a database (`ketnap user add`), starts
// `ketnap serve` on it, and sends twenty clients at once, each signing in
// (a session written), creating a chapter and a person in it and reading
// the list back. Every answer must succeed, be one JSON value and come
// well before SQLite's busy timeout (10 s), and everything must be there.
func TestColdStartParallelWrites(t *testing.T) {
	const clients, rounds = 20, 5
	for round := range rounds {
		dsn := testkit.DSN(t)
		ctx, cancel := context.WithCancel(context.Background())
		if c, _, e := run(ctx, password+"\n", "user", "add", "--db", dsn, "--username", "quantri", "--role", "admin"); c != 0 {
			cancel()
			t.Fatalf("user add: %s", e)
		}
		// One account per client: parallel sign-ins of one username are
		// throttled together (every attempt is counted before its password
		// is checked), and this test is about the writes.
		for i := range clients {
			if c, _, e := run(ctx, password+"\n", "user", "add", "--db", dsn, "--username", fmt.Sprintf("quantri%d", i), "--role", "admin"); c != 0 {
				cancel()
				t.Fatalf("user add quantri%d: %s", i, e)
			}
		}
		base, done := serve(t, ctx, dsn)
		admin := signIn(t, base, "quantri")
		for _, o := range []map[string]string{
			{"code": "kp", "name": "Đảng bộ huyện Krông Pắc", "kind": "district", "sector": "commune", "valid_from": "2020-01-01"},
			{"code": "eaphe", "name": "Đảng bộ xã Ea Phê", "kind": "grassroots", "sector": "commune", "parent": "kp", "valid_from": "2020-01-01"},
		} {
			if st, body, _ := send(admin, "POST", base+"/api/v1/orgs", o); st != http.StatusCreated {
				t.Fatalf("round %d: create %s: %d %s", round, o["code"], st, body)
			}
		}

		var wg sync.WaitGroup
		var mu sync.Mutex
		var slowest time.Duration
		start := make(chan struct{})
		for i := range clients {
			wg.Go(func() {
				<-start
				c := newClient(t)
				code := fmt.Sprintf("eaphe-t%d", i)
				steps := []struct {
					method, path string
					body         any
					want         int
				}{
					{"POST", "/api/v1/auth/login", map[string]string{"username": fmt.Sprintf("quantri%d", i), "password": password}, http.StatusOK},
					{"POST", "/api/v1/orgs", map[string]string{"code": code, "name": fmt.Sprintf("Chi bộ thôn %d", i), "kind": "chapter",
						"sector": "commune", "parent": "eaphe", "valid_from": "2020-01-01"}, http.StatusCreated},
					{"POST", "/api/v1/people", map[string]any{"full_name": fmt.Sprintf("Nguyễn Văn Số %d", i), "birth_date": "1990-03-15",
						"sex": "male", "ethnicity": "Kinh", "education": "upper_secondary", "org": code, "stage": "source"}, http.StatusCreated},
					{"GET", "/api/v1/people?org=" + code, nil, http.StatusOK},
				}
				for _, s := range steps {
					t0 := time.Now()
					st, body, err := send(c, s.method, base+s.path, s.body)
					el := time.Since(t0)
					mu.Lock()
					slowest = max(slowest, el)
					mu.Unlock()
					if err != nil || st != s.want {
						t.Errorf("round %d, client %d: %s %s: %d %s (%v); want %d", round, i, s.method, s.path, st, body, err, s.want)
						return
					}
				}
			})
		}
		close(start)
		wg.Wait()
		t.Logf("round %d: the slowest answer took %v", round, slowest)
		var page struct{ Total int }
		if st, body, _ := send(admin, "GET", base+"/api/v1/people?org=eaphe", nil); st != http.StatusOK || json.Unmarshal(body, &page) != nil || page.Total != clients {
			t.Errorf("round %d: people of eaphe: %d %s; want %d people", round, st, body, clients)
		}
		cancel()
		<-done
	}
}

// serve starts `ketnap serve` on the database and returns its address and
// a channel closed when it has stopped (after ctx is cancelled).
func serve(t *testing.T, ctx context.Context, dsn string) (string, chan struct{}) {
	t.Helper()
	ready := make(chan string, 1)
	done := make(chan struct{})
	var errb bytes.Buffer
	go func() {
		defer close(done)
		cli.Main(cli.Env{Ctx: ctx, Args: []string{"serve", "--db", dsn, "--addr", "127.0.0.1:0"}, Stdin: strings.NewReader(""),
			Stdout: io.Discard, Stderr: &errb, Getenv: func(string) string { return "" }, Ready: func(addr string) { ready <- addr }})
	}()
	select {
	case addr := <-ready:
		return "http://" + addr, done
	case <-done:
		t.Fatalf("serve exited: %s", errb.String())
	case <-time.After(60 * time.Second):
		t.Fatal("serve did not start")
	}
	return "", nil
}

func newClient(t *testing.T) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Error(err)
	}
	return &http.Client{Jar: jar, Timeout: 60 * time.Second}
}

func signIn(t *testing.T, base, username string) *http.Client {
	t.Helper()
	c := newClient(t)
	if st, body, err := send(c, "POST", base+"/api/v1/auth/login", map[string]string{"username": username, "password": password}); st != http.StatusOK {
		t.Fatalf("login %s: %d %s %v", username, st, body, err)
	}
	return c
}

// send does a request with a JSON body (when not nil) and returns the
// status and the body, which must be exactly one JSON value.
func send(c *http.Client, method, url string, body any) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		return 0, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, data, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var v any
	if err := dec.Decode(&v); err != nil {
		return resp.StatusCode, data, fmt.Errorf("not JSON: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return resp.StatusCode, data, fmt.Errorf("more than one JSON value in the body")
	}
	return resp.StatusCode, data, nil
}
