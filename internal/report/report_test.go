package report

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/xuri/excelize/v2"

	"ketnap/internal/domain"
	"ketnap/internal/pdf"
	"ketnap/internal/service"
	"ketnap/internal/testkit/demodb"
)

var (
	demoOnce sync.Once
	demoConf *Conference
	demoErr  error
)

// demoReport builds the demo district's conference report as of 4 May 2024, once.
func demoReport(t *testing.T) *Conference {
	t.Helper()
	demoOnce.Do(func() {
		ctx := service.WithUser(context.Background(), service.System)
		st := demodb.Open(t) // SQLite, or PostgreSQL when KETNAP_TEST_POSTGRES says so
		svc := service.New(st, nil)
		demoConf, demoErr = Build(ctx, svc, Options{ReportQuery: service.ReportQuery{OrgCode: "krongpac", Year: 2024, AsOf: domain.Day(2024, 5, 4)}})
	})
	if demoErr != nil {
		t.Fatal(demoErr)
	}
	return demoConf
}

// docxText unzips a .docx, checks its package and returns the text of
// word/document.xml (each w:t's text, one a line).
func docxText(t *testing.T, b []byte) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	parts := map[string][]byte{}
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		parts[f.Name], _ = io.ReadAll(r)
		r.Close()
	}
	for _, p := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml"} {
		if parts[p] == nil {
			t.Errorf("%s missing from the package", p)
		}
	}
	if z.File[0].Name != "[Content_Types].xml" {
		t.Errorf("the first part is %s", z.File[0].Name)
	}
	var out strings.Builder
	dec := xml.NewDecoder(bytes.NewReader(parts["word/document.xml"]))
	inText := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("word/document.xml is not well-formed XML: %v", err)
		}
		switch x := tok.(type) {
		case xml.StartElement:
			inText = x.Name.Local == "t"
		case xml.EndElement:
			if x.Name.Local == "t" {
				out.WriteByte('\n')
			}
			inText = false
		case xml.CharData:
			if inText {
				out.Write(x)
			}
		}
	}
	// a percent is kept to its sign by a no-break space
	return strings.ReplaceAll(out.String(), "\u00a0", " ")
}

