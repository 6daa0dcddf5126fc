package cli

import (
	"fmt"

	"ketnap/internal/domain"
	"ketnap/internal/service"
)

func cmdUser(env Env, args []string) int {
	if len(args) == 0 || args[0] != "add" {
		fmt.Fprintln(env.Stderr, "Cách dùng: ketnap user add --username U --role R [--org MÃ] [--name \"Họ và tên\"] (mật khẩu ở dòng đầu của đầu vào chuẩn)")
		return exitUsage
	}
	fs, db := newFlags(env, "user add")
	username := fs.String("username", "", "tên đăng nhập")
	role := fs.String("role", "", "vai trò: admin, organizer, secretary, trainer, viewer")
	org := fs.String("org", "", "mã tổ chức (bắt buộc trừ admin)")
	name := fs.String("name", "", "họ và tên người dùng")
	if ok, st := parse(env, fs, args[1:]); !ok {
		return st
	}
	if *username == "" || *role == "" {
		fmt.Fprintln(env.Stderr, "Cần --username và --role")
		return exitUsage
	}
	password, err := readLine(env.Stdin)
	if err != nil {
		return fail(env, err)
	}
	if password == "" {
		return fail(env, domain.FieldError("password", "Chưa nhập mật khẩu: đưa mật khẩu vào dòng đầu của đầu vào chuẩn, ví dụ: echo 'MậtKhẩu123' | ketnap user add …"))
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

func cmdToken(env Env, args []string) int {
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprintln(env.Stderr, "Cách dùng: ketnap token create --username U [--name TÊN]")
		return exitUsage
	}
	fs, db := newFlags(env, "token create")
	username := fs.String("username", "", "tên đăng nhập của người dùng")
	name := fs.String("name", "script", "tên gợi nhớ của mã truy cập")
	if ok, st := parse(env, fs, args[1:]); !ok {
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
	token, err := svc.CreateToken(systemCtx(ctx), *username, *name)
	if err != nil {
		return fail(env, err)
	}
	fmt.Fprintln(env.Stdout, token)
	fmt.Fprintln(env.Stderr, "Mã truy cập chỉ hiện một lần. Dùng: Authorization: Bearer <mã>")
	return exitOK
}
