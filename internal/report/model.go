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
// user's home unit, the date the pages open on and its year).
type Options struct {
	service.ReportQuery
	Number string // the number line, "Số: …-BC/HU"; "" for a placeholder to fill in
	Place  string // the place of the date line; "" takes it from the unit's name
	Parent string // the header's first line on the left; "" from the unit
	Issuer string // the header's second line on the left (the issuing committee); "" from the unit
	Lowest int    // how many units with the lowest rates to name; 0: 5
	Days   int    // deadlines due within this many days count as at risk; 0: 30
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
	Org      *domain.Org
	Year     int
	AsOf     time.Time
	Place    string
	Number   string
	Parent   string
	Issuer   string
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
	c := &Conference{Org: p.Org, Year: p.Year, AsOf: p.AsOf, Progress: p, Days: o.Days,
		Place: o.Place, Number: o.Number, Parent: o.Parent, Issuer: o.Issuer}
	if err := c.header(ctx, svc); err != nil {
		return nil, err
	}
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

// header fills the unset lines of the document's header from the unit:
// "Đảng bộ huyện Krông Pắc" gives "ĐẢNG BỘ HUYỆN KRÔNG PẮC" / "BAN THƯỜNG
// VỤ", "Số: …-BC/HU" and the place "Krông Pắc"; a chapter gives its
// parent's name over its own.
func (c *Conference) header(ctx context.Context, svc *service.Service) error {
	name := c.Org.Name
	committee := strings.HasPrefix(name, "Đảng bộ")
	if c.Parent == "" || c.Issuer == "" {
		parent, issuer := strings.ToUpper(name), "BAN THƯỜNG VỤ"
		if !committee {
			crumbs, err := svc.Ancestors(ctx, c.Org)
			if err != nil {
				return err
			}
			parent, issuer = "", strings.ToUpper(name)
			if len(crumbs) > 1 {
				parent = strings.ToUpper(crumbs[len(crumbs)-2].Name)
			}
		}
		if c.Parent == "" {
			c.Parent = parent
		}
		if c.Issuer == "" {
			c.Issuer = issuer
		}
	}
	if c.Number == "" {
		suffix := "CB"
		switch {
		case strings.HasPrefix(name, "Đảng bộ huyện"):
			suffix = "HU"
		case strings.HasPrefix(name, "Đảng bộ tỉnh"):
			suffix = "TU"
		case committee:
			suffix = "ĐU"
		}
		c.Number = "Số:      -BC/" + suffix
	}
	if c.Place == "" {
		c.Place = placeOf(name)
	}
	return nil
}

// placeOf is the place named in a unit's name: "Đảng bộ huyện Krông Pắc"
// → "Krông Pắc", "Đảng bộ xã Ea Yông" → "Ea Yông".
func placeOf(name string) string {
	for _, p := range []string{"Đảng bộ tỉnh ", "Đảng bộ thành phố ", "Đảng bộ huyện ", "Đảng bộ thị xã ", "Đảng bộ thị trấn ",
		"Đảng bộ phường ", "Đảng bộ xã "} {
		if rest, ok := strings.CutPrefix(name, p); ok {
			return rest
		}
	}
	return ""
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

// Document lays the report out as headings, paragraphs and tables, the
// same for Word and PDF.
func (c *Conference) Document() *Document {
	d := &Document{Parent: c.Parent, Issuer: c.Issuer, Number: c.Number, DateLine: vn.LongDate(c.Place, c.AsOf),
		Title: "BÁO CÁO", Subtitle: fmt.Sprintf("Kết quả công tác phát triển đảng viên năm %d", c.Year),
		Lead: fmt.Sprintf("(tính đến ngày %s)", vn.Date(c.AsOf)), SignFor: "T/M " + c.Issuer, Signer: "",
		Recipients: []string{"Nơi nhận:", "- Ban Tổ chức cấp trên (để b/c),", "- Các tổ chức cơ sở đảng trực thuộc,", "- Lưu văn phòng."}}
	d.Blocks = append(d.Blocks, c.headline(), c.targetsMet(), c.targetsMissed())
	if c.Classes != nil {
		d.Blocks = append(d.Blocks, c.classes())
	}
	// V. Breakdowns, when the breakdowns service gave them; the sections
	// after it are numbered one further.
	shift := len(c.Breakdowns) > 0
	if shift {
		d.Blocks = append(d.Blocks, Block{Heading: "V. CƠ CẤU ĐẢNG VIÊN MỚI KẾT NẠP"})
		d.Blocks = append(d.Blocks, c.Breakdowns...)
	}
	d.Blocks = append(d.Blocks, c.deadlinesAtRisk(roman(shift, 5)), c.pace(roman(shift, 6)))
	c.addCharts(d)
	return d
}

// headline is section I: the headline figures and the children ranked.
func (c *Conference) headline() Block {
	p := c.Progress
	head := Block{Heading: "I. KẾT QUẢ CHUNG"}
	line := fmt.Sprintf("Tính đến ngày %s, %s đã kết nạp %s đảng viên", vn.Date(c.AsOf), c.Org.Name, vn.Int(p.Admitted))
	if p.Quota != nil {
		line += fmt.Sprintf(", bằng %s/%s chỉ tiêu được giao, đạt %s chỉ tiêu", vn.Int(p.Admitted), vn.Int(*p.Quota), vn.PercentPtr(p.QuotaPercent))
	}
	if p.Plan != nil {
		line += fmt.Sprintf(" và %s kế hoạch (kế hoạch %s đảng viên)", vn.PercentPtr(p.PlanPercent), vn.Int(*p.Plan))
	}
	head.Paras = append(head.Paras, line+".")
	if p.Recorded > 0 {
		head.Paras = append(head.Paras, fmt.Sprintf("Trong số %s đảng viên kết nạp, %s quyết định kết nạp được ghi từ hồ sơ giấy (kết nạp trước khi dùng hệ thống, hoặc nhập từ danh sách đảng viên), không qua hồ sơ kết nạp trên hệ thống.",
			vn.Int(p.Admitted), vn.Int(p.Recorded)))
	}
	if p.Lost > 0 {
		head.Paras = append(head.Paras, fmt.Sprintf("%s quyết định kết nạp thuộc đơn vị đã giải thể chưa xác định được đơn vị kế thừa nên không được tính.", vn.Int(p.Lost)))
	}
	if p.ClosedOn != nil {
		line := fmt.Sprintf("%s không còn từ ngày %s (giải thể, sáp nhập); số liệu tính đến ngày %s", c.Org.Name, vn.Date(*p.ClosedOn), vn.Date(p.TreeDay))
		if len(p.Successors) > 0 {
			line += "; đơn vị kế thừa: " + p.Successors[0].Name
		}
		head.Paras = append(head.Paras, line+".")
	}
	if p.Moved > 0 {
		head.Paras = append(head.Paras, fmt.Sprintf("%s quyết định kết nạp năm %d của các đơn vị đã chuyển đi hoặc sáp nhập vào đơn vị khác được tính ở đơn vị tiếp nhận, không tính trong số liệu trên.",
			vn.Int(p.Moved), c.Year))
	}
	if len(c.Units) > 0 {
		t := &Table{Headers: []string{"STT", "Đơn vị", "Đã kết nạp", "Chỉ tiêu", "Kế hoạch", "% chỉ tiêu", "% kế hoạch", "Đánh giá"},
			Widths: []float64{13, 46, 11, 11, 12, 22, 22, 27}, Align: "RLRRRRRL"}
		for i, u := range c.Units {
			t.Rows = append(t.Rows, []string{strconv.Itoa(i + 1), u.Name, vn.Int(u.Admitted), intOrDash(u.Quota), intOrDash(u.Plan),
				vn.PercentPtr(u.QuotaPercent), vn.PercentPtr(u.PlanPercent), progress.ClassNames[u.Class]})
		}
		head.Paras = append(head.Paras, "Kết quả của các đơn vị trực thuộc, xếp theo tỷ lệ đạt chỉ tiêu từ cao xuống thấp:")
		head.Table = t
	}
	return head
}

// targetsMet is section II: the units above and on target.
func (c *Conference) targetsMet() Block {
	good := Block{Heading: "II. CÁC ĐƠN VỊ VƯỢT VÀ ĐẠT CHỈ TIÊU"}
	good.Paras = append(good.Paras, unitLine(fmt.Sprintf("Có %d đơn vị vượt chỉ tiêu", len(c.Above)), c.Above))
	good.Paras = append(good.Paras, unitLine(fmt.Sprintf("Có %d đơn vị đạt chỉ tiêu", len(c.On)), c.On))
	return good
}

// targetsMissed is section III: the units at zero and the lowest rates.
func (c *Conference) targetsMissed() Block {
	low := Block{Heading: "III. CÁC ĐƠN VỊ CHƯA KẾT NẠP ĐƯỢC ĐẢNG VIÊN VÀ CÓ TỶ LỆ THẤP"}
	low.Paras = append(low.Paras, unitLine(fmt.Sprintf("Có %d đơn vị được giao chỉ tiêu, kế hoạch nhưng chưa kết nạp được đảng viên nào", len(c.None)), c.None))
	low.Paras = append(low.Paras, unitLine(fmt.Sprintf("Các đơn vị có tỷ lệ đạt chỉ tiêu thấp nhất (%d đơn vị)", len(c.Lowest)), c.Lowest))
	return low
}

// classes is section IV: the classes held and the alerts of the classes report.
func (c *Conference) classes() Block {
	r := c.Classes
	cl := Block{Heading: "IV. CÔNG TÁC BỒI DƯỠNG NHẬN THỨC VỀ ĐẢNG VÀ ĐẢNG VIÊN MỚI"}
	cl.Paras = append(cl.Paras, fmt.Sprintf("Từ ngày %s đến ngày %s đã mở %s lớp bồi dưỡng nhận thức về Đảng (%s học viên, %s đạt) và %s lớp bồi dưỡng lý luận chính trị cho đảng viên mới (%s học viên, %s đạt).",
		vn.Date(r.From), vn.Date(r.To), vn.Int(r.Awareness.Classes), vn.Int(r.Awareness.Learners), vn.Int(r.Awareness.Passed),
		vn.Int(r.NewMember.Classes), vn.Int(r.NewMember.Learners), vn.Int(r.NewMember.Passed)))
	t := &Table{Headers: []string{"Chương trình", "Số lớp", "Học viên", "Đạt", "Không đạt", "Vắng thi", "Dự dưới 80 %"},
		Widths: []float64{60, 16, 18, 16, 20, 20, 20}, Align: "LRRRRRR"}
	for _, x := range []struct {
		name string
		c    domain.ProgrammeCount
	}{{domain.ProgrammeName(domain.ProgAwareness), r.Awareness}, {domain.ProgrammeName(domain.ProgNewMember), r.NewMember}} {
		row := []string{x.name}
		for _, n := range []int{x.c.Classes, x.c.Learners, x.c.Passed, x.c.Failed, x.c.Absent, x.c.Ineligible} {
			row = append(row, vn.Int(n))
		}
		t.Rows = append(t.Rows, row)
	}
	cl.Table = t
	cl.After = append(cl.After, fmt.Sprintf("Quần chúng ưu tú có giấy chứng nhận nhận thức về Đảng còn hiệu lực, chưa được kết nạp: %s người; giấy chứng nhận hết hạn trong %d ngày tới: %s.",
		vn.Int(r.Certified), r.LapseDays, vn.Int(r.Lapsing)),
		fmt.Sprintf("Quần chúng ưu tú chưa được cử đi học lớp nhận thức về Đảng quá %d tháng: %s người.", r.Months, vn.Int(r.NotSent)))
	return cl
}

// deadlinesAtRisk is the section on the deadlines overdue and due soon,
// numbered n.
func (c *Conference) deadlinesAtRisk(n string) Block {
	dl := Block{Heading: n + ". CÁC THỜI HẠN CẦN CHÚ Ý"}
	if len(c.Todo) == 0 {
		dl.Paras = append(dl.Paras, fmt.Sprintf("Không có thời hạn nào quá hạn hoặc đến hạn trong %d ngày tới.", c.Days))
		return dl
	}
	over, due := 0, 0
	t := &Table{Headers: []string{"Loại việc", "Quá hạn", fmt.Sprintf("Đến hạn trong %d ngày (kể cả quá hạn)", c.Days)},
		Widths: []float64{100, 30, 50}, Align: "LRR"}
	for _, x := range c.Todo {
		t.Rows = append(t.Rows, []string{x.Name, vn.Int(x.Overdue), vn.Int(x.Due)})
		over += x.Overdue
		due += x.Due
	}
	dl.Paras = append(dl.Paras, fmt.Sprintf("Tính đến ngày %s có %s việc của hồ sơ kết nạp đã quá hạn và %s việc đến hạn trong %d ngày tới (kể cả quá hạn):",
		vn.Date(c.AsOf), vn.Int(over), vn.Int(due), c.Days))
	dl.Table = t
	if len(c.Late) > 0 {
		dl.After = append(dl.After, "Các việc đã quá hạn:")
	}
	for _, l := range c.Late {
		dl.After = append(dl.After, fmt.Sprintf("- %s (%s): %s, hạn %s.", l.Name, l.Unit, lowerFirst(l.Kind), vn.Date(l.Due)))
	}
	if c.LateMore > 0 {
		dl.After = append(dl.After, fmt.Sprintf("- và %s việc quá hạn khác.", vn.Int(c.LateMore)))
	}
	return dl
}

// pace is the section on the pace needed by the target's deadline and the
// projection, numbered n.
func (c *Conference) pace(n string) Block {
	p := c.Progress
	pace := Block{Heading: n + ". TIẾN ĐỘ CẦN ĐẠT ĐỂ HOÀN THÀNH CHỈ TIÊU"}
	if p.Deadline == nil {
		pace.Paras = append(pace.Paras, fmt.Sprintf("Chưa đặt hạn hoàn thành chỉ tiêu; nhịp độ hiện tại %s đảng viên/tháng.", decimal(p.PaceCurrent)))
		return pace
	}
	s := fmt.Sprintf("Hạn hoàn thành chỉ tiêu là ngày %s.", vn.Date(*p.Deadline))
	if p.PaceNeeded != nil {
		s += fmt.Sprintf(" Để hoàn thành đúng hạn, bình quân mỗi tháng cần kết nạp %s đảng viên", decimal(*p.PaceNeeded))
		s += fmt.Sprintf(" (nhịp độ hiện tại %s đảng viên/tháng).", decimal(p.PaceCurrent))
	}
	if p.Projection != nil {
		s += fmt.Sprintf(" Dự kiến đến hạn kết nạp được %s đảng viên", vn.Int(*p.Projection))
		if p.Quota != nil && *p.Quota > 0 {
			pr, _ := progress.Percent(*p.Projection, p.Quota)
			s += fmt.Sprintf(", đạt %s chỉ tiêu", vn.Percent(pr))
		}
		s += ". " + ProjectionHow(p.Result, c.AsOf)
	}
	pace.Paras = append(pace.Paras, s)
	return pace
}

// ProjectionHow says in one sentence how the projection is computed
// (DOMAIN §4), with its parts.
func ProjectionHow(p *progress.Result, asof time.Time) string {
	return fmt.Sprintf("Số dự kiến bằng số đã kết nạp (%s), cộng số kết nạp thêm nếu giữ nhịp độ hiện tại %s đảng viên/tháng đến hạn (%s), "+
		"cộng số hồ sơ đã được chi bộ biểu quyết đề nghị kết nạp nhưng chưa có quyết định kết nạp tính đến ngày %s (%s).",
		vn.Int(p.Admitted), decimal(p.PaceCurrent), vn.Int(p.AtPace()), vn.Date(asof), vn.Int(p.Pipeline))
}

// roman numbers the sections after the optional breakdowns.
func roman(shift bool, n int) string {
	r := []string{"", "I", "II", "III", "IV", "V", "VI", "VII", "VIII"}
	if shift {
		n++
	}
	return r[n]
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

func decimal(f float64) string {
	return strings.Replace(strconv.FormatFloat(f, 'f', 1, 64), ".", ",", 1)
}

func lowerFirst(s string) string {
	for i, r := range s {
		return strings.ToLower(string(r)) + s[i+len(string(r)):]
	}
	return s
}

func upper(s string) string { return strings.ToUpper(s) }
