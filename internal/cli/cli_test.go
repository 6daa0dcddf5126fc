package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"ketnap/internal/service"
	"ketnap/internal/store"
	"ketnap/internal/testkit/demodb"
)

// runCLI runs a command with stdin and returns its status and streams.
func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(Env{Ctx: context.Background(), Args: args, Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb,
		Getenv: func(string) string { return "" }})
	return code, out.String(), errb.String()
}

// demoDB returns a fresh copy of a database holding the demo district,
// loaded once for every package of the run (demodb; SQLite, or PostgreSQL
// with KETNAP_TEST_POSTGRES).
func demoDB(t *testing.T) string {
	t.Helper()
	return demodb.DSN(t)
}

func TestDemoTwiceSaysSo(t *testing.T) {
	db := demoDB(t)
	code, out, _ := runCLI(t, "", "demo", "--db", db)
	if code != 0 || !strings.Contains(out, "đã có dữ liệu mẫu") {
		t.Errorf("second demo: %d %q, want 0 and a note that it is already there", code, out)
	}
}

func TestUserAdd(t *testing.T) {
	db := demoDB(t)
	cases := []struct {
		name   string
		stdin  string
		args   []string
		code   int
		stderr string
	}{
		{"ok", "mat-khau-dai\n", []string{"--username", "bt.eayong", "--role", "secretary", "--org", "krongpac-eayong"}, 0, ""},
		{"duplicate", "mat-khau-dai\n", []string{"--username", "bt.eayong", "--role", "viewer", "--org", "krongpac"}, 1, "đã có người dùng"},
		{"no password", "", []string{"--username", "a.b", "--role", "viewer", "--org", "krongpac"}, 1, "Chưa nhập mật khẩu"},
		{"short password", "ngan\n", []string{"--username", "a.b", "--role", "viewer", "--org", "krongpac"}, 1, "ít nhất 10 ký tự"},
		{"common password", "matkhau123\n", []string{"--username", "a.b", "--role", "viewer", "--org", "krongpac"}, 1, "quá dễ đoán"},
		{"name and year", "NguyenVanAn1990\n", []string{"--username", "a.b", "--role", "viewer", "--org", "krongpac"}, 1, "họ tên thêm chữ số"},
		{"bad role", "mat-khau-dai\n", []string{"--username", "a.b", "--role", "boss", "--org", "krongpac"}, 1, "Vai trò \"boss\" không hợp lệ"},
		{"no org", "mat-khau-dai\n", []string{"--username", "a.b", "--role", "secretary"}, 1, "phải gắn với một tổ chức"},
		{"unknown org", "mat-khau-dai\n", []string{"--username", "a.b", "--role", "viewer", "--org", "khong-co"}, 1, "Không tìm thấy tổ chức khong-co"},
		{"bad username", "mat-khau-dai\n", []string{"--username", "Ông A", "--role", "viewer", "--org", "krongpac"}, 1, "Tên đăng nhập"},
		{"missing flags", "mat-khau-dai\n", []string{"--role", "viewer"}, 2, "Cần --username"},
	}
	for _, c := range cases {
		args := append([]string{"user", "add", "--db", db}, c.args...)
		code, _, errs := runCLI(t, c.stdin, args...)
		if code != c.code || !strings.Contains(errs, c.stderr) {
			t.Errorf("%s: exit %d, stderr %q; want %d and %q", c.name, code, errs, c.code, c.stderr)
		}
	}
	// The user exists once, bound to the commune, and can sign in with the password.
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	svc := service.New(st, nil)
	u, err := svc.Login(context.Background(), "bt.eayong", "mat-khau-dai")
	if err != nil || u.Role != "secretary" || u.OrgID == 0 {
		t.Errorf("login of the new user: %+v, %v", u, err)
	}
}

