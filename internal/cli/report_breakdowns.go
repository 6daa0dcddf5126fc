package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"ketnap/internal/api"
	"ketnap/internal/service"
	"ketnap/internal/vn"
)

const reportBreakdownsUsage = "Cách dùng: ketnap report breakdowns|funnel [--org MÃ] --year NĂM [--asof NNNN-TT-NN] [--stale-days 90] [--format json|table]"

// cmdReportBreakdowns prints the breakdowns of the admitted (name
// "breakdowns") or the pipeline funnel with the forecast (name "funnel"):
// --format json gives the API's shapes (GET /api/v1/breakdowns, /funnel).
func cmdReportBreakdowns(env Env, name string, args []string) int {
	fs, db := newFlags(env, "report "+name)
	rf := addReportFlags(fs)
	stale := fs.Int("stale-days", service.DefaultStaleDays, "hồ sơ không có bước mới quá số ngày này là bị chậm (funnel)")
	format := fs.String("format", "table", "json hoặc table")
	if ok, st := parse(env, fs, args); !ok {
		if st == exitUsage {
			fmt.Fprintln(env.Stderr, reportBreakdownsUsage)
		}
		return st
	}
	if *rf.year == 0 {
		fmt.Fprintln(env.Stderr, "Cần --year (ví dụ --year 2024)\n"+reportBreakdownsUsage)
		return exitUsage
	}
	if *format != "json" && *format != "table" {
		fmt.Fprintf(env.Stderr, "--format phải là json hoặc table, không phải %q\n", *format)
		return exitUsage
	}
	if *stale < 1 || *stale > 3650 {
		fmt.Fprintln(env.Stderr, "--stale-days phải từ 1 đến 3650")
		return exitUsage
	}
	q, err := rf.query()
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
	sctx := systemCtx(ctx)
	var out any
	if name == "funnel" {
		f, err := svc.Funnel(sctx, service.FunnelQuery{ReportQuery: q, StaleDays: *stale})
		if err != nil {
			return fail(env, err)
		}
		out = api.NewFunnelJSON(f)
	} else {
		b, err := svc.Breakdowns(sctx, q)
		if err != nil {
			return fail(env, err)
		}
		out = api.NewBreakdownsJSON(b)
	}
	if *format == "json" {
		enc := json.NewEncoder(env.Stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return fail(env, err)
		}
		return exitOK
	}
	switch x := out.(type) {
	case *api.FunnelJSON:
		printFunnelTable(env.Stdout, x)
	case *api.BreakdownsJSON:
		printBreakdownsTable(env.Stdout, x)
	}
	return exitOK
}

func printBreakdownsTable(w io.Writer, b *api.BreakdownsJSON) {
	fmt.Fprintf(w, "%s — đảng viên kết nạp năm %d, tính đến ngày %s: %s\n", b.Org.Name, b.Year, vn.Date(mustDate(b.AsOf)), vn.Int(b.Admitted))
	if b.AverageAge != nil {
		fmt.Fprintf(w, "Tuổi bình quân khi kết nạp: %s\n", vn.Decimal(*b.AverageAge))
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, x := range b.Breakdowns {
		fmt.Fprintf(tw, "\n%s\t\n", x.Title)
		for _, p := range x.Parts {
			fmt.Fprintf(tw, "  %s\t%s\t\n", p.Label, vn.Int(p.Count))
		}
	}
	tw.Flush()
	if v := b.VillageChapters; v.Total > 0 {
		fmt.Fprintf(w, "\nChi bộ thôn, buôn, tổ dân phố chưa kết nạp được đảng viên nào: %s/%s\n", vn.Int(v.NoneAdmitted), vn.Int(v.Total))
		var communes []string
		idle, all := map[string][]string{}, map[string]int{}
		for _, u := range v.Units {
			if all[u.Commune] == 0 {
				communes = append(communes, u.Commune)
			}
			all[u.Commune]++
			if u.Admitted == 0 {
				idle[u.Commune] = append(idle[u.Commune], strings.TrimPrefix(u.Org.Name, "Chi bộ "))
			}
		}
		for _, c := range communes {
			if len(idle[c]) > 0 {
				fmt.Fprintf(w, "  %s (%d/%d): %s\n", c, len(idle[c]), all[c], strings.Join(idle[c], ", "))
			}
		}
	}
	fmt.Fprintf(w, "\nThôn, buôn, tổ dân phố chưa có đảng viên và chưa có chi bộ (%d):\n", len(b.Weak))
	for _, r := range b.Weak {
		fmt.Fprintf(w, "  %s (%s)\n", r.Name, r.Commune)
	}
	if len(b.Schools) > 0 {
		fmt.Fprintf(w, "\nHọc sinh THPT được kết nạp so với số học sinh (năm học %d–%d):\n", b.SchoolYear, b.SchoolYear+1)
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, s := range b.Schools {
			fmt.Fprintf(tw, "  %s\t%s/%s\t%s\t\n", s.Name, vn.Int(s.Admitted), vn.Int(s.Students), vn.PercentPtr(s.Percent))
		}
		t := b.SchoolsTotal
		fmt.Fprintf(tw, "  Tổng cộng (%d trường)\t%s/%s\t%s\t\n", t.Schools, vn.Int(t.Admitted), vn.Int(t.Students), vn.PercentPtr(t.Percent))
		tw.Flush()
	}
}

func printFunnelTable(w io.Writer, f *api.FunnelJSON) {
	fmt.Fprintf(w, "%s — các bước kết nạp tính đến ngày %s (chậm: quá hạn, hoặc không có bước mới quá %d ngày)\n", f.Org.Name, vn.Date(mustDate(f.AsOf)), f.StaleDays)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "Đơn vị\t")
	for _, s := range service.FunnelStages {
		fmt.Fprintf(tw, "%s\t", s.Short)
	}
	fmt.Fprintln(tw, "Chưa đi học\tQuá hạn\tBị chậm\t")
	line := func(l *api.FunnelLineJSON) {
		fmt.Fprintf(tw, "%s\t", l.Org.Name)
		for _, s := range f.Stages {
			fmt.Fprintf(tw, "%s\t", vn.Int(l.Stages[s.Key]))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t\n", vn.Int(l.NotSent), vn.Int(l.Overdue), vn.Int(l.Stalled))
	}
	line(f.Unit)
	for _, c := range f.Unit.Children {
		line(c)
	}
	tw.Flush()
	if fc := f.Forecast; fc != nil {
		fmt.Fprintf(w, "\nĐã kết nạp %s; nhịp hiện tại %s người/tháng", vn.Int(fc.Admitted), vn.Decimal(fc.PaceCurrent))
		if fc.Deadline != nil {
			fmt.Fprintf(w, "; đến hạn %s", vn.Date(fc.Deadline.Time))
		}
		if fc.Projection != nil {
			fmt.Fprintf(w, " dự kiến %s (%s theo nhịp hiện tại + %s hồ sơ đã qua chi bộ xét)", vn.Int(*fc.Projection), vn.Int(*fc.AtPace), vn.Int(fc.PastVote))
		}
		fmt.Fprintln(w)
	}
}
