package report

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/progress"
	"ketnap/internal/service"
	"ketnap/internal/vn"
)

// The drafts of sections II (weaknesses and causes) and III (tasks and
// solutions): every sentence is written from a figure of the report and
// only when that figure calls for it (seed/article: the conference named
// the units at zero, the villages, the high-school students, the sources
// not sent to a class, and set the end of the third quarter as the
// deadline). The office edits them on the report's page before downloading.

// minLearners is the smallest awareness class (QĐ 1147-QĐ/BTGDVTW, 2025:
// at least 25 learners a class).
const minLearners = 25

// namesShown is how many units a drafted sentence names before "và n đơn
// vị khác".
const namesShown = 8

// draftWeaknesses drafts section II.
func (c *Conference) draftWeaknesses() string {
	var weak, causes []string
	p := c.Progress
	asof := vn.Date(c.AsOf)
	share, shareOK := c.timeShare()

	// the pace against the time gone by
	if p.Quota != nil && p.QuotaPercent != nil && p.Deadline != nil && *p.QuotaPercent < 100 {
		switch {
		case c.AsOf.After(*p.Deadline):
			weak = append(weak, fmt.Sprintf("- Không hoàn thành chỉ tiêu kết nạp đảng viên mới đúng hạn (ngày %s): đến ngày %s mới kết nạp được %s/%s đảng viên, đạt %s chỉ tiêu.",
				vn.Date(*p.Deadline), asof, vn.Int(p.Admitted), vn.Int(*p.Quota), vn.Percent(*p.QuotaPercent)))
		case shareOK && *p.QuotaPercent < share:
			s := fmt.Sprintf("- Tiến độ kết nạp đảng viên mới còn chậm so với thời gian: đến ngày %s mới kết nạp được %s/%s đảng viên, đạt %s chỉ tiêu",
				asof, vn.Int(p.Admitted), vn.Int(*p.Quota), vn.Percent(*p.QuotaPercent))
			if p.PlanPercent != nil {
				s += fmt.Sprintf(" và %s kế hoạch", vn.Percent(*p.PlanPercent))
			}
			s += fmt.Sprintf(", trong khi thời gian đã qua bằng %s thời gian thực hiện chỉ tiêu (từ ngày 01/01/%d đến ngày %s).",
				vn.Percent(share), c.Year, vn.Date(*p.Deadline))
			weak = append(weak, s)
		}
	}
	// the units with a target and nobody admitted
	if len(c.None) > 0 {
		var committees, chapters []string
		for _, u := range c.None {
			if strings.HasPrefix(u.Name, "Đảng bộ") {
				committees = append(committees, u.Name)
			} else {
				chapters = append(chapters, u.Name)
			}
		}
		s := fmt.Sprintf("- Còn %d đơn vị được giao chỉ tiêu, kế hoạch nhưng đến ngày %s chưa kết nạp được đảng viên nào", len(c.None), asof)
		switch {
		case len(committees) > 0 && len(chapters) > 0:
			s += fmt.Sprintf(", gồm %d đảng bộ (%s) và %d chi bộ trực thuộc", len(committees), strings.Join(committees, ", "), len(chapters))
		case len(committees) > 0:
			s += ": " + strings.Join(committees, ", ")
		default:
			s += ": " + named(chapters)
		}
		weak = append(weak, s+".")
	}
	// the lowest rates
	var low []string
	for _, u := range c.Lowest {
		if u.QuotaPercent != nil && (!shareOK || *u.QuotaPercent < share) {
			low = append(low, fmt.Sprintf("%s (%s/%s, đạt %s)", u.Name, vn.Int(u.Admitted), intOrDash(u.Quota), vn.Percent(*u.QuotaPercent)))
		}
	}
	if len(low) > 0 {
		weak = append(weak, "- Một số đơn vị có tỷ lệ kết nạp đảng viên mới thấp: "+strings.Join(low, "; ")+".")
	}
	// the villages
	if b := c.Make; b != nil {
		idle := b.VillageChaptersIdle()
		if len(idle) > 0 {
			s := "- "
			if 2*len(idle) >= len(b.VillageChapters) {
				s += "Kết quả phát triển đảng viên ở địa bàn thôn, buôn, tổ dân phố chưa cao: "
			} else {
				s += "Ở địa bàn thôn, buôn, tổ dân phố, "
			}
			s += fmt.Sprintf("%s/%s chi bộ thôn, buôn, tổ dân phố chưa kết nạp được đảng viên nào", vn.Int(len(idle)), vn.Int(len(b.VillageChapters)))
			var all []string
			for _, x := range b.VillageChaptersByCommune() {
				if len(x.Idle) == x.Total {
					all = append(all, x.Commune)
				}
			}
			if len(all) > 0 {
				s += fmt.Sprintf("; ở %d đảng bộ (%s), không chi bộ thôn, buôn, tổ dân phố nào kết nạp được đảng viên", len(all), named(all))
			}
			if len(b.Weak) > 0 {
				s += "; " + weakVillages(b.Weak)
			}
			weak = append(weak, s+".")
		} else if len(b.Weak) > 0 {
			weak = append(weak, "- Ở địa bàn thôn, buôn, tổ dân phố, còn "+weakVillages(b.Weak)+".")
		}
		// the high-school students
		if t := b.SchoolsTotal; t.Students > 0 && t.Percent != nil {
			var none []string
			for _, s := range b.Schools {
				if s.Students > 0 && s.Admitted == 0 {
					none = append(none, s.Name)
				}
			}
			switch {
			case *t.Percent < 1:
				degree := "còn thấp"
				if *t.Percent < 0.5 {
					degree = "còn rất thấp"
				}
				s := fmt.Sprintf("- Tỷ lệ học sinh trung học phổ thông được kết nạp đảng %s so với tổng số học sinh: %s/%s học sinh của %d trường (%s)",
					degree, vn.Int(t.Admitted), vn.Int(t.Students), t.Schools, vn.Percent(*t.Percent))
				if len(none) > 0 {
					s += fmt.Sprintf("; %d trường chưa có học sinh nào được kết nạp (%s)", len(none), named(none))
				}
				weak = append(weak, s+".")
			case len(none) > 0:
				weak = append(weak, fmt.Sprintf("- Còn %d trường trung học phổ thông chưa có học sinh nào được kết nạp đảng: %s.", len(none), named(none)))
			}
		}
	}
	// the sources not sent to a class
	if r := c.Classes; r != nil && r.NotSent > 0 {
		weak = append(weak, fmt.Sprintf("- Còn tình trạng có nguồn nhưng chi bộ chưa quan tâm, tạo điều kiện để quần chúng ưu tú tham gia lớp bồi dưỡng nhận thức về Đảng: %s quần chúng ưu tú ở %s chi bộ chưa được cử đi học quá %d tháng, nhiều nhất là %s.",
			vn.Int(r.NotSent), vn.Int(len(r.ByChapter)), r.Months, chapterCounts(r.ByChapter, 3)))
	}
	// the deadlines of the procedure
	if over, _ := c.todoTotals(); over > 0 {
		var kinds []string
		for _, x := range c.Todo {
			if x.Overdue > 0 {
				kinds = append(kinds, fmt.Sprintf("%s: %s", lowerFirst(x.Name), vn.Int(x.Overdue)))
			}
		}
		weak = append(weak, fmt.Sprintf("- Việc thực hiện các bước của quy trình kết nạp đảng viên ở một số nơi chưa bảo đảm thời hạn: đến ngày %s có %s việc đã quá hạn (%s).",
			asof, vn.Int(over), strings.Join(kinds, "; ")))
	}
	if len(weak) == 0 {
		weak = append(weak, fmt.Sprintf("- Số liệu đến ngày %s chưa cho thấy hạn chế về tiến độ kết nạp, nguồn phát triển đảng viên và thời hạn của quy trình kết nạp.", asof))
	}

	// causes: the units with a target and no source at all
	if idle := c.withoutSources(); len(idle) > 0 {
		causes = append(causes, fmt.Sprintf("- Một số cấp ủy, tổ chức đảng còn thụ động, chưa quan tâm tạo nguồn: %d đơn vị được giao chỉ tiêu nhưng đến ngày %s không có quần chúng ưu tú nào trong danh sách nguồn và không có hồ sơ kết nạp nào đang thực hiện (%s).",
			len(idle), asof, named(idle)))
	}
	if r := c.Classes; r != nil && r.NotSent > 0 {
		causes = append(causes, fmt.Sprintf("- Việc cử quần chúng ưu tú đi học lớp bồi dưỡng nhận thức về Đảng ở một số chi bộ chưa kịp thời (%s quần chúng chưa được cử đi học quá %d tháng), nên chưa đủ điều kiện để làm hồ sơ kết nạp.",
			vn.Int(r.NotSent), r.Months))
	}
	over, _ := c.todoTotals()
	stalled, staleDays := 0, 0
	if c.Funnel != nil && c.Funnel.Unit != nil {
		stalled, staleDays = c.Funnel.Unit.Stalled, c.Funnel.StaleDays
	}
	if over > 0 || stalled > 0 {
		var parts []string
		if stalled > 0 {
			parts = append(parts, fmt.Sprintf("%s hồ sơ không có bước mới quá %d ngày", vn.Int(stalled), staleDays))
		}
		if over > 0 {
			parts = append(parts, fmt.Sprintf("%s việc đã quá hạn", vn.Int(over)))
		}
		causes = append(causes, "- Việc phân công, hướng dẫn cụ thể các bước thực hiện quy trình kết nạp đảng viên ở một số nơi chưa sát sao: "+strings.Join(parts, "; ")+".")
	}
	if len(causes) == 0 {
		causes = append(causes, fmt.Sprintf("- Số liệu đến ngày %s chưa cho thấy nguyên nhân cụ thể; đề nghị các cấp ủy bổ sung.", asof))
	}
	return "1. Hạn chế\n" + strings.Join(weak, "\n") + "\n2. Nguyên nhân\n" + strings.Join(causes, "\n")
}

