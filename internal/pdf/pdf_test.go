package pdf

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// vietnamese holds every letter with a stacked or combined mark that a
// font without full Vietnamese coverage gets wrong (go-stack.md, "Font").
const vietnamese = "ắằẳẵặ ấầẩẫậ ếềểễệ ốồổỗộ ớờởỡợ ứừửữự ỳýỷỹỵ Đđ"

// allLetters is the test string plus the upper-case forms.
var allLetters = vietnamese + " " + strings.ToUpper(vietnamese)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func sampleCertificate(size string) Certificate {
	until := day(2029, 1, 30)
	return Certificate{Size: size, Parent: "Đảng bộ huyện Krông Pắc", Issuer: "Trung tâm Chính trị huyện Krông Pắc",
		Number: "NT-2024-0001", Place: "Krông Pắc", Issued: day(2024, 1, 30), Name: "Lương Thị Ánh " + vietnamese,
		BirthDate: day(2002, 3, 14), Unit: "Chi bộ Trường THPT Lê Hồng Phong " + strings.ToUpper(vietnamese),
		Programme: "Bồi dưỡng nhận thức về Đảng", Class: "Lớp bồi dưỡng nhận thức về Đảng khóa I năm 2024 " + vietnamese,
		From: day(2024, 1, 15), To: day(2024, 1, 18), Venue: "Hội trường Trung tâm Chính trị huyện", Grade: "Khá", Mean: "7,5",
		ValidUntil: &until, Form: "Mẫu 6.1 (QĐ1147)", Signer: "GIÁM ĐỐC"}
}

func sampleRoster(rows int) Roster {
	r := Roster{Size: A4, Parent: "Đảng bộ huyện Krông Pắc", Issuer: "Trung tâm Chính trị huyện Krông Pắc",
		Title: "DANH SÁCH HỌC VIÊN", Lines: []string{"Lớp bồi dưỡng nhận thức về Đảng khóa I năm 2024", "Từ ngày 15/01/2024 đến ngày 18/01/2024"},
		Place: "Krông Pắc", Date: day(2024, 5, 4), Signer: "GIÁM ĐỐC", Note: "Ghi chú: " + allLetters,
		Table: Table{Columns: []Column{{"STT", 10, Right}, {"Họ và tên", 55, Left}, {"Ngày sinh", 22, Center}, {"Đơn vị", 50, Left}, {"Kết quả", 45, Left}}}}
	for i := range rows {
		r.Table.Rows = append(r.Table.Rows, []string{fmt.Sprint(i + 1), "Nguyễn Thị Ánh Tuyết " + vietnamese,
			"14/03/2002", "Chi bộ buôn Ea Yông A, Đảng bộ xã Ea Yông " + strings.ToUpper(vietnamese), "Đạt — Xuất sắc (9,25)"})
	}
	return r
}

// pdfText returns the text of a document this package wrote (Text, the
// reader the other packages' tests use too) and the code points its
// embedded fonts map to a glyph, read from their CIDToGIDMap streams: a
// letter in the text without a glyph would print as a box.
func pdfText(t *testing.T, doc []byte) (text string, glyphs map[rune]bool) {
	t.Helper()
	text, err := Text(doc)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(doc, []byte("/ToUnicode")) || !bytes.Contains(doc, []byte("/FontFile2")) {
		t.Error("the font is not embedded with a ToUnicode map")
	}
	glyphs = map[rune]bool{}
	for _, m := range streamRE.FindAllSubmatchIndex(doc, -1) {
		if !strings.Contains(string(doc[m[2]:m[3]]), "FlateDecode") {
			continue
		}
		end := bytes.Index(doc[m[1]:], []byte("endstream"))
		if end < 0 {
			t.Fatal("stream without endstream")
		}
		zr, err := zlib.NewReader(bytes.NewReader(doc[m[1] : m[1]+end]))
		if err != nil {
			continue // a font program or an image
		}
		data, err := io.ReadAll(zr)
		if err != nil {
			t.Fatalf("inflate: %v", err)
		}
		if len(data) != 256*256*2 { // not a CIDToGIDMap
			continue
		}
		for cc := 0; cc < 65536; cc++ {
			if data[2*cc] != 0 || data[2*cc+1] != 0 {
				glyphs[rune(cc)] = true
			}
		}
	}
	return text, glyphs
}

