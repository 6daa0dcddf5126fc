package report

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/service"
	"ketnap/internal/testkit"
	"ketnap/internal/vn"
)

// The drafts of the demo's sections II and III name what the conference
// of 4 May 2024 discussed (seed/article): the pace against the quota, the
// units at zero, the villages, the high-school students, the sources not
// sent to a class, the overdue steps; the end of the third quarter; the
// units to push and the classes to open. Every figure is the data's.
func TestDemoDrafts(t *testing.T) {
	c := demoReport(t)
	idle, all := len(c.Make.VillageChaptersIdle()), len(c.Make.VillageChapters)
	st := c.Make.SchoolsTotal
	over, _ := c.todoTotals()
	for _, s := range []string{"1. Hạn chế\n", "\n2. Nguyên nhân\n", "57/246", "23,17 % chỉ tiêu", "20,73 % kế hoạch", "45,62 %",
		"Đảng bộ xã Vụ Bổn", "Đảng bộ xã Ea Hiu", "Đảng bộ xã Ea Uy (1/10, đạt 10,00 %)",
		fmt.Sprintf("%s/%s chi bộ thôn, buôn, tổ dân phố chưa kết nạp được đảng viên nào", vn.Int(idle), vn.Int(all)),
		fmt.Sprintf("%s/%s học sinh của %d trường (%s)", vn.Int(st.Admitted), vn.Int(st.Students), st.Schools, vn.PercentPtr(st.Percent)),
		"còn rất thấp", "Trường THPT Nguyễn Bỉnh Khiêm",
		fmt.Sprintf("%s quần chúng ưu tú ở %d chi bộ chưa được cử đi học quá 6 tháng", vn.Int(c.Classes.NotSent), len(c.Classes.ByChapter)),
		c.Classes.ByChapter[0].Name + " (" + c.Classes.ByChapter[0].Parent + "): " + vn.Int(c.Classes.ByChapter[0].Count) + " người",
		fmt.Sprintf("có %s việc đã quá hạn", vn.Int(over)), "thụ động"} {
		if !strings.Contains(c.Draft.Weaknesses, s) {
			t.Errorf("section II lacks %q:\n%s", s, c.Draft.Weaknesses)
		}
	}
	left := *c.Progress.Quota - c.Progress.Admitted
	for _, s := range []string{"đến ngày 30/09/2024 (hết quý III năm 2024)", fmt.Sprintf("còn phải kết nạp %s đảng viên", vn.Int(left)),
		"bình quân mỗi tháng " + vn.Decimal(*c.Progress.PaceNeeded) + " đảng viên", "Đảng bộ xã Vụ Bổn (chỉ tiêu 14)",
		"Đảng bộ xã Ea Uy (còn 9)", "lớp bồi dưỡng nhận thức về Đảng", "Trung tâm Chính trị huyện",
		fmt.Sprintf("%s quần chúng ưu tú chưa được cử đi học", vn.Int(c.Classes.NotSent)), "phấn đấu đạt kế hoạch 275 đảng viên",
		fmt.Sprintf("%s hồ sơ đã được chi bộ biểu quyết đề nghị", vn.Int(c.Progress.Pipeline)), "Đoàn Thanh niên Cộng sản Hồ Chí Minh"} {
		if !strings.Contains(c.Draft.Tasks, s) {
			t.Errorf("section III lacks %q:\n%s", s, c.Draft.Tasks)
		}
	}
	// the header: the committee above when the tree has one (the demo's
	// province above the district), the issuing committee, the signature
	if c.Draft.Issuer != "HUYỆN ỦY KRÔNG PẮC" || c.Draft.Number != "Số      -BC/HU" || c.Draft.Place != "Krông Pắc" ||
		c.Draft.SignFor != "T/M BAN THƯỜNG VỤ" || c.Draft.SignerTitle != "PHÓ BÍ THƯ" || c.Draft.Signer != "" ||
		(c.Draft.Parent != "" && c.Draft.Parent != "ĐẢNG BỘ TỈNH ĐẮK LẮK") {
		t.Errorf("header %+v", c.Draft)
	}
	// the whole document in formal Vietnamese, the article's units and figures in it
	var buf bytes.Buffer
	if err := WriteDocx(&buf, c.Document()); err != nil {
		t.Fatal(err)
	}
	text := docxText(t, buf.Bytes())
	for _, s := range []string{"được ai", "Chưa kết nạp được ai"} {
		if strings.Contains(text, s) {
			t.Errorf("colloquial %q in the report", s)
		}
	}
	for _, s := range []string{"Chi bộ Trường THPT Lê Hồng Phong (7/3, 233,33 %)", "Chi bộ Ban Dân vận Huyện ủy (1/1, 100,00 %)",
		"Chi bộ Trung tâm Phát triển quỹ đất huyện (1/1, 100,00 %)", "Đảng bộ xã Ea Yông", "60,00 %", "Tổng cộng (5 trường)",
		"Chưa kết nạp được đảng viên nào", "tuổi bình quân khi kết nạp " + vn.DecimalPtr(c.Make.AverageAge)} {
		if !strings.Contains(text, s) {
			t.Errorf("%q missing from the report", s)
		}
	}
}

