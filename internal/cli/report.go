package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"slices"
	"text/tabwriter"
	"time"

	"ketnap/internal/api"
	"ketnap/internal/domain"
	"ketnap/internal/progress"
	"ketnap/internal/service"
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
	rf := addReportFlags(fs)
	format := fs.String("format", "table", "json hoặc table")
	if ok, st := parse(env, fs, args[1:]); !ok {
		return st
	}
	if *rf.year == 0 {
		fmt.Fprintln(env.Stderr, "Cần --year (ví dụ --year 2024)")
		return exitUsage
	}
	if *format != "json" && *format != "table" {
		fmt.Fprintf(env.Stderr, "--format phải là json hoặc table, không phải %q\n", *format)
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
	p, err := svc.Progress(systemCtx(ctx), q)
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

// reportFlags are the flags every report command shares: the unit, the
// year and the as-of date. An omitted one stays at its zero value in the
// query, and the service resolves it as it does for the pages and the API:
// the topmost organization (the system actor's home), the date the pages
// open on (the demo's date in a demo database, today otherwise), its year.
type reportFlags struct {
	org  *string
	year *int
	asof *string
}

func addReportFlags(fs *flag.FlagSet) reportFlags {
	return reportFlags{
		org:  fs.String("org", "", "mã tổ chức (mặc định: tổ chức cấp trên cùng)"),
		year: fs.Int("year", 0, "năm"),
		asof: fs.String("asof", "", "tính đến ngày NNNN-TT-NN (mặc định: hôm nay)"),
	}
}

// query is the report query of the flags; a malformed --asof is an error.
// The service resolves the omitted unit and year; --asof defaults to today
// (CONTRACT), which is the date the pages open on everywhere but in the
// demo, where the pages open on the demo's date.
func (f reportFlags) query() (service.ReportQuery, error) {
	q := service.ReportQuery{OrgCode: *f.org, Year: *f.year, AsOf: domain.Today(time.Now)}
	if *f.asof != "" {
		t, err := domain.ParseISODate("asof", *f.asof)
		if err != nil {
			return q, err
		}
		q.AsOf = t
	}
	return q, nil
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
	if p.AdmittedRecorded > 0 {
		fmt.Fprintf(w, "; trong đó %s ghi từ hồ sơ giấy (không qua hồ sơ kết nạp trên ketnap)", vn.Int(p.AdmittedRecorded))
	}
	fmt.Fprintln(w)
	if p.Deadline != nil {
		fmt.Fprintf(w, "Hạn hoàn thành: %s", vn.Date(p.Deadline.Time))
		if p.PaceNeeded != nil {
			fmt.Fprintf(w, "; cần bình quân %s người/tháng", vn.Decimal(*p.PaceNeeded))
		}
		if p.Projection != nil {
			fmt.Fprintf(w, "; dự kiến đến hạn đạt %s (nhịp hiện tại và các hồ sơ đã qua chi bộ xét)", vn.Int(*p.Projection))
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