func TestReportProgress(t *testing.T) {
	db := demoDB(t)
	// --org omitted: the topmost unit, the province the district belonged
	// to (and which took over from it on 1/7/2025), with the district's figures
	code, out, errs := runCLI(t, "", "report", "progress", "--db", db, "--year", "2024", "--asof", "2024-05-04", "--format", "table")
	if code != 0 {
		t.Fatalf("table: %d %s", code, errs)
	}
	if !strings.HasPrefix(out, "Đảng bộ tỉnh Đắk Lắk — năm 2024, tính đến ngày 04/05/2024\nKết nạp 57/246 — đạt 23,17 % chỉ tiêu, 20,73 % kế hoạch") {
		t.Errorf("the default unit's table:\n%s", out)
	}
	code, out, errs = runCLI(t, "", "report", "progress", "--db", db, "--org", "krongpac", "--year", "2024", "--asof", "2024-05-04", "--format", "table")
	if code != 0 {
		t.Fatalf("table: %d %s", code, errs)
	}
	for _, want := range []string{"Đảng bộ huyện Krông Pắc", "Kết nạp 57/246 — đạt 23,17 % chỉ tiêu, 20,73 % kế hoạch", "233,33 %", "30/09/2024", "Chưa kết nạp được đảng viên nào"} {
		if !strings.Contains(out, want) {
			t.Errorf("the table lacks %q:\n%s", want, out)
		}
	}
	// Lê Hồng Phong (233,33 %) is ranked above Ea Yông (60 %).
	if strings.Index(out, "Lê Hồng Phong") > strings.Index(out, "Ea Yông") {
		t.Errorf("children are not ranked by percent")
	}
	failures := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"--year", "2024", "--org", "khong-co"}, 1, "Không tìm thấy tổ chức khong-co"},
		{[]string{"--year", "2024", "--asof", "04/05/2024"}, 1, "asof không hợp lệ"},
		{[]string{"--year", "2024", "--asof", "1989-01-01"}, 1, "chưa thành lập"},
		{[]string{"--asof", "2024-05-04"}, 2, "Cần --year"},
		{[]string{"--year", "2024", "--format", "xml"}, 2, "--format"},
		{[]string{"--year", "abc"}, 2, ""},
	}
	for _, f := range failures {
		args := append([]string{"report", "progress", "--db", db}, f.args...)
		code, _, errs := runCLI(t, "", args...)
		if code != f.code || !strings.Contains(errs, f.msg) {
			t.Errorf("%v: exit %d %q, want %d and %q", f.args, code, errs, f.code, f.msg)
		}
	}
}

func TestUsage(t *testing.T) {
	if code, _, errs := runCLI(t, ""); code != 2 || !strings.Contains(errs, "Cách dùng") {
		t.Errorf("no command: %d %q", code, errs)
	}
	if code, _, errs := runCLI(t, "", "bogus"); code != 2 || !strings.Contains(errs, "Lệnh không hợp lệ") {
		t.Errorf("unknown command: %d %q", code, errs)
	}
	if code, _, _ := runCLI(t, "", "token"); code != 2 {
		t.Errorf("token without create: %d", code)
	}
}

func TestTokenCreate(t *testing.T) {
	db := demoDB(t)
	if code, _, errs := runCLI(t, "mat-khau-dai\n", "user", "add", "--db", db, "--username", "script", "--role", "viewer", "--org", "krongpac"); code != 0 {
		t.Fatal(errs)
	}
	code, out, errs := runCLI(t, "", "token", "create", "--db", db, "--username", "script")
	if code != 0 || !strings.HasPrefix(out, "ktn_") {
		t.Fatalf("token create: %d %q %q", code, out, errs)
	}
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	_, u, err := service.New(st, nil).UserByToken(context.Background(), strings.TrimSpace(out))
	if err != nil || u.Username != "script" {
		t.Errorf("the printed token does not identify the user: %v %v", u, err)
	}
	if code, _, errs := runCLI(t, "", "token", "create", "--db", db, "--username", "nobody"); code != 1 || !strings.Contains(errs, "Không tìm thấy người dùng") {
		t.Errorf("unknown user: %d %q", code, errs)
	}
}
