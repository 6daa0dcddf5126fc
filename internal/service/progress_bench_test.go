package service_test

import (
	"testing"

	"ketnap/internal/domain"
	"ketnap/internal/service"
	"ketnap/internal/testkit"
)

// BenchmarkProgressProvince measures the roll-up at province size for the
// root (1,066 units, 100,000 members, 3,000 admissions in 2024) and for
// one chapter, with the pipeline of the projection (9,000 open cases, 1,800
// past the chapter vote, 26,000 closed). Figures go to BENCHMARKS.md.
func BenchmarkProgressProvince(b *testing.B) {
	svc, ctx, chapter := testkit.Province(b)
	asof := domain.Day(2024, 10, 15)
	b.Run("root", func(b *testing.B) {
		for b.Loop() {
			p, err := svc.Progress(ctx, service.ReportQuery{OrgCode: "tinh", Year: 2024, AsOf: asof})
			if err != nil {
				b.Fatal(err)
			}
			if p.Admitted == 0 || p.Pipeline == 0 {
				b.Fatal("nothing admitted, or no case past the chapter vote")
			}
		}
	})
	// As of the clock's day (31/12/2024) nothing is decided or closed
	// after the date: the pipeline is the open cases past the vote.
	b.Run("root-today", func(b *testing.B) {
		for b.Loop() {
			if _, err := svc.Progress(ctx, service.ReportQuery{OrgCode: "tinh", Year: 2024, AsOf: domain.Day(2024, 12, 31)}); err != nil {
				b.Fatal(err)
			}
		}
	})
	// As of a past date the pipeline also looks at the cases decided or
	// closed since.
	b.Run("root-past", func(b *testing.B) {
		for b.Loop() {
			if _, err := svc.Progress(ctx, service.ReportQuery{OrgCode: "tinh", Year: 2024, AsOf: domain.Day(2024, 3, 31)}); err != nil {
				b.Fatal(err)
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
