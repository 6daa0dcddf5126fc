package pdf

import (
	"bytes"
	"strings"
	"testing"
)

func TestReportVietnamese(t *testing.T) {
	r := Report{Parent: "ĐẢNG BỘ HUYỆN KRÔNG PẮC", Issuer: "BAN THƯỜNG VỤ", Number: "Số: 12-BC/HU",
		DateLine: "Krông Pắc, ngày 04 tháng 5 năm 2024", Title: "BÁO CÁO", Subtitle: "Kết quả công tác phát triển đảng viên",
		Sections: []Section{{Heading: "I. KẾT QUẢ CHUNG", Paras: []string{"Đã kết nạp 57/246 " + allLetters},
			Table: &Table{Columns: []Column{{"Đơn vị", 120, Left}, {"% chỉ tiêu", 40, Right}}, Rows: [][]string{{"Chi bộ buôn Ea Yông A", "23,17 %"}}}}},
		Recipients: []string{"Nơi nhận:", "- Lưu."}, SignFor: "T/M BAN THƯỜNG VỤ", SignerTitle: "PHÓ BÍ THƯ", Signer: "Nguyễn Văn A"}
	var buf bytes.Buffer
	if err := WriteReport(&buf, r); err != nil {
		t.Fatal(err)
	}
	text, glyphs := pdfText(t, buf.Bytes())
	checkLetters(t, text, glyphs, allLetters)
	for _, s := range []string{"ĐẢNG CỘNG SẢN VIỆT NAM", "ĐẢNG BỘ HUYỆN KRÔNG PẮC", "Krông Pắc, ngày 04 tháng 5 năm 2024", "23,17 %", "Trang 1/1", "T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "Nguyễn Văn A"} {
		if !strings.Contains(text, s) {
			t.Errorf("%q missing from\n%s", s, text)
		}
	}
	plain, err := Text(buf.Bytes())
	if err != nil || plain != text {
		t.Errorf("Text differs from the test's reading (err %v)", err)
	}
	keep(t, "report.pdf", buf.Bytes())
}

// A header too long for its column shrinks, then widens its column from
// the widest one, rather than breaking a word; the rows follow the new
// widths and the total row is drawn.
func TestTableHeaderWordsWhole(t *testing.T) {
	r := Report{Issuer: "CHI BỘ THÔN 1", Number: "Số 1-BC/CB", DateLine: "ngày 04 tháng 5 năm 2024", Title: "BÁO CÁO",
		Sections: []Section{{Heading: "1. Bảng", Table: &Table{
			Columns: []Column{{"Đơn vị", 120, Left}, {"Kế hoạch", 9, Right}, {"Chuyển sinh hoạt", 6, Right}, {"STT", 25, Right}},
			Rows:    [][]string{{"Chi bộ thôn 1", "3", "1", "1"}}, Total: []string{"Tổng cộng", "3", "1", ""}}}}}
	var buf bytes.Buffer
	if err := WriteReport(&buf, r); err != nil {
		t.Fatal(err)
	}
	text, err := Text(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(text, "\n")
	for _, w := range []string{"Kế", "hoạch", "Chuyển", "sinh", "hoạt", "Tổng cộng"} {
		found := false
		for _, l := range lines {
			for _, f := range strings.Fields(l) {
				found = found || f == w
			}
			found = found || l == w
		}
		if !found {
			t.Errorf("%q not drawn whole in\n%s", w, text)
		}
	}
	for _, l := range lines {
		if l == "h" || l == "hoạc" || l == "Chuy" || l == "ển" {
			t.Errorf("a word broken: %q", l)
		}
	}
}