// checkLetters fails unless every letter of want is in the text and has a glyph.
func checkLetters(t *testing.T, text string, glyphs map[rune]bool, want string) {
	t.Helper()
	for _, r := range want {
		if r == ' ' {
			continue
		}
		if !strings.ContainsRune(text, r) {
			t.Errorf("letter %q (U+%04X) is missing from the text", r, r)
		}
		if !glyphs[r] {
			t.Errorf("letter %q (U+%04X) has no glyph in the embedded font", r, r)
		}
	}
}

func TestCertificateVietnamese(t *testing.T) {
	for _, size := range []string{A5, A4} {
		var buf bytes.Buffer
		if err := WriteCertificate(&buf, sampleCertificate(size)); err != nil {
			t.Fatal(err)
		}
		text, glyphs := pdfText(t, buf.Bytes())
		checkLetters(t, text, glyphs, allLetters)
		for _, s := range []string{"GIẤY CHỨNG NHẬN", "ĐẢNG CỘNG SẢN VIỆT NAM", "Krông Pắc, ngày 30 tháng 01 năm 2024",
			"LƯƠNG THỊ ÁNH", "NT-2024-0001", "30/01/2029", "Khá"} {
			if !strings.Contains(text, s) {
				t.Errorf("%s certificate: %q missing from\n%s", size, s, text)
			}
		}
		if n := bytes.Count(buf.Bytes(), []byte("/Type /Page\n")); n != 1 {
			t.Errorf("%s certificate has %d pages", size, n)
		}
		if size == A5 && !bytes.Contains(buf.Bytes(), []byte("/MediaBox [0 0 595.28 420.94]")) {
			t.Error("the A5 certificate is not A5 landscape")
		}
		keep(t, "certificate-"+size+".pdf", buf.Bytes())
	}
	if err := WriteCertificate(io.Discard, Certificate{Size: "Letter"}); err == nil {
		t.Error("a Letter-size certificate was written")
	}
}

func TestRosterVietnamese(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteRoster(&buf, sampleRoster(60)); err != nil {
		t.Fatal(err)
	}
	text, glyphs := pdfText(t, buf.Bytes())
	checkLetters(t, text, glyphs, allLetters)
	pages := bytes.Count(buf.Bytes(), []byte("/Type /Page\n"))
	if pages < 3 {
		t.Errorf("60 wrapped rows fit on %d pages", pages)
	}
	for _, s := range []string{"DANH SÁCH HỌC VIÊN", "Họ và tên", fmt.Sprintf("Trang %d/%d", pages, pages), "Đạt — Xuất sắc (9,25)", "\n60\n"} {
		if !strings.Contains(text, s) {
			t.Errorf("roster: %q missing", s)
		}
	}
	if c := strings.Count(text, "Họ và tên"); c != pages {
		t.Errorf("the table header is on %d of %d pages", c, pages)
	}
	keep(t, "roster.pdf", buf.Bytes())
	// When poppler's pdftotext is installed, it must read the same letters.
	if _, err := exec.LookPath("pdftotext"); err == nil {
		dir := t.TempDir()
		in := filepath.Join(dir, "r.pdf")
		os.WriteFile(in, buf.Bytes(), 0o644)
		out, err := exec.Command("pdftotext", "-enc", "UTF-8", in, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range allLetters {
			if r != ' ' && !strings.ContainsRune(string(out), r) {
				t.Errorf("pdftotext lost %q", r)
			}
		}
	}
}

// keep writes a document to $KETNAP_KEEP_PDF (a directory) for a person to look at.
func keep(t *testing.T, name string, b []byte) {
	if dir := os.Getenv("KETNAP_KEEP_PDF"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Error(err)
		}
	}
}
