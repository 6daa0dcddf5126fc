// Package report builds the conference report (DOMAIN §7): the progress
// of a unit against its quota and plan, its units above, on and below
// target, the classes held, the deadlines at risk and the pace needed,
// as one Document that renders to Word (.docx, our own template, with
// native charts), PDF (internal/pdf, charts drawn with its primitives)
// and Excel tables (internal/xlsx, with a native chart).
package report

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/progress"
	"ketnap/internal/service"
	"ketnap/internal/vn"
)

// Options select and label the conference report: the unit, year and
// date of a report query (omitted: service.ReportQuery's defaults, the
// user's home unit, the date the pages open on and its year). A header or
// signature line given here is used over the text the office saved for
// the report, which is used over the draft from the data.
type Options struct {
	service.ReportQuery
	Number      string // the number line, "Số 12-BC/HU", or the number alone ("12"); "" for room to write it by hand
	Place       string // the place of the date line; "" takes it from the unit's name
	Parent      string // the header's first line on the left (the committee above); "" from the tree
	Issuer      string // the header's second line on the left (the issuing committee); "" from the unit
	SignFor     string // "T/M BAN THƯỜNG VỤ"; "" from the unit
	SignerTitle string // the signer's position; "" for "PHÓ BÍ THƯ"
	Signer      string // the signer's name; "" leaves the line to sign
	Draft       bool   // ignore the text saved for the report: the draft from the data
	Lowest      int    // how many units with the lowest rates to name; 0: 5
	Days        int    // deadlines due within this many days count as at risk; 0: 30
}

// Unit is one direct child's line of the report.
type Unit struct {
	Code, Name   string
	Admitted     int
	Quota, Plan  *int
	QuotaPercent *float64
	PlanPercent  *float64
	Class        string
}

// Deadline is one kind of deadline with its counts.
type Deadline struct {
	Name         string
	Overdue, Due int
}

// Late is one overdue deadline named in the report.
type Late struct {
	Name, Unit, Kind string
	Due              time.Time
}

// Conference is the model of the conference report.
type Conference struct {
	Org  *domain.Org
	Year int
	AsOf time.Time
	// The header's lines the report uses (Fields').
	Place, Number, Parent, Issuer string
	// Draft: the editable parts as the data gives them; Saved: what the
	// office saved for this report (nil: nothing, or Options.Draft);
	// Fields: what the report uses.
	Draft    Fields
	Saved    *domain.ReportText
	Fields   Fields
	Progress *service.Progress
	Units    []Unit // the direct children ranked by percent of quota
	Above    []Unit
	On       []Unit
	None     []Unit // a target and nobody admitted
	Lowest   []Unit // admitted some, the lowest percents of quota
	Classes  *service.ClassReport
	Days     int
	Todo     []Deadline
	Late     []Late // the overdue deadlines, soonest first (at most 20)
	LateMore int    // overdue deadlines not listed
	// Breakdowns: the make-up of the admitted (women, ethnic minorities,
	// religion, …; service.Breakdowns), laid out as blocks.
	Breakdowns []Block
	Make       *service.Breakdowns // the figures behind Breakdowns
	// Funnel: the cases open on the date by stage (service.Funnel), for
	// the funnel chart; nil when the service could not give it.
	Funnel *service.Funnel
}

// Build gathers the conference report from the services, as the user in ctx.
func Build(ctx context.Context, svc *service.Service, o Options) (*Conference, error) {
	if o.Lowest <= 0 {
		o.Lowest = 5
	}
	if o.Days <= 0 {
		o.Days = 30
	}
	p, err := svc.Progress(ctx, o.ReportQuery)
	if err != nil {
		return nil, err
	}
	// every other part of the report is about the unit, year and date
	// the progress report resolved.
	q := p.Query()
	c := &Conference{Org: p.Org, Year: p.Year, AsOf: p.AsOf, Progress: p, Days: o.Days}
	c.units(p.Children, o.Lowest)
	if c.Classes, err = svc.ClassReport(ctx, service.ClassReportQuery{ReportQuery: q}); err != nil {
		return nil, err
	}
	if err := c.deadlines(ctx, svc); err != nil {
		return nil, err
	}
	if err := c.breakdowns(ctx, svc, q); err != nil {
		return nil, err
	}
	if c.Funnel, err = svc.Funnel(ctx, service.FunnelQuery{ReportQuery: q}); err != nil {
		return nil, err
	}
	if err := c.draftHeader(ctx, svc); err != nil {
		return nil, err
	}
	c.Draft.Weaknesses = c.draftWeaknesses()
	c.Draft.Tasks = c.draftTasks()
	if !o.Draft {
		if c.Saved, err = svc.ConferenceText(ctx, q); err != nil {
			return nil, err
		}
	}
	c.apply(o)
	return c, nil
}

