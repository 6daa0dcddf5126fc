package report

import (
	"context"
	"fmt"
	"strings"

	"ketnap/internal/progress"
	"ketnap/internal/service"
	"ketnap/internal/vn"
)

// breakdowns fills the section on the make-up of the admitted from the
// breakdowns service (service.Breakdowns): every breakdown with its share
// of the admitted, the villages with no member and no chapter, the high
// schools against their enrolment.
func (c *Conference) breakdowns(ctx context.Context, svc *service.Service, q service.ReportQuery) error {
	b, err := svc.Breakdowns(ctx, q)
	if err != nil {
		return err
	}
	b.DropResidence() // not printed
	c.Make = b
	share := func(n int) string {
		p, ok := progress.Percent(n, &b.Admitted)
		if !ok {
			return vn.Placeholder
		}
		return vn.Percent(p)
	}
	main := Block{}
	line := fmt.Sprintf("Trong %s đảng viên mới kết nạp", vn.Int(b.Admitted))
	if b.AverageAge != nil {
		line += fmt.Sprintf(", tuổi bình quân khi kết nạp %s", decimal(*b.AverageAge))
	}
	main.Paras = append(main.Paras, line+":")
	t := &Table{Headers: []string{"Tiêu chí", "Số lượng", "Tỷ lệ so với số kết nạp"}, Widths: []float64{100, 25, 35}, Align: "LRR"}
	for _, part := range b.Parts {
		if len(part.Parts) == 0 {
			continue
		}
		if part.Partition {
			t.Rows = append(t.Rows, []string{part.Title, "", ""})
			for _, x := range part.Parts {
				t.Rows = append(t.Rows, []string{"- " + x.Label, vn.Int(x.N), share(x.N)})
			}
			continue
		}
		for _, x := range part.Parts {
			label := x.Label
			if len(part.Parts) > 1 || label == "" {
				label = strings.TrimSpace(part.Title + ": " + x.Label)
			}
			t.Rows = append(t.Rows, []string{label, vn.Int(x.N), share(x.N)})
		}
	}
	main.Table = t
	blocks := []Block{main}
	if len(b.Weak) > 0 {
		names := make([]string, 0, len(b.Weak))
		for i, r := range b.Weak {
			if i == 30 {
				names = append(names, fmt.Sprintf("và %d nơi khác", len(b.Weak)-30))
				break
			}
			names = append(names, fmt.Sprintf("%s (%s)", r.Name, r.Commune))
		}
		blocks = append(blocks, Block{Paras: []string{fmt.Sprintf("Có %d thôn, buôn, tổ dân phố chưa có đảng viên và chưa có chi bộ: %s.",
			len(b.Weak), strings.Join(names, "; "))}})
	}
	if len(b.Schools) > 0 {
		st := &Table{Headers: []string{"Trường", "Số học sinh", "Đã kết nạp", "Tỷ lệ"}, Widths: []float64{90, 25, 25, 25}, Align: "LRRR"}
		for _, s := range b.Schools {
			students := vn.Placeholder
			if s.Students > 0 {
				students = vn.Int(s.Students)
			}
			st.Rows = append(st.Rows, []string{s.Name, students, vn.Int(s.Admitted), vn.PercentPtr(s.Percent)})
		}
		t := b.SchoolsTotal
		st.Total = []string{fmt.Sprintf("Tổng cộng (%d trường)", t.Schools), vn.Int(t.Students), vn.Int(t.Admitted), vn.PercentPtr(t.Percent)}
		blocks = append(blocks, Block{Paras: []string{fmt.Sprintf("Kết nạp học sinh trung học phổ thông so với số học sinh (năm học %d–%d):", b.SchoolYear, b.SchoolYear+1)}, Table: st})
	}
	c.Breakdowns = blocks
	return nil
}
