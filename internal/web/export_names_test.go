package web_test

import (
	"net/http"
	"testing"
)

// Every download is named in Vietnamese without diacritics, subject first
// (issue 14), at its unchanged address.
func TestDownloadNames(t *testing.T) {
	e := newEnv(t)
	e.tree()
	c := e.client()
	c.login("admin")
	for path, want := range map[string]string{
		"/bao-cao/hoi-nghi.docx?org=kp&year=2024&asof=2024-05-04": "bao-cao-hoi-nghi-kp-2024.docx",
		"/bao-cao/hoi-nghi.pdf?org=kp&year=2024&asof=2024-05-04":  "bao-cao-hoi-nghi-kp-2024.pdf",
		"/bao-cao/hoi-nghi.xlsx?org=kp&year=2024&asof=2024-05-04": "bao-cao-hoi-nghi-kp-2024.xlsx",
		"/tien-do.xlsx?org=kp&year=2024&asof=2024-05-04":          "tien-do-kp-2024.xlsx",
		"/chi-tieu.xlsx?org=kp&year=2024":                         "chi-tieu-kp-2024.xlsx",
		"/phan-tich.xlsx?org=kp&year=2024&asof=2024-05-04":        "phan-tich-kp-2024.xlsx",
		"/nguoi.xlsx?org=kp-a":                                    "danh-sach-kp-a.xlsx",
		"/nhap/xuat/orgs.xlsx":                                    "to-chuc.xlsx",
		"/nhap/xuat/orgs.xlsx?org=kp":                             "to-chuc-kp.xlsx",
		"/nhap/xuat/targets.xlsx?year=2024":                       "chi-tieu-2024.xlsx",
		"/nhap/mau/candidates.xlsx":                               "mau-nhap-quan-chung.xlsx",
		"/nhap/mau/orgs.xlsx":                                     "mau-nhap-to-chuc.xlsx",
	} {
		p := c.get(path)
		wantStatus(t, p, http.StatusOK)
		if got := p.header.Get("Content-Disposition"); got != `attachment; filename="`+want+`"` {
			t.Errorf("%s: Content-Disposition %q, want %s", path, got, want)
		}
	}
}