// draftTasks drafts section III.
func (c *Conference) draftTasks() string {
	var tasks []string
	p := c.Progress
	me := committeeOf(c.Org)
	// the pace needed to the deadline
	if p.Quota != nil {
		left := *p.Quota - p.Admitted
		plan := ""
		if p.Plan != nil && *p.Plan > *p.Quota {
			plan = fmt.Sprintf(" và phấn đấu đạt kế hoạch %s đảng viên", vn.Int(*p.Plan))
		}
		switch {
		case left <= 0 && p.Plan != nil && *p.Plan > p.Admitted:
			tasks = append(tasks, fmt.Sprintf("- Đã hoàn thành chỉ tiêu được giao (%s/%s đảng viên); tiếp tục phấn đấu đạt kế hoạch %s đảng viên (còn %s đảng viên).",
				vn.Int(p.Admitted), vn.Int(*p.Quota), vn.Int(*p.Plan), vn.Int(*p.Plan-p.Admitted)))
		case left <= 0:
		case p.Deadline == nil:
			tasks = append(tasks, fmt.Sprintf("- Phấn đấu hoàn thành chỉ tiêu kết nạp đảng viên mới năm %d: còn phải kết nạp %s đảng viên%s.", c.Year, vn.Int(left), plan))
		case c.AsOf.After(*p.Deadline):
			tasks = append(tasks, fmt.Sprintf("- Hạn hoàn thành chỉ tiêu (ngày %s) đã qua, còn thiếu %s đảng viên: khẩn trương hoàn thành chỉ tiêu trong năm %d.",
				vn.Date(*p.Deadline), vn.Int(left), c.Year))
		default:
			s := fmt.Sprintf("- Phấn đấu hoàn thành chỉ tiêu kết nạp đảng viên mới năm %d đến ngày %s%s: còn phải kết nạp %s đảng viên trong %s tháng",
				c.Year, vn.Date(*p.Deadline), quarterOf(*p.Deadline), vn.Int(left), decimal(monthsBetween(c.AsOf, *p.Deadline)))
			if p.PaceNeeded != nil {
				s += fmt.Sprintf(", bình quân mỗi tháng %s đảng viên (nhịp độ hiện tại %s đảng viên/tháng)", decimal(*p.PaceNeeded), decimal(p.PaceCurrent))
			}
			tasks = append(tasks, s+plan+".")
		}
	}
	// the units to push
	if len(c.None) > 0 || len(c.Lowest) > 0 {
		none := slices.Clone(c.None)
		slices.SortStableFunc(none, func(a, b Unit) int { return cmp.Compare(deref(b.Quota), deref(a.Quota)) })
		var names []string
		for _, u := range none {
			if u.Quota != nil {
				names = append(names, fmt.Sprintf("%s (chỉ tiêu %s)", u.Name, vn.Int(*u.Quota)))
			} else {
				names = append(names, u.Name)
			}
		}
		s := "- Tập trung lãnh đạo, chỉ đạo"
		if len(names) > 0 {
			s += fmt.Sprintf(" %d đơn vị chưa kết nạp được đảng viên nào, trước hết là %s", len(names), named(names))
		}
		var low []string
		for _, u := range c.Lowest {
			if u.Quota != nil && *u.Quota > u.Admitted {
				low = append(low, fmt.Sprintf("%s (còn %s)", u.Name, vn.Int(*u.Quota-u.Admitted)))
			}
		}
		if len(low) > 0 {
			if len(names) > 0 {
				s += ";"
			}
			s += " các đơn vị có tỷ lệ thấp: " + strings.Join(low, ", ")
		}
		tasks = append(tasks, s+"; cấp ủy phân công cấp ủy viên phụ trách, kiểm tra tiến độ hằng tháng.")
	}
	// the classes to open
	if r := c.Classes; r != nil && r.NotSent > 0 {
		classes := max(1, r.NotSent/minLearners)
		centre := "Trung tâm Chính trị"
		if me.Level == "district" {
			centre += " " + strings.ToLower(strings.Fields(me.Short)[0])
		}
		s := fmt.Sprintf("- Phối hợp với %s mở %d lớp bồi dưỡng nhận thức về Đảng (mỗi lớp từ %d học viên trở lên) cho %s quần chúng ưu tú chưa được cử đi học",
			centre, classes, minLearners, vn.Int(r.NotSent))
		if r.NotSent < minLearners {
			s += ", ghép cùng quần chúng ưu tú mới được giới thiệu cho đủ số học viên"
		}
		s += "; các chi bộ cử ngay quần chúng ưu tú đi học, trước hết là " + chapterCounts(r.ByChapter, 5) + "."
		tasks = append(tasks, s)
	}
	// the certificates about to lapse
	if r := c.Classes; r != nil && (r.Lapsing > 0 || r.Certified > 0) {
		s := "- Chi bộ xem xét, làm hồ sơ kết nạp cho"
		if r.Certified > 0 {
			s += fmt.Sprintf(" %s quần chúng ưu tú đã có giấy chứng nhận nhận thức về Đảng còn hiệu lực", vn.Int(r.Certified))
		}
		if r.Lapsing > 0 {
			if r.Certified > 0 {
				s += ","
			}
			s += fmt.Sprintf(" trước hết là %s người có giấy chứng nhận hết hạn trong %d ngày tới (trước ngày %s)", vn.Int(r.Lapsing), r.LapseDays, vn.Date(r.LapseUntil))
		}
		tasks = append(tasks, s+".")
	}
	// the procedure
	over, due := c.todoTotals()
	if over > 0 || due > 0 || c.Progress.Pipeline > 0 {
		var parts []string
		if over > 0 {
			parts = append(parts, fmt.Sprintf("hoàn thành ngay %s việc đã quá hạn của hồ sơ kết nạp", vn.Int(over)))
		}
		if due > over {
			parts = append(parts, fmt.Sprintf("bảo đảm đúng hạn %s việc đến hạn trong %d ngày tới", vn.Int(due-over), c.Days))
		}
		if n := c.Progress.Pipeline; n > 0 {
			parts = append(parts, fmt.Sprintf("cấp ủy có thẩm quyền xem xét, quyết định kết nạp đối với %s hồ sơ đã được chi bộ biểu quyết đề nghị", vn.Int(n)))
		}
		tasks = append(tasks, "- Hướng dẫn cụ thể các bước của quy trình kết nạp: "+strings.Join(parts, "; ")+".")
	}
	// the villages
	if b := c.Make; b != nil {
		idle := b.VillageChaptersIdle()
		if len(idle) > 0 || len(b.Weak) > 0 {
			s := "- Quan tâm phát triển đảng viên ở địa bàn thôn, buôn, tổ dân phố"
			var parts []string
			if len(idle) > 0 {
				parts = append(parts, fmt.Sprintf("mỗi chi bộ trong %s chi bộ thôn, buôn, tổ dân phố chưa kết nạp được đảng viên xây dựng nguồn và kế hoạch kết nạp", vn.Int(len(idle))))
			}
			if len(b.Weak) > 0 {
				var names []string
				for _, w := range b.Weak {
					names = append(names, fmt.Sprintf("%s (%s)", w.Name, w.Commune))
				}
				parts = append(parts, fmt.Sprintf("tạo nguồn, kết nạp đảng viên ở %d thôn, buôn, tổ dân phố chưa có đảng viên (%s) để tiến tới thành lập chi bộ", len(b.Weak), named(names)))
			}
			tasks = append(tasks, s+": "+strings.Join(parts, "; ")+".")
		}
		var none []string
		for _, s := range b.Schools {
			if s.Students > 0 && s.Admitted == 0 {
				none = append(none, s.Name)
			}
		}
		if len(none) > 0 {
			tasks = append(tasks, fmt.Sprintf("- Phối hợp với Đoàn Thanh niên Cộng sản Hồ Chí Minh và các trường trung học phổ thông bồi dưỡng, tạo nguồn trong học sinh, nhất là ở %d trường chưa có học sinh được kết nạp: %s.",
				len(none), named(none)))
		}
	}
	if len(tasks) == 0 {
		tasks = append(tasks, fmt.Sprintf("- Tiếp tục duy trì tiến độ kết nạp đảng viên mới năm %d; số liệu đến ngày %s không đặt ra nhiệm vụ cụ thể nào khác.", c.Year, vn.Date(c.AsOf)))
	}
	return strings.Join(tasks, "\n")
}

