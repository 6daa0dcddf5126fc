package cli

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"ketnap/internal/demo"
	"ketnap/internal/demo/country"
	"ketnap/internal/domain"
	"ketnap/internal/vn"
)

func cmdDemo(env Env, args []string) int {
	fs, db := newFlags(env, "demo")
	wholeCountry := fs.Bool("country", false, "nạp dữ liệu mẫu cả nước (34 tỉnh, thành phố; hai cấp) thay cho huyện Krông Pắc")
	scale := fs.Float64("scale", 0.1, "tỉ lệ của dữ liệu mẫu cả nước so với quy mô thật (0 < tỉ lệ ≤ 1), cùng --country")
	if ok, st := parse(env, fs, args); !ok {
		return st
	}
	scaleSet := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "scale" {
			scaleSet = true
		}
	})
	if scaleSet && !*wholeCountry {
		fmt.Fprintln(env.Stderr, "--scale chỉ dùng cùng --country")
		return exitUsage
	}
	if *wholeCountry && (*scale <= 0 || *scale > 1) {
		fmt.Fprintln(env.Stderr, "--scale phải lớn hơn 0 và không quá 1 (ví dụ 0.1)")
		return exitUsage
	}
	ctx, cancel := signalContext(env)
	defer cancel()
	st, svc, err := openStore(ctx, *db, nil)
	if err != nil {
		return fail(env, err)
	}
	defer svc.Close()
	if *wholeCountry {
		sum, loaded, err := country.Load(systemCtx(ctx), st, *scale, env.Stderr)
		if err != nil {
			return fail(env, err)
		}
		if !loaded {
			fmt.Fprintf(env.Stdout, "Cơ sở dữ liệu %s đã có dữ liệu mẫu cả nước; không nạp lại.\n", *db)
			return exitOK
		}
		printCountry(env.Stdout, *db, sum)
		return exitOK
	}
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

// printCountry prints what the country's load built.
func printCountry(w io.Writer, db string, s *country.Summary) {
	fmt.Fprintf(w, "Đã nạp dữ liệu mẫu cả nước (hư cấu, tỉ lệ %s) tính đến ngày %s vào %s.\n",
		strings.ReplaceAll(fmt.Sprintf("%g", s.Scale), ".", ","), vn.Date(s.AsOf), db)
	fmt.Fprintf(w, "Tổ chức đảng: %s, gồm %s đảng bộ tỉnh, thành phố; %s đảng bộ xã; %s đảng bộ phường; %s đảng bộ cơ sở; %s chi bộ.\n",
		vn.Int(s.Orgs), vn.Int(s.Provinces), vn.Int(s.Communes), vn.Int(s.Wards), vn.Int(s.Grassroots), vn.Int(s.Chapters))
	fmt.Fprintf(w, "Thôn, buôn, tổ dân phố: %s; trường THPT: %s; lớp bồi dưỡng nhận thức về Đảng dự kiến tháng 12: %s, với %s học viên.\n",
		vn.Int(s.Villages), vn.Int(s.Schools), vn.Int(s.Classes), vn.Int(s.Learners))
	fmt.Fprintf(w, "Người: %s, gồm %s đảng viên và %s quần chúng trong nguồn, đang làm hồ sơ.\n",
		vn.Int(s.People), vn.Int(s.Members), vn.Int(s.People-s.Members))
	fmt.Fprintf(w, "Năm %d: chỉ tiêu %s, kế hoạch %s; đã kết nạp %s đến ngày %s.\n",
		s.AsOf.Year(), vn.Int(s.Quota2026), vn.Int(s.Plan2026), vn.Int(s.Admitted2026), vn.Date(s.AsOf))
	fmt.Fprintf(w, "Hồ sơ kết nạp: %s, đang mở %s:", vn.Int(s.Cases), vn.Int(s.Open()))
	for _, st := range domain.CaseStages {
		if n := s.OpenByStage[st.Code]; n > 0 {
			fmt.Fprintf(w, "\n  %s: %s", st.Name, vn.Int(n))
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "Thời gian: %s giây.\n", strings.ReplaceAll(fmt.Sprintf("%.1f", s.Elapsed.Seconds()), ".", ","))
}
