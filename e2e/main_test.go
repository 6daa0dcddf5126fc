// Package e2e boots the whole program (the real binary's Main, a real
// database, the demo district) on a free port and drives it over HTTP
// and through a real browser. The database is a SQLite file, or a fresh
// PostgreSQL database when KETNAP_TEST_POSTGRES names a server.
package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"strings"
	"testing"
	"time"

	"ketnap/internal/cli"
	"ketnap/internal/testkit"
	"ketnap/internal/testkit/demodb"
	"ketnap/internal/testkit/testdb"
)

// app is the program booted once for the package's tests.
var app struct {
	base string // http://127.0.0.1:PORT
	db   string
}

// Users created with `ketnap user add`, as a newcomer would.
const (
	organizer = "bantochuc"
	secretary = "bithu.lhp"
	password  = "Mật-khẩu-thử-nghiệm-2024"
)

// run runs the ketnap command line with args and stdin, returning its
// exit status, standard output and standard error.
func run(ctx context.Context, stdin string, args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := cli.Main(cli.Env{Ctx: ctx, Args: args, Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb,
		Getenv: func(string) string { return "" }})
	return code, out.String(), errb.String()
}

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "ketnap-e2e-")
	if err != nil {
		panic(err)
	}
	// the demo district, loaded once for the run's packages (demodb)
	db, drop, err := demodb.Shared(dir)
	if err != nil && testkit.OnPostgres() && !testdb.Required() {
		fmt.Fprintln(os.Stderr, "SKIPPING e2e:", err)
		os.RemoveAll(dir)
		os.Exit(0)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	app.db = db
	code := func() int {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		for _, u := range [][]string{
			{"--username", organizer, "--role", "organizer", "--org", "daklak"},
			{"--username", secretary, "--role", "secretary", "--org", "krongpac-thpt-lehongphong"},
		} {
			args := append([]string{"user", "add", "--db", app.db}, u...)
			if c, _, e := run(ctx, password+"\n", args...); c != 0 {
				fmt.Fprintln(os.Stderr, "user add:", e)
				return 1
			}
		}
		ready := make(chan string, 1)
		done := make(chan int, 1)
		go func() {
			var out, errb bytes.Buffer
			done <- cli.Main(cli.Env{Ctx: ctx, Args: []string{"serve", "--db", app.db, "--addr", "127.0.0.1:0"},
				Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" },
				Ready: func(addr string) { ready <- addr }})
		}()
		select {
		case addr := <-ready:
			app.base = "http://" + addr
		case c := <-done:
			fmt.Fprintln(os.Stderr, "serve exited", c)
			return 1
		case <-time.After(60 * time.Second):
			fmt.Fprintln(os.Stderr, "serve did not start")
			return 1
		}
		code := m.Run()
		cancel()
		<-done
		return code
	}()
	if err := drop(); err != nil {
		fmt.Fprintln(os.Stderr, "drop the e2e database:", err)
		code = 1
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

// client is an HTTP client with its own cookie jar.
func client(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// call does a request and decodes a JSON answer into out (when not nil).
func call(t *testing.T, c *http.Client, method, path string, body any, out any) int {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, app.base+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("%s %s: %d, not JSON: %s", method, path, resp.StatusCode, data)
		}
	}
	return resp.StatusCode
}

// login signs in through the API and returns the client holding the session.
func login(t *testing.T, username string) *http.Client {
	t.Helper()
	c := client(t)
	if st := call(t, c, "POST", "/api/v1/auth/login", map[string]string{"username": username, "password": password}, nil); st != 200 {
		t.Fatalf("login %s: status %d", username, st)
	}
	return c
}

func jsonDecode(resp *http.Response, v any) error {
	return json.NewDecoder(resp.Body).Decode(v)
}
