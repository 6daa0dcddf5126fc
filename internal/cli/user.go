package cli

import (
	"fmt"
	"strconv"
	"text/tabwriter"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/service"
	"ketnap/internal/vn"
)

const userUsage = `Cách dùng:
  ketnap user add --username U --role R [--org MÃ] [--name "Họ và tên"]   tạo người dùng (mật khẩu ở dòng đầu của đầu vào chuẩn)
  ketnap user list                                                      danh sách người dùng: vai trò, phạm vi, trạng thái
  ketnap user disable --username U                                      khóa tài khoản (mọi phiên và mã truy cập dừng ngay)
  ketnap user enable --username U                                       mở khóa tài khoản
  ketnap user passwd --username U                                       đặt mật khẩu (dòng đầu của đầu vào chuẩn)`

func cmdUser(env Env, args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(env.Stderr, userUsage)
		return exitUsage
	}
	switch args[0] {
	case "add":
		return cmdUserAdd(env, args[1:])
	case "list":
		return cmdUserList(env, args[1:])
	case "disable", "enable":
		return cmdUserActive(env, args[0], args[1:])
	case "passwd":
		return cmdUserPasswd(env, args[1:])
	}
	fmt.Fprintf(env.Stderr, "Lệnh không hợp lệ: user %s\n%s\n", args[0], userUsage)
	return exitUsage
}

// readPassword reads the password from the first line of standard input.
func readPassword(env Env, cmd string) (string, error) {
	password, err := readLine(env.Stdin)
	if err != nil {
		return "", err
	}
	if password == "" {
		return "", domain.FieldError("password", "Chưa nhập mật khẩu: đưa mật khẩu vào dòng đầu của đầu vào chuẩn, ví dụ: echo 'một câu dài chỉ bạn biết' | ketnap %s …", cmd)
	}
	return password, nil
}

func cmdUserAdd(env Env, args []string) int {
	fs, db := newFlags(env, "user add")
	username := fs.String("username", "", "tên đăng nhập")
	role := fs.String("role", "", "vai trò: admin, organizer, secretary, trainer, viewer")
	org := fs.String("org", "", "mã tổ chức (bắt buộc trừ admin)")
	name := fs.String("name", "", "họ và tên người dùng")
	if ok, st := parse(env, fs, args); !ok {
		return st
	}
	if *username == "" || *role == "" {
		fmt.Fprintln(env.Stderr, "Cần --username và --role")
		return exitUsage
	}
	password, err := readPassword(env, "user add")
	if err != nil {
		return fail(env, err)
	}
	ctx, cancel := signalContext(env)
	defer cancel()
	svc, err := open(ctx, *db, nil)
	if err != nil {
		return fail(env, err)
	}
	defer svc.Close()
	u, err := svc.CreateUser(systemCtx(ctx), service.NewUser{Username: *username, FullName: *name, Role: *role, OrgCode: *org, Password: password})
	if err != nil {
		return fail(env, err)
	}
	scope := "toàn hệ thống"
	if *org != "" {
		scope = "tổ chức " + *org + " và các đơn vị trực thuộc"
	}
	fmt.Fprintf(env.Stdout, "Đã tạo người dùng %s (%s), phạm vi: %s\n", u.Username, domain.RoleName(u.Role), scope)
	return exitOK
}

// userState is the Vietnamese state of a user.
func userState(u *domain.User) string {
	switch {
	case !u.Active:
		return "Đã khóa"
	case u.MustChangePassword:
		return "Chờ đổi mật khẩu tạm"
	}
	return "Đang hoạt động"
}

