package service_test

import (
	"strings"
	"testing"

	"ketnap/internal/domain"
	"ketnap/internal/service"
)

func TestHashAndVerifyPassword(t *testing.T) {
	h, err := service.HashPassword("Mật khẩu đúng 123")
	if err != nil {
		t.Fatal(err)
	}
	// PHC string with argon2id and the OWASP parameters (m=19 MiB, t=2, p=1).
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q is not the expected PHC form", h)
	}
	if strings.Contains(h, "Mật khẩu") {
		t.Error("hash contains the password")
	}
	if !service.VerifyPassword("Mật khẩu đúng 123", h) {
		t.Error("right password refused")
	}
	for _, wrong := range []string{"Mật khẩu đúng 124", "", "mật khẩu đúng 123", "Mật khẩu đúng 123 "} {
		if service.VerifyPassword(wrong, h) {
			t.Errorf("wrong password %q accepted", wrong)
		}
	}
	// Salted: the same password hashes differently each time, and both verify.
	h2, _ := service.HashPassword("Mật khẩu đúng 123")
	if h2 == h || !service.VerifyPassword("Mật khẩu đúng 123", h2) {
		t.Error("hashes are not salted, or the second does not verify")
	}
	// Tampering with any part fails.
	parts := strings.Split(h, "$") // "", argon2id, v=19, m=…, salt, key
	flip := func(s string) string {
		b := []byte(s)
		if b[0] == 'A' {
			b[0] = 'B'
		} else {
			b[0] = 'A'
		}
		return string(b)
	}
	tampered := map[string]string{
		"key":       strings.Join(append(append([]string{}, parts[:5]...), flip(parts[5])), "$"),
		"salt":      strings.Join([]string{parts[0], parts[1], parts[2], parts[3], flip(parts[4]), parts[5]}, "$"),
		"params":    strings.Join([]string{parts[0], parts[1], parts[2], "m=19456,t=3,p=1", parts[4], parts[5]}, "$"),
		"algorithm": strings.Replace(h, "argon2id", "argon2i", 1),
		"truncated": h[:len(h)-10],
		"empty":     "",
		"garbage":   "$argon2id$v=19$m=x$a$b",
		"no key":    strings.Join(append(append([]string{}, parts[:5]...), ""), "$"),
	}
	for name, bad := range tampered {
		if service.VerifyPassword("Mật khẩu đúng 123", bad) {
			t.Errorf("tampered hash (%s) accepted: %q", name, bad)
		}
	}
}

