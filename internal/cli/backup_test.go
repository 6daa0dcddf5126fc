package cli

import (
	"context"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/service"
	"ketnap/internal/store"
	"ketnap/internal/testkit"
)

// Issue 13, item 6: `ketnap backup FILE` (CONTRACT) makes a copy that
// restores: SQLite's copy opens with the store; PostgreSQL's goes back
// into a fresh database with pg_restore. Either way every table has as
// many rows as the database had.
func TestBackupRestores(t *testing.T) {
	db := demoDB(t)
	file := filepath.Join(t.TempDir(), "ketnap-2024-05-04.db")
	code, out, errs := runCLI(t, "", "backup", file, "--db", db)
	if code != 0 || !strings.Contains(out, "Đã sao lưu cơ sở dữ liệu vào "+file) {
		t.Fatalf("backup: %d %q %q", code, out, errs)
	}
	want := tableCounts(t, db)
	if want["people"] < 1000 || want["cases"] == 0 {
		t.Fatalf("the demo has %v", want)
	}
	restored := restore(t, db, file)
	if got := tableCounts(t, restored); !maps.Equal(got, want) {
		t.Errorf("restored tables %v; want %v", got, want)
	}
	// no temporary file left beside the copy
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(file), ".*tmp-*")); len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
}

// restore puts the backup file of the database db back into a fresh
// database and returns its DSN: SQLite's copy is a database file (copied,
// as a restore copies it); PostgreSQL's custom dump goes through
// pg_restore, when the machine has it.
func restore(t *testing.T, db, file string) string {
	t.Helper()
	if !store.IsPostgres(db) {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(data), "SQLite format 3\x00") {
			t.Fatalf("the copy is not a SQLite database: %q", data[:min(len(data), 16)])
		}
		path := filepath.Join(t.TempDir(), "restored.db")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	bin, err := exec.LookPath("pg_restore")
	if err != nil {
		t.Skip("pg_restore is not on PATH: the PostgreSQL backup is not restored here")
	}
	fresh := testkit.DSN(t)
	conn, password, err := withoutPassword(fresh)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--no-owner", "--exit-on-error", "--dbname="+conn, file)
	cmd.Env = append(os.Environ(), "PGPASSWORD="+password)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("pg_restore: %v\n%s", err, out)
	}
	return fresh
}

// tableCounts opens the database with the store (which checks its
// migrations) and counts the rows of every table.
func tableCounts(t *testing.T, db string) map[string]int {
	t.Helper()
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatalf("open %s: %v", db, err)
	}
	defer st.Close()
	n, err := st.TableCounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// A backup taken while people are being added holds each of them whole or
// not at all (the person and the audit record of one transaction), and
// the writes go on meanwhile: none fails or waits for the backup.
func TestBackupWhileWriting(t *testing.T) {
	db := demoDB(t)
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	svc := service.New(st, nil)
	ctx := service.WithUser(context.Background(), service.System)
	var written atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for w := range 4 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := svc.CreatePerson(ctx, service.PersonInput{FullName: fmt.Sprintf("Ghi Văn Số %d-%d", w, i), BirthDate: domain.Day(1990, 3, 15),
					Sex: domain.Male, Ethnicity: "Kinh", Education: "upper_secondary", OrgCode: "krongpac-eaphe", Stage: domain.StageSource}); err != nil {
					errs <- err
					return
				}
				written.Add(1)
			}
		})
	}
	for written.Load() < 10 { // the writers are at it
		time.Sleep(5 * time.Millisecond)
	}
	before := written.Load()
	file := filepath.Join(t.TempDir(), "during.db")
	code, out, stderr := runCLI(t, "", "backup", file, "--db", db)
	after := written.Load()
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("a write during the backup: %v", err)
	}
	if code != 0 {
		t.Fatalf("backup during writes: %d %q %q", code, out, stderr)
	}
	t.Logf("%d people written before the backup, %d by its end", before, after)

	copyDB := restore(t, db, file)
	cst, err := store.Open(context.Background(), copyDB)
	if err != nil {
		t.Fatal(err)
	}
	defer cst.Close()
	var people, audits int
	q := cst.DB().QueryRow(`SELECT (SELECT COUNT(*) FROM people WHERE full_name LIKE 'Ghi Văn Số %'),
		(SELECT COUNT(*) FROM audit_log WHERE entity = 'person' AND entity_id IN (SELECT id FROM people WHERE full_name LIKE 'Ghi Văn Số %'))`)
	if err := q.Scan(&people, &audits); err != nil {
		t.Fatal(err)
	}
	if people != audits || int64(people) < before || int64(people) > after {
		t.Errorf("the copy holds %d of the people written and %d of their audit records; want as many, between %d and %d", people, audits, before, after)
	}
}

