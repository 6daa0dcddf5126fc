package report

import (
	"fmt"
	"strconv"
	"strings"

	"ketnap/internal/domain"
	"ketnap/internal/progress"
	"ketnap/internal/vn"
)

// Document lays the report out as headings, paragraphs and tables, the
// same for Word and PDF: I. the results, in numbered parts with their
// tables and charts; II. the weaknesses and their causes and III. the
// tasks and solutions, as drafted from the data or edited by the office.
func (c *Conference) Document() *Document {
	f := c.Fields
	d := &Document{Parent: f.Parent, Issuer: f.Issuer, Number: f.Number, DateLine: vn.LongDate(f.Place, c.AsOf),
		Title: "BÁO CÁO", Subtitle: fmt.Sprintf("Kết quả công tác phát triển đảng viên năm %d", c.Year),
		Lead: fmt.Sprintf("(tính đến ngày %s)", vn.Date(c.AsOf)), SignFor: f.SignFor, SignerTitle: f.SignerTitle, Signer: f.Signer,
		Recipients: []string{"Nơi nhận:"}}
	for _, l := range strings.Split(f.Recipients, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			d.Recipients = append(d.Recipients, l)
		}
	}
	n, charts := 0, 0
	part := func(title string) string { n++; return fmt.Sprintf("%d. %s", n, title) }
	chart := func() int { charts++; return charts }

	d.Blocks = append(d.Blocks, Block{Heading: "I. KẾT QUẢ"})
	head := c.headline(part("Kết quả chung"))
	if head.Table != nil {
		if ch := c.unitsChart(charts + 1); ch != nil {
			chart()
			head.Charts = append(head.Charts, ch)
		}
	}
	d.Blocks = append(d.Blocks, head, c.targetsMet(part("Các đơn vị vượt và đạt chỉ tiêu")))
	d.Blocks = append(d.Blocks, c.targetsMissed(part("Các đơn vị chưa kết nạp được đảng viên và có tỷ lệ thấp"))...)
	if c.Classes != nil {
		d.Blocks = append(d.Blocks, c.classes(part("Công tác bồi dưỡng nhận thức về Đảng và đảng viên mới"))...)
	}
	if len(c.Breakdowns) > 0 {
		d.Blocks = append(d.Blocks, Block{Heading: part("Cơ cấu đảng viên mới kết nạp"), Sub: true})
		d.Blocks = append(d.Blocks, c.Breakdowns...)
	}
	d.Blocks = append(d.Blocks, c.deadlinesAtRisk(part("Các thời hạn cần chú ý")))
	pace := c.pace(part("Tiến độ cần đạt để hoàn thành chỉ tiêu"))
	if ch := c.funnelChart(charts + 1); ch != nil {
		chart()
		pace.Paras = append(pace.Paras, fmt.Sprintf("Nguồn và hồ sơ phát triển đảng viên đang thực hiện đến ngày %s theo từng bước:", vn.Date(c.AsOf)))
		pace.Charts = append(pace.Charts, ch)
	}
	d.Blocks = append(d.Blocks, pace)
	d.Blocks = append(d.Blocks, textBlocks("II. HẠN CHẾ, NGUYÊN NHÂN", f.Weaknesses)...)
	d.Blocks = append(d.Blocks, textBlocks("III. NHIỆM VỤ, GIẢI PHÁP", f.Tasks)...)
	return d
}

// headline is the first part of section I: the headline figures and the
// children ranked.
func (c *Conference) headline(title string) Block {
	p := c.Progress
	head := Block{Heading: title, Sub: true}
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
			Widths: []float64{10, 50, 15, 14, 15, 20, 20, 26}, Align: "RLRRRRRL"}
		for i, u := range c.Units {
			t.Rows = append(t.Rows, []string{strconv.Itoa(i + 1), u.Name, vn.Int(u.Admitted), intOrDash(u.Quota), intOrDash(u.Plan),
				vn.PercentPtr(u.QuotaPercent), vn.PercentPtr(u.PlanPercent), progress.ClassNames[u.Class]})
		}
		t.Total = []string{"", "Toàn " + lowerFirst(c.Org.Name), vn.Int(p.Admitted), intOrDash(p.Quota), intOrDash(p.Plan),
			vn.PercentPtr(p.QuotaPercent), vn.PercentPtr(p.PlanPercent), progress.ClassNames[p.Class]}
		head.Paras = append(head.Paras, "Kết quả của các đơn vị trực thuộc, xếp theo tỷ lệ đạt chỉ tiêu từ cao xuống thấp:")
		head.Table = t
	}
	return head
}

// targetsMet is the part on the units above and on target.
func (c *Conference) targetsMet(title string) Block {
	good := Block{Heading: title, Sub: true}
	good.Paras = append(good.Paras, unitLine(fmt.Sprintf("Có %d đơn vị vượt chỉ tiêu", len(c.Above)), c.Above))
	good.Paras = append(good.Paras, unitLine(fmt.Sprintf("Có %d đơn vị đạt chỉ tiêu", len(c.On)), c.On))
	return good
}

