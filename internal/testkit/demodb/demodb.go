// Package demodb gives tests a database holding the demo district
// (internal/demo), loaded once for every test process of a run instead of
// once per package: the load goes through the service for every case,
// class and decision up to the demo's last day, and takes seconds on
// SQLite but minutes on PostgreSQL. The database is built under a key
// hashed from the product's sources (every file under cmd/ and internal/
// except tests and test data, and go.mod, go.sum), so a change to any of
// them builds it again; tests get a copy of it.
package demodb

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"ketnap/internal/demo"
	"ketnap/internal/service"
	"ketnap/internal/store"
	"ketnap/internal/testkit/testdb"
)

var built struct {
	once sync.Once
	dsn  string
	err  error
}

// Template returns the database holding the demo (a SQLite file or a
// PostgreSQL database name, see testdb.Built), building it when no test
// process has yet. Copy it; never write to it.
func Template() (string, error) {
	built.once.Do(func() {
		key, err := sourcesKey()
		if err != nil {
			built.err = err
			return
		}
		built.dsn, built.err = testdb.Built("demo", key, func(dsn string) error {
			ctx := context.Background()
			st, err := store.Open(ctx, dsn)
			if err != nil {
				return err
			}
			if _, err := demo.Load(service.WithUser(ctx, service.System), st, nil); err != nil {
				st.Close()
				return err
			}
			return st.Close()
		})
	})
	return built.dsn, built.err
}

// DSN returns a fresh copy of the demo database for the test, as the
// value of --db, removed when the test ends.
func DSN(t testing.TB) string {
	t.Helper()
	tpl, err := Template()
	if err != nil {
		if testdb.Postgres() && !testdb.Required() {
			t.Skipf("SKIPPING: the demo database on PostgreSQL: %v", err)
		}
		t.Fatalf("the demo database: %v", err)
	}
	if testdb.Postgres() {
		return testdb.FromTemplate(t, tpl)
	}
	return testdb.Copy(t, tpl)
}

// Open opens a store on a fresh copy of the demo database, closed when
// the test ends.
func Open(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open(t.Context(), DSN(t))
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// sourcesKey hashes the product's sources: their paths, sizes and
// contents, in path order.
func sourcesKey() (string, error) {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return "", fmt.Errorf("demodb: no source path")
	}
	root := filepath.Join(filepath.Dir(file), "..", "..", "..")
	var files []string
	for _, dir := range []string{"cmd", "internal"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if d.Name() == "testdata" {
					return filepath.SkipDir
				}
				return nil
			}
			if !strings.HasSuffix(p, "_test.go") {
				files = append(files, p)
			}
			return nil
		})
		if err != nil {
			return "", err
		}
	}
	files = append(files, filepath.Join(root, "go.mod"), filepath.Join(root, "go.sum"))
	slices.Sort(files)
	h := sha256.New()
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return "", err
		}
		rel, _ := filepath.Rel(root, f)
		fmt.Fprintf(h, "%s %d\n", filepath.ToSlash(rel), len(data))
		h.Write(data)
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}

// Shared returns a copy of the demo database for several tests of a
// package (made once, in TestMain or a sync.Once): a SQLite file in dir,
// or a new PostgreSQL database that drop removes.
func Shared(dir string) (dsn string, drop func() error, err error) {
	tpl, err := Template()
	if err != nil {
		return "", nil, err
	}
	return testdb.CopyBuilt(tpl, dir)
}
