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
