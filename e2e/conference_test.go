package e2e

import (
	"archive/zip"
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"ketnap/internal/pdf"
)

// getFile fetches a path with a signed-in client and returns the status,
// the Content-Type and the body.
func getFile(t *testing.T, c *http.Client, path string) (int, string, []byte) {
	t.Helper()
	resp, err := c.Get(app.base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), b
}

// The acceptance of the conference report: the demo as of 4 May 2024,
// through the dashboard's link and the API, as Word, PDF and Excel.
func TestConferenceReportOfTheDemo(t *testing.T) {
	c := login(t, organizer)
	want := []string{"ĐẢNG CỘNG SẢN VIỆT NAM", "57/246", "23,17", "20,73", "Lê Hồng Phong", "Ban Dân vận", "quỹ đất", "Ea Yông",
		"Krông Pắc, ngày 04 tháng 5 năm 2024", "Dự kiến đến hạn kết nạp được 139 đảng viên",
		"cộng số hồ sơ đã được chi bộ biểu quyết đề nghị kết nạp nhưng chưa có quyết định kết nạp tính đến ngày 04/05/2024 (14)."}
	st, ct, b := getFile(t, c, "/bao-cao/hoi-nghi.docx?org=krongpac&year=2024&asof=2024-05-04")
	if st != 200 || !strings.Contains(ct, "wordprocessingml") {
		t.Fatalf("docx: %d %s", st, ct)
	}
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var doc []byte
	for _, f := range z.File {
		if f.Name == "word/document.xml" {
			r, _ := f.Open()
			doc, _ = io.ReadAll(r)
			r.Close()
		}
	}
	for _, s := range want {
		if !bytes.Contains(doc, []byte(s)) {
			t.Errorf("docx: %q missing", s)
		}
	}
	st, _, b = getFile(t, c, "/api/v1/reports/conference?org=krongpac&year=2024&asof=2024-05-04&format=pdf")
	if st != 200 {
		t.Fatalf("pdf: %d %s", st, b)
	}
	text, err := pdf.Text(b)
	if err != nil {
		t.Fatal(err)
	}
	flat := strings.ReplaceAll(text, "\n", " ")
	for _, s := range want {
		if !strings.Contains(flat, s) {
			t.Errorf("pdf: %q missing", s)
		}
	}
	st, _, b = getFile(t, c, "/api/v1/reports/conference?org=krongpac&year=2024&asof=2024-05-04&format=xlsx")
	if st != 200 {
		t.Fatalf("xlsx: %d", st)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if v, _ := f.GetCellValue("Tổng hợp", "B8"); v != "57/246" {
		t.Errorf("xlsx: B8 %q", v)
	}
	if st, _, _ := getFile(t, c, "/api/v1/reports/conference?org=krongpac&format=odt"); st != 422 && st != 400 {
		t.Errorf("format odt: %d", st)
	}
}