// targetsMissed is the part on the units at zero and the lowest rates,
// and the village chapters that admitted nobody, by commune.
func (c *Conference) targetsMissed(title string) []Block {
	low := Block{Heading: title, Sub: true}
	low.Paras = append(low.Paras, unitLine(fmt.Sprintf("Có %d đơn vị được giao chỉ tiêu, kế hoạch nhưng chưa kết nạp được đảng viên nào", len(c.None)), c.None))
	low.Paras = append(low.Paras, unitLine(fmt.Sprintf("Các đơn vị có tỷ lệ đạt chỉ tiêu thấp nhất (%d đơn vị)", len(c.Lowest)), c.Lowest))
	blocks := []Block{low}
	if b := c.Make; b != nil && len(b.VillageChapters) > 0 {
		idle := b.VillageChaptersIdle()
		v := Block{Paras: []string{fmt.Sprintf("Ở địa bàn thôn, buôn, tổ dân phố: %s/%s chi bộ thôn, buôn, tổ dân phố chưa kết nạp được đảng viên nào trong năm %d.",
			vn.Int(len(idle)), vn.Int(len(b.VillageChapters)), c.Year)}}
		if len(idle) > 0 {
			t := &Table{Headers: []string{"Đảng bộ xã, thị trấn", "Số chi bộ thôn, buôn, tổ dân phố", "Chưa kết nạp được đảng viên", "Các chi bộ chưa kết nạp được đảng viên"},
				Widths: []float64{38, 22, 22, 78}, Align: "LRRL"}
			for _, x := range b.VillageChaptersByCommune() {
				names := make([]string, len(x.Idle))
				for i, v := range x.Idle {
					names[i] = strings.TrimPrefix(v.Name, "Chi bộ ")
				}
				t.Rows = append(t.Rows, []string{x.Commune, vn.Int(x.Total), vn.Int(len(x.Idle)), strings.Join(names, ", ")})
			}
			t.Total = []string{"Tổng cộng", vn.Int(len(b.VillageChapters)), vn.Int(len(idle)), ""}
			v.Table = t
		}
		blocks = append(blocks, v)
	}
	return blocks
}

// classes is the part on the classes held, the alerts of the classes
// report and the chapters whose sources were not sent to a class, named
// with their counts.
func (c *Conference) classes(title string) []Block {
	r := c.Classes
	cl := Block{Heading: title, Sub: true}
	cl.Paras = append(cl.Paras, fmt.Sprintf("Từ ngày %s đến ngày %s đã mở %s lớp bồi dưỡng nhận thức về Đảng (%s học viên, %s đạt) và %s lớp bồi dưỡng lý luận chính trị cho đảng viên mới (%s học viên, %s đạt).",
		vn.Date(r.From), vn.Date(r.To), vn.Int(r.Awareness.Classes), vn.Int(r.Awareness.Learners), vn.Int(r.Awareness.Passed),
		vn.Int(r.NewMember.Classes), vn.Int(r.NewMember.Learners), vn.Int(r.NewMember.Passed)))
	t := &Table{Headers: []string{"Chương trình", "Số lớp", "Học viên", "Đạt", "Không đạt", "Vắng thi", "Dự dưới 80 %"},
		Widths: []float64{54, 16, 18, 14, 20, 20, 20}, Align: "LRRRRRR"}
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
		vn.Int(r.Certified), r.LapseDays, vn.Int(r.Lapsing)))
	if r.NotSent == 0 {
		cl.After = append(cl.After, fmt.Sprintf("Không có quần chúng ưu tú nào chưa được cử đi học lớp bồi dưỡng nhận thức về Đảng quá %d tháng.", r.Months))
		return []Block{cl}
	}
	ns := Block{Paras: []string{fmt.Sprintf("Còn %s quần chúng ưu tú ở %s chi bộ chưa được cử đi học lớp bồi dưỡng nhận thức về Đảng quá %d tháng (vào danh sách nguồn từ ngày %s trở về trước):",
		vn.Int(r.NotSent), vn.Int(len(r.ByChapter)), r.Months, vn.Date(r.Cutoff))}}
	st := &Table{Headers: []string{"STT", "Chi bộ", "Thuộc", "Số quần chúng"}, Widths: []float64{10, 62, 62, 26}, Align: "RLLR"}
	for i, x := range r.ByChapter {
		st.Rows = append(st.Rows, []string{strconv.Itoa(i + 1), x.Name, x.Parent, vn.Int(x.Count)})
	}
	st.Total = []string{"", "Tổng cộng", "", vn.Int(r.NotSent)}
	ns.Table = st
	return []Block{cl, ns}
}

// deadlinesAtRisk is the part on the deadlines overdue and due soon.
func (c *Conference) deadlinesAtRisk(title string) Block {
	dl := Block{Heading: title, Sub: true}
	if len(c.Todo) == 0 {
		dl.Paras = append(dl.Paras, fmt.Sprintf("Không có thời hạn nào quá hạn hoặc đến hạn trong %d ngày tới.", c.Days))
		return dl
	}
	over, due := c.todoTotals()
	t := &Table{Headers: []string{"Loại việc", "Quá hạn", fmt.Sprintf("Đến hạn trong %d ngày (kể cả quá hạn)", c.Days)},
		Widths: []float64{100, 26, 34}, Align: "LRR"}
	for _, x := range c.Todo {
		t.Rows = append(t.Rows, []string{x.Name, vn.Int(x.Overdue), vn.Int(x.Due)})
	}
	t.Total = []string{"Tổng cộng", vn.Int(over), vn.Int(due)}
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

// todoTotals is the deadlines overdue and due within c.Days days, every
// kind together.
func (c *Conference) todoTotals() (over, due int) {
	for _, x := range c.Todo {
		over += x.Overdue
		due += x.Due
	}
	return over, due
}

// pace is the part on the pace needed by the target's deadline and the
// projection.
func (c *Conference) pace(title string) Block {
	p := c.Progress
	pace := Block{Heading: title, Sub: true}
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
