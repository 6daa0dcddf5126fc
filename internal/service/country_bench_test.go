package service_test

import (
	"testing"
	"time"

	"ketnap/internal/domain"
	"ketnap/internal/service"
	"ketnap/internal/testkit"
)

// BenchmarkCountryTenth measures the pages a national or provincial user
// opens first on a tenth of the country (6 provinces, 25,740 chapters,
// 560,000 people, 20,000 admissions in 2024): the progress roll-up, the
// breakdowns, the funnel, the deadline counts, the first page of the
// people list and a name search. It takes a few minutes to build; run it
// alone:
// go test -run='^$' -bench=CountryTenth -benchtime=3x -timeout 60m ./internal/service
func BenchmarkCountryTenth(b *testing.B) {
	t0 := time.Now()
	svc, ctx := testkit.Country(b, testkit.Tenth)
	b.Logf("built in %v", time.Since(t0).Round(time.Second))
	asof := domain.Day(2024, 10, 15)
	for _, code := range []string{"tw", "t0"} {
		b.Run("progress/"+code, func(b *testing.B) {
			for b.Loop() {
				if p, err := svc.Progress(ctx, service.ReportQuery{OrgCode: code, Year: 2024, AsOf: asof}); err != nil || p.Admitted == 0 {
					b.Fatal(p, err)
				}
			}
		})
		b.Run("breakdowns/"+code, func(b *testing.B) {
			for b.Loop() {
				if _, err := svc.Breakdowns(ctx, service.ReportQuery{OrgCode: code, Year: 2024, AsOf: asof}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("funnel/"+code, func(b *testing.B) {
			for b.Loop() {
				if _, err := svc.Funnel(ctx, service.FunnelQuery{ReportQuery: service.ReportQuery{OrgCode: code, AsOf: asof}}); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("todo-counts/"+code, func(b *testing.B) {
			for b.Loop() {
				if _, err := svc.TodoCounts(ctx, code, 30, asof); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("people-page1/"+code, func(b *testing.B) {
			for b.Loop() {
				if pg, err := svc.People(ctx, peopleQuery(code, "")); err != nil || len(pg.People) == 0 {
					b.Fatal(err)
				}
			}
		})
		b.Run("people-search/"+code, func(b *testing.B) {
			for b.Loop() {
				if _, err := svc.People(ctx, peopleQuery(code, "nguyen van 12345")); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func peopleQuery(code, q string) service.PeopleQuery {
	return service.PeopleQuery{OrgCode: code, Query: q, Page: 1, PerPage: 50}
}