var wantDemo = []string{"ĐẢNG CỘNG SẢN VIỆT NAM", "HUYỆN ỦY KRÔNG PẮC", "Số      -BC/HU",
	"Krông Pắc, ngày 04 tháng 5 năm 2024", "BÁO CÁO", "Kết quả công tác phát triển đảng viên năm 2024",
	"I. KẾT QUẢ", "1. Kết quả chung", "57/246", "23,17 %", "20,73 %", "Lê Hồng Phong", "Ban Dân vận", "quỹ đất", "Ea Yông", "Vụ Bổn",
	"Bồi dưỡng nhận thức về Đảng", "Các thời hạn cần chú ý", "Cơ cấu đảng viên mới kết nạp", "Dân tộc thiểu số", "30/09/2024",
	"II. HẠN CHẾ, NGUYÊN NHÂN", "III. NHIỆM VỤ, GIẢI PHÁP", "T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "Nơi nhận:"}

func TestConferenceDocx(t *testing.T) {
	c := demoReport(t)
	var buf bytes.Buffer
	if err := WriteDocx(&buf, c.Document()); err != nil {
		t.Fatal(err)
	}
	text := docxText(t, buf.Bytes())
	for _, s := range wantDemo {
		if !strings.Contains(text, s) {
			t.Errorf("%q missing from the Word document", s)
		}
	}
	z, _ := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	want := map[string][]string{
		"word/document.xml": {`<w:pgSz w:w="11906" w:h="16838"/>`},               // A4
		"word/styles.xml":   {`w:ascii="Times New Roman"`, `<w:sz w:val="28"/>`}, // Times New Roman 14 pt
	}
	for _, f := range z.File {
		r, _ := f.Open()
		b, _ := io.ReadAll(r)
		r.Close()
		for _, s := range want[f.Name] {
			if !bytes.Contains(b, []byte(s)) {
				t.Errorf("%s: %s missing", f.Name, s)
			}
		}
	}
	keep(t, "conference.docx", buf.Bytes())
}

func TestDocxEscapes(t *testing.T) {
	d := &Document{Parent: "ĐẢNG BỘ A & B", Issuer: "<BAN>", Number: "Số: 1-BC/HU", DateLine: "x", Title: "BÁO CÁO",
		Blocks: []Block{{Heading: "I. <script>", Paras: []string{`Chi bộ "A&B" <1> ]]>`},
			Table: &Table{Headers: []string{"Đơn vị", "%"}, Rows: [][]string{{"Tổ 1 & 2 <mới>", "1 > 0"}}}}}}
	var buf bytes.Buffer
	if err := WriteDocx(&buf, d); err != nil {
		t.Fatal(err)
	}
	text := docxText(t, buf.Bytes())
	for _, s := range []string{"ĐẢNG BỘ A & B", "<BAN>", `Chi bộ "A&B" <1> ]]>`, "Tổ 1 & 2 <mới>", "1 > 0", "I. <script>"} {
		if !strings.Contains(text, s) {
			t.Errorf("%q did not come back from the XML", s)
		}
	}
}

func TestConferencePDF(t *testing.T) {
	c := demoReport(t)
	var buf bytes.Buffer
	if err := WritePDF(&buf, c.Document()); err != nil {
		t.Fatal(err)
	}
	text, err := pdf.Text(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	flat := strings.ReplaceAll(text, "\n", " ")
	for _, s := range wantDemo {
		if s == "-BC/HU" {
			continue
		}
		if !strings.Contains(text, s) && !strings.Contains(flat, s) {
			t.Errorf("%q missing from the PDF", s)
		}
	}
	keep(t, "conference.pdf", buf.Bytes())
}

func TestConferenceXLSX(t *testing.T) {
	c := demoReport(t)
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, c); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Tổng hợp")
	if err != nil {
		t.Fatal(err)
	}
	all := ""
	for _, r := range rows {
		all += strings.Join(r, "|") + "\n"
	}
	for _, s := range []string{"57/246", "Đã kết nạp|57", "Chỉ tiêu|246", "Kế hoạch|275", "% chỉ tiêu|23.17", "% kế hoạch|20.73"} {
		if !strings.Contains(all, s) {
			t.Errorf("%q missing from the summary:\n%s", s, all)
		}
	}
	units, err := f.GetRows(UnitsSheetName)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range units {
		if len(r) > 6 && strings.Contains(r[1], "Lê Hồng Phong") {
			found = r[3] == "7" && r[4] == "3" && r[6] == "233.33"
		}
	}
	if !found {
		t.Errorf("Lê Hồng Phong's row 7, 3, 233.33 missing from\n%v", units[:5])
	}
	mk, err := f.GetRows("Cơ cấu")
	if err != nil || len(mk) < 5 {
		t.Errorf("the breakdowns sheet: %v, %d rows", err, len(mk))
	}
	charts := 0
	z, _ := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	for _, zf := range z.File {
		if strings.HasPrefix(zf.Name, "xl/charts/chart") {
			charts++
			r, _ := zf.Open()
			b, _ := io.ReadAll(r)
			r.Close()
			if !bytes.Contains(b, []byte("barChart")) {
				t.Error("the chart is not a bar chart")
			}
		}
	}
	if charts != 1 {
		t.Errorf("%d charts, want 1", charts)
	}
	h, _ := f.GetRowHeight(UnitsSheetName, HeaderRow(UnitsSheet("", 0, c.AsOf, nil))+1)
	if h < 18 {
		t.Errorf("data rows are %v pt, too short for stacked diacritics", h)
	}
	keep(t, "conference.xlsx", buf.Bytes())
}