// timeShare is the part of the time to the quota's deadline gone by on the
// report's date, from 1 January of the year, in percent; false without a
// deadline in the year.
func (c *Conference) timeShare() (float64, bool) {
	p := c.Progress
	if p.Deadline == nil {
		return 0, false
	}
	start := domain.Day(c.Year, 1, 1)
	total := p.Deadline.Sub(start).Hours()/24 + 1
	gone := c.AsOf.Sub(start).Hours()/24 + 1
	if total <= 0 || gone <= 0 {
		return 0, false
	}
	n, d := int(min(gone, total)), int(total)
	return progress.Percent(n, &d)
}

// withoutSources names the direct children with a target not met that
// have no source and no case in progress on the date (the funnel's line
// of the child is empty).
func (c *Conference) withoutSources() []string {
	if c.Funnel == nil || c.Funnel.Unit == nil {
		return nil
	}
	byCode := map[string]Unit{}
	for _, u := range c.Units {
		byCode[u.Code] = u
	}
	var out []string
	for _, l := range c.Funnel.Unit.Children {
		u, ok := byCode[l.Org.Code]
		if !ok || u.Quota == nil || u.Admitted >= *u.Quota {
			continue
		}
		n := 0
		for _, v := range l.Counts {
			n += v
		}
		if n == 0 {
			out = append(out, u.Name)
		}
	}
	return out
}