// A unit whose data call for nothing gets drafts that say so, naming no
// village, school or class; a chapter's header is its own.
func TestDraftsFollowTheData(t *testing.T) {
	ctx := service.WithUser(context.Background(), service.System)
	st := testkit.OpenStore(t)
	svc := service.New(st, nil)
	for _, o := range []service.OrgInput{
		{Code: "x", Name: "Đảng bộ xã Ea Phê", Kind: domain.KindGrassroots},
		{Code: "x1", Name: "Chi bộ thôn 1", Kind: domain.KindChapter, ParentCode: "x"},
	} {
		o.Sector, o.ValidFrom = "commune", domain.Day(2000, 1, 1)
		if _, err := svc.CreateOrg(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	asof := domain.Day(2024, 5, 4)
	c, err := Build(ctx, svc, Options{ReportQuery: service.ReportQuery{OrgCode: "x", Year: 2024, AsOf: asof}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(c.Draft.Weaknesses, "chưa cho thấy hạn chế") || !strings.Contains(c.Draft.Weaknesses, "chưa cho thấy nguyên nhân") ||
		!strings.Contains(c.Draft.Tasks, "không đặt ra nhiệm vụ cụ thể") {
		t.Errorf("drafts of nothing:\n%s\n%s", c.Draft.Weaknesses, c.Draft.Tasks)
	}
	for _, s := range []string{"thôn, buôn", "học sinh", "lớp bồi dưỡng", "quá hạn", "quý"} {
		if strings.Contains(c.Draft.Weaknesses+c.Draft.Tasks, s) {
			t.Errorf("a draft of nothing speaks of %q", s)
		}
	}
	if c.Draft.Parent != "" || c.Draft.Issuer != "ĐẢNG ỦY XÃ EA PHÊ" || c.Draft.Number != "Số      -BC/ĐU" || c.Draft.SignFor != "T/M ĐẢNG ỦY" ||
		!strings.Contains(c.Draft.Recipients, "- Cấp ủy cấp trên (để báo cáo),") || !strings.Contains(c.Draft.Recipients, "- Lưu Văn phòng Đảng ủy.") {
		t.Errorf("a commune without a parent: %+v", c.Draft)
	}
	ch, err := Build(ctx, svc, Options{ReportQuery: service.ReportQuery{OrgCode: "x1", Year: 2024, AsOf: asof}, Number: "7", Signer: "Nguyễn Văn A"})
	if err != nil {
		t.Fatal(err)
	}
	if ch.Draft.Parent != "ĐẢNG BỘ XÃ EA PHÊ" || ch.Draft.Issuer != "CHI BỘ THÔN 1" || ch.Draft.Place != "Ea Phê" || ch.Draft.SignFor != "T/M CHI BỘ" ||
		!strings.Contains(ch.Draft.Recipients, "- Đảng ủy xã Ea Phê (để báo cáo),") || ch.Fields.Number != "Số 7-BC/CB" || ch.Fields.Signer != "Nguyễn Văn A" {
		t.Errorf("a chapter: draft %+v, fields %+v", ch.Draft, ch.Fields)
	}
	d := ch.Document()
	if d.DateLine != "Ea Phê, ngày 04 tháng 5 năm 2024" || d.Signer != "Nguyễn Văn A" || d.Number != "Số 7-BC/CB" {
		t.Errorf("the chapter's document: %q %q %q", d.DateLine, d.Signer, d.Number)
	}
}

func TestCommitteeNames(t *testing.T) {
	for name, want := range map[string][3]string{
		"Đảng bộ tỉnh Đắk Lắk":            {"TỈNH ỦY ĐẮK LẮK", "TU", "Đắk Lắk"},
		"Đảng bộ thành phố Buôn Ma Thuột": {"THÀNH ỦY BUÔN MA THUỘT", "TU", "Buôn Ma Thuột"},
		"Đảng bộ huyện Krông Pắc":         {"HUYỆN ỦY KRÔNG PẮC", "HU", "Krông Pắc"},
		"Đảng bộ thị xã Buôn Hồ":          {"THỊ ỦY BUÔN HỒ", "TU", "Buôn Hồ"},
		"Đảng bộ xã Ea Yông":              {"ĐẢNG ỦY XÃ EA YÔNG", "ĐU", "Ea Yông"},
		"Đảng bộ thị trấn Phước An":       {"ĐẢNG ỦY THỊ TRẤN PHƯỚC AN", "ĐU", "Phước An"},
		"Đảng bộ Công an huyện":           {"ĐẢNG ỦY CÔNG AN HUYỆN", "ĐU", ""},
		"Chi bộ Ban Dân vận Huyện ủy":     {"CHI BỘ BAN DÂN VẬN HUYỆN ỦY", "CB", ""},
	} {
		c := committeeOf(&domain.Org{Name: name})
		if c.Upper != want[0] || c.Suffix != want[1] || c.Place != want[2] {
			t.Errorf("%s: %+v", name, c)
		}
	}
	for given, want := range map[string]string{"": "Số      -BC/HU", "15": "Số 15-BC/HU", "Số 15-BC/HU": "Số 15-BC/HU", "Số: 7-BC/HU": "Số: 7-BC/HU"} {
		if got := numberLine(given, "HU"); got != want {
			t.Errorf("numberLine(%q) = %q", given, got)
		}
	}
	for d, want := range map[time.Time]string{domain.Day(2024, 9, 30): " (hết quý III năm 2024)", domain.Day(2024, 6, 30): " (hết quý II năm 2024)",
		domain.Day(2024, 12, 31): " (hết năm 2024)", domain.Day(2024, 9, 15): "", domain.Day(2024, 8, 31): ""} {
		if got := quarterOf(d); got != want {
			t.Errorf("quarterOf(%s) = %q", vn.Date(d), got)
		}
	}
}

// Sub-headings of an edited section start their own block; other lines
// are paragraphs.
func TestTextBlocks(t *testing.T) {
	b := textBlocks("II. HẠN CHẾ, NGUYÊN NHÂN", "Mở đầu.\n1. Hạn chế\n- Một.\n\n- Hai;\n2) Nguyên nhân\n3. Câu dài có dấu chấm.")
	if len(b) != 3 || b[0].Heading != "II. HẠN CHẾ, NGUYÊN NHÂN" || len(b[0].Paras) != 1 || b[1].Heading != "1. Hạn chế" || !b[1].Sub ||
		len(b[1].Paras) != 2 || b[2].Heading != "2) Nguyên nhân" || len(b[2].Paras) != 1 || b[2].Paras[0] != "3. Câu dài có dấu chấm." {
		t.Errorf("%+v", b)
	}
}