// deadlines counts the unit's deadlines overdue and due within c.Days
// days by kind, and names the first overdue ones.
func (c *Conference) deadlines(ctx context.Context, svc *service.Service) error {
	counts, err := svc.TodoCounts(ctx, c.Org.Code, c.Days, c.AsOf)
	if err != nil {
		return err
	}
	for _, t := range counts {
		c.Todo = append(c.Todo, Deadline{Name: t.Name, Overdue: t.Overdue, Due: t.Due})
	}
	late, err := svc.Todo(ctx, service.TodoQuery{OrgCode: c.Org.Code, Overdue: true, Days: c.Days, AsOf: c.AsOf, Page: 1, PerPage: 20})
	if err != nil {
		return err
	}
	for _, it := range late.Items {
		c.Late = append(c.Late, Late{Name: it.FullName, Unit: it.OrgName, Kind: domain.DeadlineNames[it.Kind], Due: it.Due})
	}
	c.LateMore = max(0, late.Total-len(c.Late))
	return nil
}

func (c *Conference) units(children []*progress.Result, lowest int) {
	ranked := slices.Clone(children)
	vn.SortByText(ranked, func(r *progress.Result) string { return r.Name }, func(a, b *progress.Result) int {
		if x := progress.ComparePercent(a.QuotaPercent, b.QuotaPercent); x != 0 {
			return x
		}
		if x := progress.ComparePercent(a.PlanPercent, b.PlanPercent); x != 0 {
			return x
		}
		return b.Admitted - a.Admitted
	})
	for _, r := range ranked {
		u := Unit{Code: r.Code, Name: r.Name, Admitted: r.Admitted, Quota: r.Quota, Plan: r.Plan,
			QuotaPercent: r.QuotaPercent, PlanPercent: r.PlanPercent, Class: r.Class}
		c.Units = append(c.Units, u)
		switch {
		case r.Class == progress.ClassNoTarget:
		case r.Admitted == 0:
			c.None = append(c.None, u)
		case r.Class == progress.ClassAbove:
			c.Above = append(c.Above, u)
		case r.Class == progress.ClassOn:
			c.On = append(c.On, u)
		}
	}
	for i := len(c.Units) - 1; i >= 0 && len(c.Lowest) < lowest; i-- {
		u := c.Units[i]
		if u.Class == progress.ClassBelow && u.Admitted > 0 {
			c.Lowest = append(c.Lowest, u)
		}
	}
}

// ProjectionHow says in one sentence how the projection is computed
// (DOMAIN §4), with its parts.
func ProjectionHow(p *progress.Result, asof time.Time) string {
	return fmt.Sprintf("Số dự kiến bằng số đã kết nạp (%s), cộng số kết nạp thêm nếu giữ nhịp độ hiện tại %s đảng viên/tháng đến hạn (%s), "+
		"cộng số hồ sơ đã được chi bộ biểu quyết đề nghị kết nạp nhưng chưa có quyết định kết nạp tính đến ngày %s (%s).",
		vn.Int(p.Admitted), decimal(p.PaceCurrent), vn.Int(p.AtPace()), vn.Date(asof), vn.Int(p.Pipeline))
}

func unitLine(lead string, us []Unit) string {
	if len(us) == 0 {
		return lead + "."
	}
	parts := make([]string, len(us))
	for i, u := range us {
		parts[i] = fmt.Sprintf("%s (%s/%s", u.Name, vn.Int(u.Admitted), intOrDash(u.Quota))
		if u.QuotaPercent != nil {
			parts[i] += ", " + vn.Percent(*u.QuotaPercent)
		}
		parts[i] += ")"
	}
	return lead + ": " + strings.Join(parts, "; ") + "."
}

func intOrDash(p *int) string {
	if p == nil {
		return vn.Placeholder
	}
	return vn.Int(*p)
}

// decimal prints a quantity that is not a percentage by the house rule
// (vn.Decimal: one decimal).
func decimal(f float64) string { return vn.Decimal(f) }

func lowerFirst(s string) string {
	for i, r := range s {
		return strings.ToLower(string(r)) + s[i+len(string(r)):]
	}
	return s
}

func upper(s string) string { return strings.ToUpper(s) }

// FileName is the conference report's file name, in Vietnamese without
// diacritics: "bao-cao-hoi-nghi-krongpac-2024.docx".
func FileName(c *Conference, ext string) string {
	return vn.FileName(ext, "bao-cao-hoi-nghi", c.Org.Code, strconv.Itoa(c.Year))
}