func cmdUserList(env Env, args []string) int {
	fs, db := newFlags(env, "user list")
	if ok, st := parse(env, fs, args); !ok {
		return st
	}
	ctx, cancel := signalContext(env)
	defer cancel()
	svc, err := open(ctx, *db, nil)
	if err != nil {
		return fail(env, err)
	}
	defer svc.Close()
	users, err := svc.AllUsers(systemCtx(ctx))
	if err != nil {
		return fail(env, err)
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "Tên đăng nhập\tHọ và tên\tVai trò\tPhạm vi\tTrạng thái\tMã truy cập")
	for _, u := range users {
		scope := "Toàn hệ thống"
		if u.OrgCode != "" {
			scope = u.OrgName + " (" + u.OrgCode + ")"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\n", u.Username, dash(u.FullName), domain.RoleName(u.Role), scope, userState(u.User), u.Tokens)
	}
	if err := tw.Flush(); err != nil {
		return fail(env, err)
	}
	fmt.Fprintf(env.Stdout, "Tổng cộng %s người dùng\n", vn.Int(len(users)))
	return exitOK
}

func dash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func cmdUserActive(env Env, verb string, args []string) int {
	fs, db := newFlags(env, "user "+verb)
	username := fs.String("username", "", "tên đăng nhập")
	if ok, st := parse(env, fs, args); !ok {
		return st
	}
	if *username == "" {
		fmt.Fprintln(env.Stderr, "Cần --username")
		return exitUsage
	}
	ctx, cancel := signalContext(env)
	defer cancel()
	svc, err := open(ctx, *db, nil)
	if err != nil {
		return fail(env, err)
	}
	defer svc.Close()
	u, err := svc.SetUserActive(systemCtx(ctx), *username, verb == "enable")
	if err != nil {
		return fail(env, err)
	}
	if u.Active {
		fmt.Fprintf(env.Stdout, "Đã mở khóa tài khoản %s\n", u.Username)
	} else {
		fmt.Fprintf(env.Stdout, "Đã khóa tài khoản %s: mọi phiên đăng nhập và mã truy cập của tài khoản này dừng ngay\n", u.Username)
	}
	return exitOK
}

func cmdUserPasswd(env Env, args []string) int {
	fs, db := newFlags(env, "user passwd")
	username := fs.String("username", "", "tên đăng nhập")
	if ok, st := parse(env, fs, args); !ok {
		return st
	}
	if *username == "" {
		fmt.Fprintln(env.Stderr, "Cần --username")
		return exitUsage
	}
	password, err := readPassword(env, "user passwd")
	if err != nil {
		return fail(env, err)
	}
	ctx, cancel := signalContext(env)
	defer cancel()
	svc, err := open(ctx, *db, nil)
	if err != nil {
		return fail(env, err)
	}
	defer svc.Close()
	if err := svc.SetPassword(systemCtx(ctx), *username, password); err != nil {
		return fail(env, err)
	}
	fmt.Fprintf(env.Stdout, "Đã đặt mật khẩu mới cho %s; các phiên đăng nhập cũ của tài khoản này đã kết thúc\n", *username)
	return exitOK
}

const tokenUsage = `Cách dùng:
  ketnap token create --username U [--name TÊN] [--days 90] [--metrics]   tạo mã truy cập (hết hạn sau --days ngày; --metrics: chỉ để đọc /metrics)
  ketnap token list [--username U]                                       danh sách mã truy cập (không bao giờ hiện mã)
  ketnap token revoke ID                                                 thu hồi một mã truy cập`

func cmdToken(env Env, args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(env.Stderr, tokenUsage)
		return exitUsage
	}
	switch args[0] {
	case "create":
		return cmdTokenCreate(env, args[1:])
	case "list":
		return cmdTokenList(env, args[1:])
	case "revoke":
		return cmdTokenRevoke(env, args[1:])
	}
	fmt.Fprintf(env.Stderr, "Lệnh không hợp lệ: token %s\n%s\n", args[0], tokenUsage)
	return exitUsage
}

func cmdTokenCreate(env Env, args []string) int {
	fs, db := newFlags(env, "token create")
	username := fs.String("username", "", "tên đăng nhập của người dùng")
	name := fs.String("name", "", "tên gợi nhớ của mã truy cập")
	days := fs.Int("days", service.TokenDays, "số ngày mã còn hiệu lực")
	metrics := fs.Bool("metrics", false, "mã chỉ dùng để đọc số liệu giám sát GET /metrics")
	if ok, st := parse(env, fs, args); !ok {
		return st
	}
	if *username == "" {
		fmt.Fprintln(env.Stderr, "Cần --username")
		return exitUsage
	}
	if *days < 1 {
		fmt.Fprintln(env.Stderr, "--days phải là số ngày dương")
		return exitUsage
	}
	ctx, cancel := signalContext(env)
	defer cancel()
	svc, err := open(ctx, *db, nil)
	if err != nil {
		return fail(env, err)
	}
	defer svc.Close()
	token, t, err := svc.CreateToken(systemCtx(ctx), service.TokenInput{Username: *username, Name: *name, Days: *days, Metrics: *metrics})
	if err != nil {
		return fail(env, err)
	}
	fmt.Fprintln(env.Stdout, token)
	what := "Dùng: Authorization: Bearer <mã>"
	if t.Metrics {
		what = "Mã này chỉ đọc được GET /metrics (Authorization: Bearer <mã>)"
	}
	fmt.Fprintf(env.Stderr, "Mã truy cập số %d chỉ hiện một lần, hết hạn lúc %s. %s\n", t.ID, vn.DateTime(*t.ExpiresAt), what)
	return exitOK
}

