// Package cli is the ketnap command line: one binary for the server and
// the administrative commands (CONTRACT "Binary and storage", "Commands").
package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"ketnap/internal/domain"
	"ketnap/internal/service"
	"ketnap/internal/store"
)

// Exit statuses (CONTRACT): 0 success, 1 the command ran and failed, 2 wrong usage.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

// Env is what a command gets: arguments and standard streams.
type Env struct {
	Args   []string
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
	// Ctx, when set, stops long-running commands (serve) when cancelled.
	Ctx context.Context
	// Ready, when set, is called by serve with the address it listens on
	// (tests boot the server on 127.0.0.1:0).
	Ready func(addr string)
}

const usage = `ketnap — quản lý công tác phát triển đảng viên

Cách dùng:
  ketnap serve [--addr 127.0.0.1:8080] [--demo] [--metrics-public]   chạy máy chủ web và API
  ketnap demo                                         nạp dữ liệu mẫu huyện Krông Pắc
  ketnap demo --country [--scale 0.1]                 nạp dữ liệu mẫu cả nước (34 tỉnh, thành phố; tỉ lệ 1 là quy mô thật)
  ketnap user add --username U --role R [--org MÃ]    tạo người dùng (mật khẩu đọc từ dòng đầu của đầu vào chuẩn)
  ketnap user list | disable|enable --username U | passwd --username U
                                                      danh sách người dùng, khóa, mở khóa, đặt mật khẩu (đầu vào chuẩn)
  ketnap token create --username U [--name TÊN] [--days 90] [--metrics]   tạo mã truy cập cho script
  ketnap token list [--username U] | revoke ID        danh sách mã truy cập (không hiện mã), thu hồi một mã
  ketnap audit verify                                 kiểm tra chuỗi băm của nhật ký hệ thống
  ketnap report progress [--org MÃ] --year NĂM [--asof NNNN-TT-NN] [--format json|table]
  ketnap report conference [--org MÃ] --year NĂM [--asof NNNN-TT-NN] -o TỆP.docx|.pdf|.xlsx   báo cáo hội nghị (Word, PDF, Excel)
  ketnap calendar lunar|solar|workdays|holidays ...   lịch âm, ngày làm việc, ngày nghỉ
  ketnap calendar record NĂM [TỆP] | forget NĂM       ghi nhận hoặc xóa lịch nghỉ đã công bố của một năm
  ketnap export template KIND -o TỆP.xlsx             tệp mẫu Excel để nhập (KIND: orgs, members, candidates, targets, reorg)
  ketnap export orgs|targets [--org MÃ] [--year NĂM] -o TỆP.xlsx
                                                      tổ chức, chỉ tiêu theo mẫu nhập (sửa rồi nhập lại được)
  ketnap import KIND TỆP.xlsx [--dry-run] [--valid-only] [--format json|text]   nhập từ Excel; có dòng sai thì không nhập gì
  ketnap reorg apply TỆP.json|TỆP.xlsx [--dry-run] [--format json|text]   áp dụng phương án sắp xếp tổ chức (một quyết định, tất cả hoặc không gì)
  ketnap rules check [TỆP]                            kiểm tra hồ sơ kết nạp (JSON từ TỆP hoặc đầu vào chuẩn); thoát 0 cả khi hồ sơ chưa đạt
  ketnap backup TỆP                                   sao lưu cơ sở dữ liệu khi máy chủ đang chạy (SQLite: một tệp SQLite mới; PostgreSQL: pg_dump -Fc)
  ketnap rebuild-counts                               tính lại số kết nạp tổng hợp theo từng tổ chức (báo cáo tiến độ đọc số này)

Mọi lệnh nhận --db DSN (biến môi trường KETNAP_DB; mặc định ketnap.db).
`

// Main runs the command in args (without the program name) and returns the exit status.
func Main(env Env) int {
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	if len(env.Args) == 0 {
		fmt.Fprint(env.Stderr, usage)
		return exitUsage
	}
	cmd, rest := env.Args[0], env.Args[1:]
	switch cmd {
	case "serve":
		return cmdServe(env, rest)
	case "demo":
		return cmdDemo(env, rest)
	case "user":
		return cmdUser(env, rest)
	case "token":
		return cmdToken(env, rest)
	case "audit":
		return cmdAudit(env, rest)
	case "report":
		return cmdReport(env, rest)
	case "calendar":
		return cmdCalendar(env, rest)
	case "rules":
		return cmdRules(env, rest)
	case "import":
		return cmdImport(env, rest)
	case "export":
		return cmdExport(env, rest)
	case "reorg":
		return cmdReorg(env, rest)
	case "backup":
		return cmdBackup(env, rest)
	case "rebuild-counts":
		return cmdRebuildCounts(env, rest)
	case "help", "-h", "--help":
		fmt.Fprint(env.Stdout, usage)
		return exitOK
	}
	fmt.Fprintf(env.Stderr, "Lệnh không hợp lệ: %q\n\n%s", cmd, usage)
	return exitUsage
}

// newFlags returns a flag set that reports errors in Vietnamese and has --db.
func newFlags(env Env, name string) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	def := env.Getenv("KETNAP_DB")
	if def == "" {
		def = "ketnap.db"
	}
	db := fs.String("db", def, "cơ sở dữ liệu: đường dẫn tệp SQLite hoặc postgres://…")
	return fs, db
}

// parse parses flags, returning the exit status for wrong usage (or 0 for -h).
func parse(env Env, fs *flag.FlagSet, args []string) (ok bool, status int) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return false, exitOK
		}
		return false, exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "Tham số thừa: %s\n", strings.Join(fs.Args(), " "))
		return false, exitUsage
	}
	return true, 0
}

// open opens the store and a service acting as the system administrator.
func open(ctx context.Context, dsn string, log *slog.Logger) (*service.Service, error) {
	_, svc, err := openStore(ctx, dsn, log)
	return svc, err
}

// openStore opens the database and the service over it. The command line
// is the composition root: the only place besides the demo's bulk loader
// that holds the store itself (closing the service closes it).
func openStore(ctx context.Context, dsn string, log *slog.Logger) (*store.Store, *service.Service, error) {
	st, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, nil, err
	}
	return st, service.New(st, log), nil
}

// fail prints err in Vietnamese and returns exit status 1.
func fail(env Env, err error) int {
	msg := domain.ErrorMessage(err)
	if domain.ErrorCode(err) == domain.EInternal {
		msg += "\nChi tiết: " + err.Error()
	}
	fmt.Fprintln(env.Stderr, "Lỗi: "+msg)
	return exitFail
}

// signalContext is cancelled on SIGINT or SIGTERM, or with env.Ctx.
func signalContext(env Env) (context.Context, context.CancelFunc) {
	parent := env.Ctx
	if parent == nil {
		parent = context.Background()
	}
	return signal.NotifyContext(parent, os.Interrupt, syscall.SIGTERM)
}

// systemCtx returns ctx acting as the system administrator.
func systemCtx(ctx context.Context) context.Context { return service.WithUser(ctx, service.System) }

// readLine reads the first line of r without its line ending.
func readLine(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}
