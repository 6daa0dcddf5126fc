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

// The count is kept in the database: wrong passwords tried against two
// server processes sharing it add up (five on each lock the username on
// both), and a right password before the limit clears the count.
func TestLoginThrottleAcrossProcesses(t *testing.T) {
	svc, ctx := newService(t)
	mkOrg(t, svc, ctx, "huyen", "Đảng bộ huyện", domain.KindDistrict, "")
	if _, err := svc.CreateUser(ctx, service.NewUser{Username: "hai.may", Role: "viewer", OrgCode: "huyen", Password: "mat-khau-dung"}); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2024, 6, 1, 9, 0, 0, 0, time.UTC)
	svc.Now = func() time.Time { return now }
	other := openAgain(t, svc) // another process on the same database
	for i := range 9 {
		if _, err := svc.Login(ctx, "hai.may", "sai"); domain.ErrorCode(err) != domain.EUnauthorized {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	if _, err := other.Login(ctx, "hai.may", "mat-khau-dung"); err != nil {
		t.Fatalf("the right password after 9 failures: %v", err)
	}
	for i := range 10 {
		s := svc
		if i%2 == 1 {
			s = other
		}
		if _, err := s.Login(ctx, "hai.may", "sai"); domain.ErrorCode(err) != domain.EUnauthorized {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	for _, s := range []*service.Service{svc, other} {
		if _, err := s.Login(ctx, "hai.may", "mat-khau-dung"); err == nil || !strings.Contains(domain.ErrorMessage(err), "thử lại sau 15 phút") {
			t.Errorf("after 5 + 5 failures on two processes: %v, want the lock", err)
		}
	}
}
