package cli

import (
	"fmt"

	"ketnap/internal/demo"
	"ketnap/internal/vn"
)

func cmdDemo(env Env, args []string) int {
	fs, db := newFlags(env, "demo")
	if ok, st := parse(env, fs, args); !ok {
		return st
	}
	ctx, cancel := signalContext(env)
	defer cancel()
	st, svc, err := openStore(ctx, *db, nil)
	if err != nil {
		return fail(env, err)
	}
	defer svc.Close()
	loaded, err := demo.Load(systemCtx(ctx), st, func(s string) { fmt.Fprintln(env.Stderr, s) })
	if err != nil {
		return fail(env, err)
	}
	if !loaded {
		fmt.Fprintf(env.Stdout, "Cơ sở dữ liệu %s đã có dữ liệu mẫu (tính đến ngày %s); không nạp lại.\n", *db, vn.Date(demo.AsOf))
		return exitOK
	}
	fmt.Fprintf(env.Stdout, "Đã nạp dữ liệu mẫu huyện Krông Pắc (hư cấu) tính đến ngày %s vào %s.\n", vn.Date(demo.AsOf), *db)
	return exitOK
}