func TestBackupRefuses(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "ketnap.db")
	if code, _, errs := runCLI(t, "", "backup", filepath.Join(dir, "b.db"), "--db", db); code != 1 || !strings.Contains(errs, "Không có cơ sở dữ liệu SQLite") {
		t.Errorf("a database that does not exist: %d %q", code, errs)
	}
	if _, err := os.Stat(db); err == nil {
		t.Errorf("the backup created the database it was to copy")
	}
	if code, _, errs := runCLI(t, "", "demo", "--db", db); code != 0 {
		t.Fatalf("demo: %s", errs)
	}
	old := filepath.Join(dir, "old.db")
	if err := os.WriteFile(old, []byte("a backup of last year"), 0o600); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty.db")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no file", []string{"backup", "--db", db}, 2, "Cần tên tệp sao lưu"},
		{"two files", []string{"backup", "a.db", "b.db", "--db", db}, 2, "Tham số thừa: b.db"},
		{"a file with data", []string{"backup", old, "--db", db}, 1, "đã có (21 byte): ketnap không ghi đè lên tệp có dữ liệu"},
		{"a directory", []string{"backup", dir, "--db", db}, 1, "là một thư mục"},
		{"no such directory", []string{"backup", filepath.Join(dir, "none", "b.db"), "--db", db}, 1, "Không có thư mục"},
		{"the database itself", []string{"backup", db, "--db", db}, 1, "ketnap không ghi đè"},
		{"an empty file", []string{"backup", empty, "--db", db}, 0, ""},
	} {
		code, _, errs := runCLI(t, "", c.args...)
		if code != c.code || !strings.Contains(errs, c.msg) {
			t.Errorf("%s: exit %d %q; want %d and %q", c.name, code, errs, c.code, c.msg)
		}
	}
	if b, _ := os.ReadFile(old); string(b) != "a backup of last year" {
		t.Errorf("the existing file changed: %q", b)
	}
	if fi, _ := os.Stat(empty); fi == nil || fi.Size() == 0 {
		t.Errorf("the empty file did not become the backup")
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*tmp-*")); len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}

	// PostgreSQL without pg_dump: exit 1, saying so (nothing is reached)
	t.Setenv("PATH", t.TempDir())
	code, _, errs := runCLI(t, "", "backup", filepath.Join(dir, "pg.dump"), "--db", "postgres://ketnap:bí-mật@127.0.0.1:1/ketnap")
	if code != 1 || !strings.Contains(errs, "Không tìm thấy lệnh pg_dump trên PATH") || strings.Contains(errs, "bí-mật") {
		t.Errorf("without pg_dump: %d %q", code, errs)
	}
}

// The password of a PostgreSQL DSN goes to pg_dump through PGPASSWORD,
// not on its command line.
func TestWithoutPassword(t *testing.T) {
	for dsn, want := range map[string][2]string{
		"postgres://ketnap:b%C3%AD%20m%E1%BA%ADt@db.local:5432/ketnap?sslmode=require": {"postgres://ketnap@db.local:5432/ketnap?sslmode=require", "bí mật"},
		"postgresql://ketnap@db.local/ketnap":                                          {"postgresql://ketnap@db.local/ketnap", ""},
		"postgres://db.local/ketnap":                                                   {"postgres://db.local/ketnap", ""},
	} {
		conn, password, err := withoutPassword(dsn)
		if err != nil || conn != want[0] || password != want[1] {
			t.Errorf("withoutPassword(%q) = %q, %q, %v; want %q, %q", dsn, conn, password, err, want[0], want[1])
		}
	}
}
