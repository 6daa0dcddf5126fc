package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"ketnap/internal/api"
	"ketnap/internal/domain"
	"ketnap/internal/progress"
	"ketnap/internal/vn"
)

func cmdReport(env Env, args []string) int {
	if len(args) > 0 && args[0] == "classes" {
		return cmdReportClasses(env, args[1:])
	}
	if len(args) > 0 && args[0] == "conference" {
		return cmdReportConference(env, args[1:])
	}
	if len(args) > 0 && (args[0] == "breakdowns" || args[0] == "funnel") {
		return cmdReportBreakdowns(env, args[0], args[1:])
	}
	if len(args) == 0 || args[0] != "progress" {
		fmt.Fprintln(env.Stderr, "Cách dùng: ketnap report progress [--org MÃ] --year NĂM [--asof NNNN-TT-NN] [--format json|table]")
		return exitUsage
	}
	fs, db := newFlags(env, "report progress")
	org := fs.String("org", "", "mã tổ chức (mặc định: tổ chức cấp trên cùng)")
	year := fs.Int("year", 0, "năm")
	asofS := fs.String("asof", "", "tính đến ngày NNNN-TT-NN (mặc định: hôm nay)")
	format := fs.String("format", "table", "json hoặc table")
	if ok, st := parse(env, fs, args[1:]); !ok {
		return st
	}
	if *year == 0 {
		fmt.Fprintln(env.Stderr, "Cần --year (ví dụ --year 2024)")
		return exitUsage
	}
	if *format != "json" && *format != "table" {
		fmt.Fprintf(env.Stderr, "--format phải là json hoặc table, không phải %q\n", *format)
		return exitUsage
	}
	ctx, cancel := signalContext(env)
	defer cancel()
	asof := domain.Today(time.Now)
	if *asofS != "" {
		t, err := domain.ParseISODate("asof", *asofS)
		if err != nil {
			return fail(env, err)
		}
		asof = t
	}
	svc, err := open(ctx, *db, nil)
	if err != nil {
		return fail(env, err)
	}
	defer svc.Close()
	sctx := systemCtx(ctx)
	if *org == "" {
		top, err := svc.HomeOrg(sctx)
		if err != nil {
			return fail(env, err)
		}
		*org = top.Code
	}
	p, err := svc.Progress(sctx, *org, *year, asof)
	if err != nil {
		return fail(env, err)
	}
	out := api.NewProgressJSON(p)
	if *format == "json" {
		enc := json.NewEncoder(env.Stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return fail(env, err)
		}
		return exitOK
	}
	printProgressTable(env.Stdout, out)
	return exitOK
}

func intOrDash(p *int) string {
	if p == nil {
		return vn.Placeholder
	}
	return vn.Int(*p)
}

// printProgressTable prints the report for people: the headline, then the
// children ranked by percent of quota.
func printProgressTable(w io.Writer, p *api.ProgressJSON) {
	fmt.Fprintf(w, "%s — năm %d, tính đến ngày %s\n", p.Org.Name, p.Year, vn.Date(mustDate(p.AsOf)))
	fmt.Fprintf(w, "Kết nạp %s/%s — đạt %s chỉ tiêu, %s kế hoạch", vn.Int(p.Admitted), intOrDash(p.Quota),
		vn.PercentPtr(p.QuotaPercent), vn.PercentPtr(p.PlanPercent))
	if p.Plan != nil {
		fmt.Fprintf(w, " (kế hoạch %s)", vn.Int(*p.Plan))
	}
	fmt.Fprintln(w)
	if p.Deadline != nil {
		fmt.Fprintf(w, "Hạn hoàn thành: %s", vn.Date(p.Deadline.Time))
		if p.PaceNeeded != nil {
			fmt.Fprintf(w, "; cần bình quân %s người/tháng", strings.Replace(strconv.FormatFloat(*p.PaceNeeded, 'f', 1, 64), ".", ",", 1))
		}
		if p.Projection != nil {
			fmt.Fprintf(w, "; theo nhịp hiện tại dự kiến đạt %s", vn.Int(*p.Projection))
		}
		fmt.Fprintln(w)
	}
	if len(p.Children) == 0 {
		return
	}
	kids := slices.Clone(p.Children)
	slices.SortStableFunc(kids, func(a, b *api.ProgressJSON) int { return progress.ComparePercent(a.QuotaPercent, b.QuotaPercent) })
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "Đơn vị\tMã\tKết nạp\tChỉ tiêu\tKế hoạch\t% chỉ tiêu\t% kế hoạch\tĐánh giá\t")
	for _, c := range kids {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", c.Org.Name, c.Org.Code, vn.Int(c.Admitted), intOrDash(c.Quota),
			intOrDash(c.Plan), vn.PercentPtr(c.QuotaPercent), vn.PercentPtr(c.PlanPercent), progress.ClassNames[c.Class])
	}
	tw.Flush()
}

func mustDate(s string) time.Time {
	t, _ := time.Parse(domain.DateLayout, s)
	return t
}
