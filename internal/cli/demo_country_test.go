package cli

import (
	"strings"
	"testing"

	"ketnap/internal/testkit"
)

// demo --country builds the country and prints what it built; a second
// run finds it there; a database holding the district refuses it.
func TestDemoCountry(t *testing.T) {
	db := testkit.DSN(t)
	code, out, errOut := runCLI(t, "", "demo", "--country", "--scale", "0.001", "--db", db)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"tỉ lệ 0,001", "tính đến ngày 30/11/2026", "gồm 34 đảng bộ tỉnh, thành phố", "Đảng viên dự bị:", "Thời gian:"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errOut, "100 % Xong") {
		t.Errorf("no finished progress bar on stderr: %q", errOut)
	}
	code, out, _ = runCLI(t, "", "report", "progress", "--year", "2026", "--asof", "2026-11-30", "--org", "hue", "--db", db)
	if code != 0 || !strings.Contains(out, "Đảng bộ thành phố Huế") {
		t.Errorf("progress of Huế: exit %d\n%s", code, out)
	}
	code, out, _ = runCLI(t, "", "demo", "--country", "--db", db)
	if code != 0 || !strings.Contains(out, "đã có dữ liệu mẫu cả nước") {
		t.Errorf("second load: exit %d: %s", code, out)
	}
	code, _, errOut = runCLI(t, "", "demo", "--country", "--db", demoDB(t))
	if code != 1 || !strings.Contains(errOut, "Đảng bộ tỉnh Đắk Lắk") { // the district's province, its top unit
		t.Errorf("into the district: exit %d: %s", code, errOut)
	}
}

func TestDemoCountryUsage(t *testing.T) {
	for _, args := range [][]string{
		{"demo", "--country", "--scale", "0"},
		{"demo", "--country", "--scale", "1.5"},
		{"demo", "--scale", "0.5"},
	} {
		if code, _, errOut := runCLI(t, "", append(args, "--db", t.TempDir()+"/x.db")...); code != 2 || errOut == "" {
			t.Errorf("%v: exit %d, %q", args, code, errOut)
		}
	}
}