func cmdTokenList(env Env, args []string) int {
	fs, db := newFlags(env, "token list")
	username := fs.String("username", "", "chỉ các mã của người dùng này")
	if ok, st := parse(env, fs, args); !ok {
		return st
	}
	ctx, cancel := signalContext(env)
	defer cancel()
	svc, err := open(ctx, *db, nil)
	if err != nil {
		return fail(env, err)
	}
	defer svc.Close()
	tokens, err := svc.Tokens(systemCtx(ctx), *username)
	if err != nil {
		return fail(env, err)
	}
	now := time.Now()
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "Số\tNgười dùng\tTên\tQuyền\tTạo lúc\tHết hạn\tDùng lần cuối\tTrạng thái")
	for _, t := range tokens {
		perm := "API"
		if t.Metrics {
			perm = "/metrics"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.Username, t.Name, perm, vn.DateTime(t.CreatedAt),
			timeOr(t.ExpiresAt, "không hết hạn"), timeOr(t.LastUsed, "chưa dùng"), domain.TokenStateName(t.State(now)))
	}
	if err := tw.Flush(); err != nil {
		return fail(env, err)
	}
	fmt.Fprintf(env.Stdout, "Tổng cộng %s mã truy cập\n", vn.Int(len(tokens)))
	return exitOK
}

func timeOr(t *time.Time, none string) string {
	if t == nil {
		return none
	}
	return vn.DateTime(*t)
}

func cmdTokenRevoke(env Env, args []string) int {
	fs, db := newFlags(env, "token revoke")
	var rest []string
	for len(args) > 0 { // the id may come before or after the flags
		if err := fs.Parse(args); err != nil {
			return exitUsage
		}
		if fs.NArg() == 0 {
			break
		}
		rest, args = append(rest, fs.Arg(0)), fs.Args()[1:]
	}
	if len(rest) != 1 {
		fmt.Fprintln(env.Stderr, "Cách dùng: ketnap token revoke ID (số của mã, xem ketnap token list)")
		return exitUsage
	}
	id, err := strconv.ParseInt(rest[0], 10, 64)
	if err != nil || id <= 0 {
		fmt.Fprintf(env.Stderr, "Số mã truy cập không hợp lệ: %q\n", rest[0])
		return exitUsage
	}
	ctx, cancel := signalContext(env)
	defer cancel()
	svc, err := open(ctx, *db, nil)
	if err != nil {
		return fail(env, err)
	}
	defer svc.Close()
	t, err := svc.RevokeToken(systemCtx(ctx), id)
	if err != nil {
		return fail(env, err)
	}
	fmt.Fprintf(env.Stdout, "Đã thu hồi mã truy cập số %d (%s, người dùng %s)\n", t.ID, t.Name, t.Username)
	return exitOK
}

func cmdAudit(env Env, args []string) int {
	if len(args) == 0 || args[0] != "verify" {
		fmt.Fprintln(env.Stderr, "Cách dùng: ketnap audit verify   kiểm tra chuỗi băm của nhật ký hệ thống")
		return exitUsage
	}
	fs, db := newFlags(env, "audit verify")
	if ok, st := parse(env, fs, args[1:]); !ok {
		return st
	}
	ctx, cancel := signalContext(env)
	defer cancel()
	svc, err := open(ctx, *db, nil)
	if err != nil {
		return fail(env, err)
	}
	defer svc.Close()
	v, err := svc.VerifyAudit(systemCtx(ctx))
	if err != nil {
		return fail(env, err)
	}
	if !v.OK {
		fmt.Fprintln(env.Stderr, "Lỗi: "+v.Message)
		return exitFail
	}
	fmt.Fprintln(env.Stdout, v.Message)
	return exitOK
}