// quarterOf says which part of the year a deadline closes: " (hết quý
// III năm 2024)" for 30 September; "" for a day that ends no quarter.
func quarterOf(d time.Time) string {
	if d.AddDate(0, 0, 1).Day() != 1 || d.Month()%3 != 0 {
		return ""
	}
	if d.Month() == time.December {
		return fmt.Sprintf(" (hết năm %d)", d.Year())
	}
	return fmt.Sprintf(" (hết quý %s năm %d)", []string{"I", "II", "III"}[d.Month()/3-1], d.Year())
}

// monthsBetween is the months from a to b, as progress counts them
// (30,44 days a month).
func monthsBetween(a, b time.Time) float64 {
	return b.Sub(a).Hours() / 24 / (365.25 / 12)
}

// named joins names, the first namesShown of them and "và n đơn vị khác".
func named(names []string) string {
	if len(names) <= namesShown {
		return strings.Join(names, ", ")
	}
	return strings.Join(names[:namesShown], ", ") + fmt.Sprintf(" và %d đơn vị khác", len(names)-namesShown)
}

// chapterCounts names the first n chapters of a count by chapter with their
// counts: "Chi bộ thôn 3 (Đảng bộ xã Ea Phê): 4 người".
func chapterCounts(cs []domain.ChapterCount, n int) string {
	var parts []string
	for i, x := range cs {
		if i == n {
			parts = append(parts, fmt.Sprintf("và %d chi bộ khác (danh sách tại phần I)", len(cs)-n))
			break
		}
		s := x.Name
		if x.Parent != "" {
			s += " (" + x.Parent + ")"
		}
		parts = append(parts, s+": "+vn.Int(x.Count)+" người")
	}
	return strings.Join(parts, "; ")
}

// weakVillages names the villages without member and chapter: "5 thôn,
// buôn, tổ dân phố chưa có đảng viên và chưa có chi bộ: …".
func weakVillages(weak []service.ResidenceLine) string {
	names := make([]string, len(weak))
	for i, w := range weak {
		names[i] = fmt.Sprintf("%s (%s)", w.Name, w.Commune)
	}
	return fmt.Sprintf("%d thôn, buôn, tổ dân phố chưa có đảng viên và chưa có chi bộ: %s", len(weak), named(names))
}

func deref(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}
