package service_test

import (
	"strings"
	"testing"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/service"
)

// Ten wrong passwords lock the username for fifteen minutes, even against
// the right password; the lock lifts when the window has passed.
func TestLoginThrottle(t *testing.T) {
	svc, ctx := newService(t)
	mkOrg(t, svc, ctx, "huyen", "Đảng bộ huyện", domain.KindDistrict, "")
	if _, err := svc.CreateUser(ctx, service.NewUser{Username: "throttle.me", Role: "viewer", OrgCode: "huyen", Password: "mat-khau-dung"}); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2024, 6, 1, 9, 0, 0, 0, time.UTC)
	svc.Now = func() time.Time { return now }
	for i := range 10 {
		if _, err := svc.Login(ctx, "throttle.me", "sai"); domain.ErrorCode(err) != domain.EUnauthorized {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	_, err := svc.Login(ctx, "Throttle.Me", "mat-khau-dung")
	if err == nil || !strings.Contains(domain.ErrorMessage(err), "thử lại sau 15 phút") {
		t.Fatalf("11th attempt with the right password: %v, want the lock message", err)
	}
	now = now.Add(16 * time.Minute)
	if _, err := svc.Login(ctx, "throttle.me", "mat-khau-dung"); err != nil {
		t.Errorf("after the window: %v", err)
	}
}
