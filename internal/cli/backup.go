package cli

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/store"
	"ketnap/internal/vn"
)

const backupUsage = "Cách dùng: ketnap backup TỆP [--db DSN]\n"

// cmdBackup writes a consistent copy of the database into FILE while the
// server runs (CONTRACT "Commands"; issue 13, item 6). SQLite: a new
// SQLite file (VACUUM INTO, store.BackupSQLite); PostgreSQL: pg_dump's
// custom format, when pg_dump is on PATH. The copy is written under a
// temporary name in FILE's directory and renamed to FILE once whole, so
// that FILE is never half-written. An existing FILE is refused unless it
// is empty (a name made by mktemp, say): a backup never overwrites data.
func cmdBackup(env Env, args []string) int {
	fs, db := newFlags(env, "backup")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() == 0 {
		fmt.Fprint(env.Stderr, "Cần tên tệp sao lưu\n"+backupUsage)
		return exitUsage
	}
	file := fs.Arg(0)
	if ok, st := parse(env, fs, fs.Args()[1:]); !ok {
		return st
	}
	target, err := filepath.Abs(file)
	if err != nil {
		return fail(env, err)
	}
	if err := backupTarget(target); err != nil {
		return fail(env, err)
	}
	ctx, cancel := signalContext(env)
	defer cancel()
	start := time.Now()
	tmp := filepath.Join(filepath.Dir(target), "."+filepath.Base(target)+".tmp-"+rand.Text()[:8])
	defer os.Remove(tmp) // gone once renamed; what a failure left behind
	if store.IsPostgres(*db) {
		err = pgDump(ctx, env, *db, tmp)
	} else {
		err = sqliteBackup(ctx, *db, target, tmp)
	}
	if err == nil {
		err = commit(tmp, target)
	}
	if err != nil {
		return fail(env, err)
	}
	size := "?"
	if fi, err := os.Stat(target); err == nil {
		size = decimal(float64(fi.Size()) / (1 << 20))
	}
	fmt.Fprintf(env.Stdout, "Đã sao lưu cơ sở dữ liệu vào %s (%s MB, %s giây)\n", target, size, decimal(time.Since(start).Seconds()))
	return exitOK
}

// decimal writes x with one decimal, the Vietnamese way (1,5).
func decimal(x float64) string { return strings.Replace(fmt.Sprintf("%.1f", x), ".", ",", 1) }

// backupTarget refuses a target that is a directory, that holds data, or
// whose directory does not exist.
func backupTarget(target string) error {
	fi, err := os.Stat(target)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if _, err := os.Stat(filepath.Dir(target)); err != nil {
			return domain.Errorf(domain.EInvalid, "Không có thư mục %s để ghi bản sao lưu", filepath.Dir(target))
		}
		return nil
	case err != nil:
		return domain.Errorf(domain.EInvalid, "Không kiểm tra được tệp %s: %v", target, err)
	case fi.IsDir():
		return domain.Errorf(domain.EInvalid, "%s là một thư mục: hãy cho tên tệp sao lưu, ví dụ %s", target, filepath.Join(target, "ketnap-"+time.Now().Format("2006-01-02")+".db"))
	case fi.Size() > 0:
		return domain.Errorf(domain.EConflict, "Tệp %s đã có (%s byte): ketnap không ghi đè lên tệp có dữ liệu. Hãy chọn tên khác, ví dụ có ngày sao lưu trong tên, hoặc tự xóa tệp cũ trước", target, vn.Int(int(fi.Size())))
	}
	return nil
}

// sqliteBackup copies the SQLite database path into tmp (but never onto
// itself).
func sqliteBackup(ctx context.Context, path, target, tmp string) error {
	src, err := os.Stat(path)
	if err != nil {
		return domain.Errorf(domain.EInvalid, "Không có cơ sở dữ liệu SQLite %s để sao lưu", path)
	}
	if dst, err := os.Stat(target); err == nil && os.SameFile(src, dst) {
		return domain.Errorf(domain.EInvalid, "Tệp sao lưu không được là chính cơ sở dữ liệu %s", path)
	}
	if err := store.BackupSQLite(ctx, path, tmp); err != nil {
		return domain.Errorf(domain.EInternal, "Không sao lưu được %s: %v", path, err)
	}
	return nil
}

// pgDump runs pg_dump in its custom format (pg_restore reads it) into tmp.
// The DSN's password goes through PGPASSWORD, never the command line,
// which other users of the machine can read.
func pgDump(ctx context.Context, env Env, dsn, tmp string) error {
	bin, err := exec.LookPath("pg_dump")
	if err != nil {
		return domain.Errorf(domain.EInvalid, "Không tìm thấy lệnh pg_dump trên PATH: ketnap sao lưu PostgreSQL bằng pg_dump. Hãy cài gói postgresql-client (Debian, Ubuntu: apt-get install postgresql-client), cùng phiên bản chính với máy chủ PostgreSQL hoặc mới hơn, rồi chạy lại")
	}
	conn, password, err := withoutPassword(dsn)
	if err != nil {
		return domain.Errorf(domain.EInvalid, "DSN PostgreSQL không hợp lệ: %v", err)
	}
	cmd := exec.CommandContext(ctx, bin, "--format=custom", "--no-password", "--file="+tmp, "--dbname="+conn)
	cmd.Env = os.Environ()
	if password != "" {
		cmd.Env = append(cmd.Env, "PGPASSWORD="+password)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return domain.Errorf(domain.EInternal, "pg_dump không sao lưu được (%v): %s", err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

// withoutPassword returns the DSN without its password, and the password.
func withoutPassword(dsn string) (string, string, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return "", "", err
	}
	if u.User == nil {
		return dsn, "", nil
	}
	password, _ := u.User.Password()
	u.User = url.User(u.User.Username())
	return u.String(), password, nil
}

// commit makes tmp the target: flushed to disk, renamed over it (an empty
// file at most), the directory flushed too.
func commit(tmp, target string) error {
	f, err := os.OpenFile(tmp, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := backupTarget(target); err != nil { // made in the meantime
		return err
	}
	if err := os.Rename(tmp, target); err != nil {
		return err
	}
	if d, err := os.Open(filepath.Dir(target)); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
