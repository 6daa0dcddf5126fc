package cli

import (
	"fmt"
	"io"
	"text/tabwriter"

	"ketnap/internal/domain"
	"ketnap/internal/service"
	"ketnap/internal/vn"
)

const reportClassesUsage = "Cách dùng: ketnap report classes [--org MÃ] --year NĂM [--asof NNNN-TT-NN] [--months 6] [--lapse-days 90] [--format json|table]"

// cmdReportClasses prints the classes report: with --format json exactly
// {"awareness": {"classes": N, "learners": N, "passed": N}, "new_member":
// {…}, "sources_not_sent": N}; as a table, those figures with the failed,
// absent and below-80 % learners, the certificates, and the chapters with
// sources not sent.
func cmdReportClasses(env Env, args []string) int {
	fs, db := newFlags(env, "report classes")
	rf := addReportFlags(fs)
	months := fs.Int("months", service.DefaultNotSentMonths, "quần chúng chưa được cử đi học quá số tháng này")
	lapse := fs.Int("lapse-days", service.DefaultLapseDays, "giấy chứng nhận hết hạn trong số ngày này")
	format := fs.String("format", "table", "json hoặc table")
	if ok, st := parse(env, fs, args); !ok {
		if st == exitUsage {
			fmt.Fprintln(env.Stderr, reportClassesUsage)
		}
		return st
	}
	if *rf.year == 0 {
		fmt.Fprintln(env.Stderr, "Cần --year (ví dụ --year 2024)\n"+reportClassesUsage)
		return exitUsage
	}
	if *format != "json" && *format != "table" {
		fmt.Fprintf(env.Stderr, "--format phải là json hoặc table, không phải %q\n", *format)
		return exitUsage
	}
	if *months < 1 || *lapse < 1 {
		fmt.Fprintln(env.Stderr, "--months và --lapse-days phải là số dương")
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
	r, err := svc.ClassReport(systemCtx(ctx), service.ClassReportQuery{ReportQuery: q, Months: *months, LapseDays: *lapse})
	if err != nil {
		return fail(env, err)
	}
	if *format == "json" {
		fmt.Fprintf(env.Stdout, `{"awareness": %s, "new_member": %s, "sources_not_sent": %d}`+"\n",
			programmeLine(r.Awareness), programmeLine(r.NewMember), r.NotSent)
		return exitOK
	}
	printClassesTable(env.Stdout, r)
	return exitOK
}

func programmeLine(c domain.ProgrammeCount) string {
	return fmt.Sprintf(`{"classes": %d, "learners": %d, "passed": %d}`, c.Classes, c.Learners, c.Passed)
}

// printClassesTable prints the report for people.
func printClassesTable(w io.Writer, r *service.ClassReport) {
	fmt.Fprintf(w, "%s — lớp bồi dưỡng năm %d, từ %s đến %s\n\n", r.Org.Name, r.Year, vn.Date(r.From), vn.Date(r.To))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "Chương trình\tSố lớp\tHọc viên\tĐạt\tKhông đạt\tVắng thi\tDự dưới 80 %\tChưa có kết quả\t")
	for _, x := range []struct {
		name string
		c    domain.ProgrammeCount
	}{{domain.ProgrammeName(domain.ProgAwareness), r.Awareness}, {domain.ProgrammeName(domain.ProgNewMember), r.NewMember},
		{domain.ProgrammeName(domain.ProgOther), r.Other}} {
		if x.c.Classes == 0 && x.name == domain.ProgrammeName(domain.ProgOther) {
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", x.name, vn.Int(x.c.Classes), vn.Int(x.c.Learners), vn.Int(x.c.Passed),
			vn.Int(x.c.Failed), vn.Int(x.c.Absent), vn.Int(x.c.Ineligible), vn.Int(x.c.Pending))
	}
	tw.Flush()
	fmt.Fprintf(w, "\nQuần chúng ưu tú có giấy chứng nhận nhận thức về Đảng còn hiệu lực, chưa được kết nạp: %s", vn.Int(r.Certified))
	fmt.Fprintf(w, "; giấy chứng nhận hết hạn trong %d ngày tới (đến %s): %s\n", r.LapseDays, vn.Date(r.LapseUntil), vn.Int(r.Lapsing))
	fmt.Fprintf(w, "Quần chúng ưu tú chưa được cử đi học lớp nhận thức về Đảng quá %d tháng (vào danh sách từ %s trở về trước): %s\n",
		r.Months, vn.Date(r.Cutoff), vn.Int(r.NotSent))
	if len(r.ByChapter) == 0 {
		return
	}
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "Đơn vị\tTrực thuộc\tMã\tChưa cử đi học\t")
	for _, c := range r.ByChapter {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t\n", c.Name, c.Parent, c.Code, vn.Int(c.Count))
	}
	tw.Flush()
}
