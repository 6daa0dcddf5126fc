package cli

import (
	"fmt"
	"time"

	"ketnap/internal/vn"
)

const countsUsage = "Cách dùng: ketnap rebuild-counts [--db DSN]   tính lại số liệu tổng hợp theo từng tổ chức: số kết nạp, hồ sơ đã qua chi bộ, hồ sơ theo giai đoạn (dùng cho báo cáo tiến độ và phễu)\n"

// cmdRebuildCounts recomputes the admissions, the pipeline and the funnel
// counted per unit (store.RebuildAdmissionCounts) in one transaction, with its progress on
// standard error, and prints what it did.
func cmdRebuildCounts(env Env, args []string) int {
	fs, db := newFlags(env, "rebuild-counts")
	fs.Usage = func() { fmt.Fprint(env.Stderr, countsUsage) }
	if ok, st := parse(env, fs, args); !ok {
		return st
	}
	if fs.NArg() > 0 {
		fmt.Fprint(env.Stderr, countsUsage)
		return exitUsage
	}
	ctx, cancel := signalContext(env)
	defer cancel()
	start := time.Now()
	svc, err := open(ctx, *db, nil)
	if err != nil {
		return fail(env, err)
	}
	defer svc.Close()
	shown := false
	r, err := svc.RebuildCounts(systemCtx(ctx), func(done, total int) {
		if total > 0 {
			shown = true
			fmt.Fprintf(env.Stderr, "\rĐang tính lại: %s/%s quyết định kết nạp (%d %%)", vn.Int(done), vn.Int(total), done*100/total)
		}
	})
	if shown {
		fmt.Fprintln(env.Stderr)
	}
	if err != nil {
		return fail(env, err)
	}
	fmt.Fprintf(env.Stdout, "Đã tính lại số kết nạp tổng hợp theo tổ chức: %s quyết định kết nạp, %s dòng số liệu; %s hồ sơ đã qua biểu quyết của chi bộ; %s hồ sơ theo giai đoạn của phễu (%s giây).\n",
		vn.Int(r.Memberships), vn.Int(r.Rows), vn.Int(r.Pipeline), vn.Int(r.Funnel), vn.Decimal(time.Since(start).Seconds()))
	return exitOK
}
