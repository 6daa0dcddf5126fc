package cli

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"ketnap/internal/domain"
	"ketnap/internal/service"
	"ketnap/internal/store"
)

// Issue 13: user list|disable|enable|passwd and token list|revoke (CONTRACT
// "Commands"): Vietnamese output, exit 0 / 1 / 2.
func TestUserAndTokenCommands(t *testing.T) {
	db := demoDB(t)
	if code, _, errs := runCLI(t, "một câu thật dài\n", "user", "add", "--db", db, "--username", "bt.vubon", "--role", "secretary", "--org", "krongpac-vubon", "--name", "Hoàng Thị Mai"); code != 0 {
		t.Fatal(errs)
	}
	code, out, errs := runCLI(t, "", "user", "list", "--db", db)
	if code != 0 {
		t.Fatalf("user list: %d %s", code, errs)
	}
	line := lineWith(out, "bt.vubon")
	for _, want := range []string{"Hoàng Thị Mai", "Bí thư chi bộ", "(krongpac-vubon)", "Đang hoạt động"} {
		if !strings.Contains(line, want) {
			t.Errorf("user list line %q lacks %q", line, want)
		}
	}
	if !strings.Contains(out, "Tổng cộng") {
		t.Errorf("user list: %s", out)
	}

	code, tok, errs := runCLI(t, "", "token", "create", "--db", db, "--username", "bt.vubon", "--name", "bao-cao", "--days", "30")
	if code != 0 || !strings.HasPrefix(tok, "ktn_") || !strings.Contains(errs, "hết hạn lúc") {
		t.Fatalf("token create: %d %q %q", code, tok, errs)
	}
	tok = strings.TrimSpace(tok)
	id := regexp.MustCompile(`số (\d+)`).FindStringSubmatch(errs)[1]
	code, out, _ = runCLI(t, "", "token", "list", "--db", db, "--username", "bt.vubon")
	if code != 0 || !strings.Contains(lineWith(out, "bao-cao"), "Đang dùng") || !strings.Contains(lineWith(out, "bao-cao"), "chưa dùng") || strings.Contains(out, tok) {
		t.Errorf("token list: %d\n%s", code, out)
	}

	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	svc := service.New(st, nil)
	works := func() error { _, _, err := svc.UserByToken(context.Background(), tok); return err }
	if err := works(); err != nil {
		t.Fatalf("the new token: %v", err)
	}
	if code, out, _ := runCLI(t, "", "token", "list", "--db", db); code != 0 || strings.Contains(lineWith(out, "bao-cao"), "chưa dùng") {
		t.Errorf("the token's use is not listed:\n%s", out)
	}

	// Disabled: the token stops at once; enabled again, it works.
	if code, out, errs := runCLI(t, "", "user", "disable", "--db", db, "--username", "bt.vubon"); code != 0 || !strings.Contains(out, "Đã khóa") {
		t.Fatalf("user disable: %d %q %q", code, out, errs)
	}
	if err := works(); domain.ErrorCode(err) != domain.EUnauthorized {
		t.Errorf("the token of a disabled user: %v", err)
	}
	if _, out, _ := runCLI(t, "", "user", "list", "--db", db); !strings.Contains(lineWith(out, "bt.vubon"), "Đã khóa") {
		t.Errorf("user list after disable: %q", lineWith(out, "bt.vubon"))
	}
	if code, _, _ := runCLI(t, "", "user", "enable", "--db", db, "--username", "bt.vubon"); code != 0 || works() != nil {
		t.Errorf("user enable: %d, token %v", code, works())
	}

	// passwd: a new password from standard input, judged by the policy.
	if code, _, errs := runCLI(t, "matkhau123\n", "user", "passwd", "--db", db, "--username", "bt.vubon"); code != 1 || !strings.Contains(errs, "quá dễ đoán") {
		t.Errorf("passwd with a common password: %d %q", code, errs)
	}
	if code, _, errs := runCLI(t, "hai con mèo trên mái nhà\n", "user", "passwd", "--db", db, "--username", "bt.vubon"); code != 0 {
		t.Errorf("passwd: %d %q", code, errs)
	}
	if _, err := svc.Login(context.Background(), "bt.vubon", "hai con mèo trên mái nhà"); err != nil {
		t.Errorf("sign-in with the new password: %v", err)
	}

	// revoke: the token stops; revoking again says so and changes nothing.
	if code, out, errs := runCLI(t, "", "token", "revoke", "--db", db, id); code != 0 || !strings.Contains(out, "Đã thu hồi mã truy cập số "+id) {
		t.Fatalf("token revoke: %d %q %q", code, out, errs)
	}
	if err := works(); domain.ErrorCode(err) != domain.EUnauthorized {
		t.Errorf("a revoked token: %v", err)
	}
	if _, out, _ := runCLI(t, "", "token", "list", "--db", db); !strings.Contains(lineWith(out, "bao-cao"), "Đã thu hồi") {
		t.Errorf("token list after revoke: %q", lineWith(out, "bao-cao"))
	}

	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"user", "disable", "--db", db, "--username", "khong-co"}, 1, "Không tìm thấy người dùng khong-co"},
		{[]string{"user", "disable", "--db", db}, 2, "Cần --username"},
		{[]string{"user", "passwd", "--db", db, "--username", "bt.vubon"}, 1, "Chưa nhập mật khẩu"},
		{[]string{"user", "nope"}, 2, "Lệnh không hợp lệ"},
		{[]string{"token", "revoke", "--db", db}, 2, "ketnap token revoke ID"},
		{[]string{"token", "revoke", "--db", db, "abc"}, 2, "không hợp lệ"},
		{[]string{"token", "revoke", "--db", db, "99999"}, 1, "Không tìm thấy mã truy cập số 99999"},
		{[]string{"token", "create", "--db", db, "--username", "bt.vubon", "--days", "400"}, 1, "từ 1 đến 365 ngày"},
	} {
		code, _, errs := runCLI(t, "", c.args...)
		if code != c.code || !strings.Contains(errs, c.msg) {
			t.Errorf("%v: %d %q; want %d and %q", c.args, code, errs, c.code, c.msg)
		}
	}
}

// Issue 13, item 4: `ketnap audit verify` exits 0 on the demo's intact
// chain, and 1 naming the first record that does not verify once a row is
// edited in SQL.
func TestAuditVerifyCommand(t *testing.T) {
	db := demoDB(t)
	code, out, errs := runCLI(t, "", "audit", "verify", "--db", db)
	if code != 0 || !strings.Contains(out, "toàn vẹn") {
		t.Fatalf("audit verify on the demo: %d %q %q", code, out, errs)
	}
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.DB().ExecContext(context.Background(), `UPDATE audit_log SET detail = '{}' WHERE id = 2`); err != nil {
		t.Fatal(err)
	}
	st.Close()
	code, _, errs = runCLI(t, "", "audit", "verify", "--db", db)
	if code != 1 || !strings.Contains(errs, "Bản ghi số 2 ") {
		t.Errorf("audit verify after an edit: %d %q; want 1 naming record 2", code, errs)
	}
	if code, _, _ := runCLI(t, "", "audit"); code != 2 {
		t.Errorf("audit without verify: %d", code)
	}
}

func lineWith(out, s string) string {
	for l := range strings.Lines(out) {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}
