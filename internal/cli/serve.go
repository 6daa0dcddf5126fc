package cli

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"ketnap/internal/demo"
	"ketnap/internal/domain"
	"ketnap/internal/server"
	"ketnap/internal/service"
	"ketnap/internal/vn"
)

func cmdServe(env Env, args []string) int {
	fs, db := newFlags(env, "serve")
	addr := fs.String("addr", "127.0.0.1:8080", "địa chỉ lắng nghe")
	withDemo := fs.Bool("demo", false, "nạp dữ liệu mẫu vào cơ sở dữ liệu trống và in cách đăng nhập")
	secure := fs.Bool("secure-cookie", false, "đặt cờ Secure cho cookie phiên (khi chạy sau HTTPS)")
	metricsPublic := fs.Bool("metrics-public", false, "cho bất kỳ ai đọc /metrics không cần mã truy cập (chỉ dùng trong mạng nội bộ)")
	if ok, st := parse(env, fs, args); !ok {
		return st
	}
	server.LimitMemory(env.Getenv)
	ctx, cancel := signalContext(env)
	defer cancel()
	log := slog.New(slog.NewTextHandler(env.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	st, svc, err := openStore(ctx, *db, log)
	if err != nil {
		return fail(env, err)
	}
	defer svc.Close()

	var password string
	if *withDemo {
		start := time.Now()
		loaded, err := demo.Load(systemCtx(ctx), st, func(s string) { fmt.Fprintln(env.Stderr, s) })
		if err != nil {
			return fail(env, err)
		}
		if loaded {
			fmt.Fprintf(env.Stderr, "Đã nạp dữ liệu mẫu trong %s.\n", time.Since(start).Round(time.Millisecond))
		}
		password, err = demoAdmin(ctx, svc)
		if err != nil {
			return fail(env, err)
		}
	}
	h, err := server.New(svc, server.Options{SecureCookie: *secure, MetricsPublic: *metricsPublic})
	if err != nil {
		return fail(env, err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fail(env, domain.Errorf(domain.EInternal, "Không lắng nghe được trên %s: %v", *addr, err))
	}
	url := "http://" + ln.Addr().String() + "/"
	fmt.Fprintf(env.Stdout, "ketnap đang chạy tại %s\n", url)
	if *withDemo {
		fmt.Fprintf(env.Stdout, "Dữ liệu mẫu (hư cấu) tính đến ngày %s. Đăng nhập với tên đăng nhập admin, mật khẩu %s\n", vn.Date(demo.AsOf), password)
	}
	if env.Ready != nil {
		env.Ready(ln.Addr().String())
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second,
		WriteTimeout: 120 * time.Second, IdleTimeout: 120 * time.Second, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return fail(env, err)
		}
	case <-ctx.Done():
		sctx, scancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer scancel()
		_ = srv.Shutdown(sctx)
		fmt.Fprintln(env.Stderr, "Đã dừng máy chủ.")
	}
	return exitOK
}

// demoAdmin gives the demo's "admin" user a freshly generated password
// (creating the user the first time) and returns it: never a fixed one.
func demoAdmin(ctx context.Context, svc *service.Service) (string, error) {
	password := rand.Text()[:16]
	sctx := systemCtx(ctx)
	_, err := svc.CreateUser(sctx, service.NewUser{Username: "admin", FullName: "Quản trị dữ liệu mẫu", Role: domain.RoleAdmin, Password: password})
	if domain.ErrorCode(err) == domain.EConflict {
		err = svc.SetPassword(sctx, "admin", password)
	}
	return password, err
}
