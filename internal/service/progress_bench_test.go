package service_test

import (
	"testing"

	"ketnap/internal/domain"
	"ketnap/internal/service"
	"ketnap/internal/testkit"
)

// BenchmarkProgressProvince measures the roll-up at province size for the
// root (1,066 units, 100,000 members, 3,000 admissions in 2024) and for
// one chapter. Figures go to BENCHMARKS.md.
func BenchmarkProgressProvince(b *testing.B) {
	svc, ctx, chapter := testkit.Province(b)
	asof := domain.Day(2024, 10, 15)
	b.Run("root", func(b *testing.B) {
		for b.Loop() {
			p, err := svc.Progress(ctx, service.ReportQuery{OrgCode: "tinh", Year: 2024, AsOf: asof})
			if err != nil {
				b.Fatal(err)
			}
			if p.Admitted == 0 {
				b.Fatal("nothing admitted")
			}
		}
	})
	b.Run("chapter", func(b *testing.B) {
		for b.Loop() {
			if _, err := svc.Progress(ctx, service.ReportQuery{OrgCode: chapter, Year: 2024, AsOf: asof}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