func TestLoginAndTokens(t *testing.T) {
	svc, sys := newService(t)
	mkOrg(t, svc, sys, "huyen", "Đảng bộ huyện", domain.KindDistrict, "")
	u, err := svc.CreateUser(sys, service.NewUser{Username: "  Thuy.Le ", FullName: "Lê Thị Thủy", Role: domain.RoleOrganizer, OrgCode: "huyen", Password: "mật khẩu dài"})
	if err != nil {
		t.Fatal(err)
	}
	if u.Username != "thuy.le" {
		t.Errorf("username stored as %q; want lower-cased and trimmed", u.Username)
	}
	// The hash, not the password, is stored.
	var stored string
	service.StoreOf(svc).DB().QueryRowContext(t.Context(), `SELECT password_hash FROM users WHERE id = $1`, u.ID).Scan(&stored)
	if stored == "mật khẩu dài" || !service.VerifyPassword("mật khẩu dài", stored) {
		t.Errorf("stored password hash %q", stored)
	}

	got, err := svc.Login(t.Context(), "thuy.le", "mật khẩu dài")
	if err != nil || got.ID != u.ID || got.OrgPath == "" {
		t.Fatalf("Login right password: %+v, %v", got, err)
	}
	// Usernames are stored lower-cased, so the login form's case and
	// surrounding spaces do not matter either.
	if again, err := svc.Login(t.Context(), " Thuy.Le ", "mật khẩu dài"); err != nil || again.ID != u.ID {
		t.Errorf("Login with the username as typed at creation: %v, %v", again, err)
	}
	// Wrong password and unknown user: the same 401 with the same Vietnamese
	// message (no telling which one was wrong).
	_, errWrong := svc.Login(t.Context(), "thuy.le", "mật khẩu sai")
	e1 := wantErr(t, errWrong, domain.EUnauthorized)
	_, errNobody := svc.Login(t.Context(), "ai-do", "mật khẩu dài")
	e2 := wantErr(t, errNobody, domain.EUnauthorized)
	if e1.Message != e2.Message || !strings.Contains(e1.Message, "mật khẩu") {
		t.Errorf("messages %q / %q; want the same Vietnamese message", e1.Message, e2.Message)
	}

	// Token: created by the user for themselves, only its hash stored.
	ctx := service.WithUser(t.Context(), got)
	token, _, err := svc.CreateToken(ctx, service.TokenInput{Username: "thuy.le", Name: "báo cáo"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(token, "ktn_") || len(token) < 30 {
		t.Errorf("token %q", token)
	}
	var n int
	service.StoreOf(svc).DB().QueryRowContext(t.Context(), `SELECT COUNT(*) FROM api_tokens WHERE token_hash = $1`, token).Scan(&n)
	if n != 0 {
		t.Error("the raw token is stored")
	}
	_, tu, err := svc.UserByToken(t.Context(), token)
	if err != nil || tu.ID != u.ID || tu.Role != domain.RoleOrganizer {
		t.Errorf("UserByToken: %+v, %v", tu, err)
	}
	for _, bad := range []string{token + "x", "ktn_nope", strings.TrimPrefix(token, "ktn_"), ""} {
		_, _, err := svc.UserByToken(t.Context(), bad)
		wantErr(t, err, domain.EUnauthorized)
	}
	// Not for someone else unless admin.
	other, _ := mkUser(t, svc, sys, "nguoi-khac", domain.RoleViewer, "huyen")
	_, _, err = svc.CreateToken(ctx, service.TokenInput{Username: other.Username, Name: "x"})
	wantErr(t, err, domain.EForbidden)
	if _, _, err := svc.CreateToken(sys, service.TokenInput{Username: other.Username, Name: "x"}); err != nil {
		t.Errorf("admin creating a token for a user: %v", err)
	}

	// A locked account: no login, its token no longer works (401, not 500).
	if _, err := service.StoreOf(svc).DB().ExecContext(t.Context(), `UPDATE users SET active = FALSE WHERE id = $1`, u.ID); err != nil {
		t.Fatal(err)
	}
	_, err = svc.Login(t.Context(), "thuy.le", "mật khẩu dài")
	wantErr(t, err, domain.EUnauthorized)
	_, _, err = svc.UserByToken(t.Context(), token)
	wantErr(t, err, domain.EUnauthorized)
	_, err = svc.UserByID(t.Context(), u.ID)
	wantErr(t, err, domain.EUnauthorized)
}

func TestCreateUserValidation(t *testing.T) {
	svc, sys := newService(t)
	mkOrg(t, svc, sys, "huyen", "Đảng bộ huyện", domain.KindDistrict, "")
	mkOrg(t, svc, sys, "xa", "Đảng bộ xã", domain.KindCommune, "huyen")
	mkOrg(t, svc, sys, "xa2", "Đảng bộ xã 2", domain.KindCommune, "huyen")
	tests := []struct {
		field string
		in    service.NewUser
	}{
		{"username", service.NewUser{Username: "ab", Role: domain.RoleViewer, OrgCode: "xa", Password: "12345678"}},
		{"username", service.NewUser{Username: "thủy", Role: domain.RoleViewer, OrgCode: "xa", Password: "12345678"}},
		{"role", service.NewUser{Username: "abc", Role: "boss", OrgCode: "xa", Password: "12345678"}},
		{"password", service.NewUser{Username: "abc", Role: domain.RoleViewer, OrgCode: "xa", Password: "1234567"}},
		{"org", service.NewUser{Username: "abc", Role: domain.RoleViewer, Password: "12345678"}},
		// issue 13: at least 10 characters, not a common password
		{"password", service.NewUser{Username: "abc", Role: domain.RoleViewer, OrgCode: "xa", Password: "12345678"}},
		{"password", service.NewUser{Username: "abc", Role: domain.RoleViewer, OrgCode: "xa", Password: "matkhau123"}},
		{"password", service.NewUser{Username: "abc", Role: domain.RoleViewer, OrgCode: "xa", Password: "123456789a"}},
	}
	for _, tc := range tests {
		_, err := svc.CreateUser(sys, tc.in)
		if e := wantErr(t, err, domain.EInvalid); e.Field != tc.field {
			t.Errorf("%+v: field %q; want %q", tc.in, e.Field, tc.field)
		}
	}
	if n := countTable(t, svc, "users"); n != 0 {
		t.Errorf("%d users after invalid input", n)
	}
	// An organizer adds users inside their subtree only, never an admin.
	_, octx := mkUser(t, svc, sys, "tochuc", domain.RoleOrganizer, "xa")
	if _, err := svc.CreateUser(octx, service.NewUser{Username: "xem", Role: domain.RoleViewer, OrgCode: "xa", Password: "mật khẩu dài"}); err != nil {
		t.Errorf("organizer adding a viewer: %v", err)
	}
	_, err := svc.CreateUser(octx, service.NewUser{Username: "xem2", Role: domain.RoleViewer, OrgCode: "xa2", Password: "mật khẩu dài"})
	wantErr(t, err, domain.EForbidden)
	_, err = svc.CreateUser(octx, service.NewUser{Username: "quantri", Role: domain.RoleAdmin, OrgCode: "xa", Password: "mật khẩu dài"})
	wantErr(t, err, domain.EForbidden)
	_, err = svc.CreateUser(sys, service.NewUser{Username: "xem", Role: domain.RoleViewer, OrgCode: "xa", Password: "mật khẩu dài"})
	if e := wantErr(t, err, domain.EConflict); e.Field != "username" {
		t.Errorf("duplicate username field %q", e.Field)
	}
}
