package service_test

import (
	"strings"
	"testing"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/service"
)

// Issue 13, item 2: tokens expire (90 days unless asked otherwise), are
// listed with their last use and never their secret, and a revoked one
// stops at once.
func TestTokensExpireAndRevoke(t *testing.T) {
	svc, sys := newService(t)
	mkOrg(t, svc, sys, "huyen", "Đảng bộ huyện", domain.KindDistrict, "")
	_, uctx := mkUser(t, svc, sys, "thuy.le", domain.RoleOrganizer, "huyen")
	start := svc.Now()

	long, lt, err := svc.CreateToken(uctx, service.TokenInput{Username: "thuy.le", Name: "mặc định"})
	if err != nil {
		t.Fatal(err)
	}
	if lt.ExpiresAt == nil || !lt.ExpiresAt.Equal(start.Add(time.Duration(service.TokenDays)*24*time.Hour)) || service.TokenDays != 90 {
		t.Errorf("default expiry %v; want %d days after %v", lt.ExpiresAt, service.TokenDays, start)
	}
	short, st, err := svc.CreateToken(uctx, service.TokenInput{Username: "thuy.le", Name: "một ngày", Days: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.UserByToken(t.Context(), short); err != nil {
		t.Fatalf("a fresh token: %v", err)
	}

	// Two days later the one-day token is refused, saying when it expired;
	// the 90-day one still works.
	svc.Now = func() time.Time { return start.Add(48 * time.Hour) }
	_, _, err = svc.UserByToken(t.Context(), short)
	if e := wantErr(t, err, domain.EUnauthorized); !strings.Contains(e.Message, "hết hạn") {
		t.Errorf("expired token: %q", e.Message)
	}
	if _, _, err := svc.UserByToken(t.Context(), long); err != nil {
		t.Errorf("the 90-day token after two days: %v", err)
	}

	// The list shows both with their last use, never the secret.
	list, err := svc.Tokens(uctx, "thuy.le")
	if err != nil || len(list) != 2 {
		t.Fatalf("tokens: %d, %v", len(list), err)
	}
	for _, tk := range list {
		if strings.Contains(tk.Name, "ktn_") {
			t.Errorf("a secret in the list: %+v", tk)
		}
		if tk.ID == lt.ID && tk.LastUsed == nil {
			t.Errorf("the used token has no last use: %+v", tk)
		}
	}

	// Revoked: refused at once; revoking someone else's token is not a
	// viewer's to do.
	if _, err := svc.RevokeToken(uctx, lt.ID); err != nil {
		t.Fatal(err)
	}
	_, _, err = svc.UserByToken(t.Context(), long)
	wantErr(t, err, domain.EUnauthorized)
	_, vctx := mkUser(t, svc, sys, "xem", domain.RoleViewer, "huyen")
	if _, err := svc.RevokeToken(vctx, st.ID); err == nil {
		t.Error("a viewer revoked an organizer's token")
	}
}
