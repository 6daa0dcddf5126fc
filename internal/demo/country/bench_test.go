package country_test

import (
	"context"
	"os"
	"strconv"
	"sync"
	"testing"

	"ketnap/internal/demo/country"
	"ketnap/internal/service"
	"ketnap/internal/store"
	"ketnap/internal/testkit"
)

// The country for the benchmarks: the database KETNAP_COUNTRY_DB names
// (one `ketnap demo --country` built, a SQLite path or a PostgreSQL DSN),
// else one built here at KETNAP_COUNTRY_SCALE (0.01 by default).
var bench struct {
	once sync.Once
	svc  *service.Service
	err  error
}

func benchCountry(b *testing.B) *service.Service {
	b.Helper()
	bench.once.Do(func() {
		ctx := service.WithUser(context.Background(), service.System)
		if dsn := os.Getenv("KETNAP_COUNTRY_DB"); dsn != "" {
			st, err := store.Open(ctx, dsn)
			bench.svc, bench.err = service.New(st, nil), err
			return
		}
		scale := 0.01
		if v := os.Getenv("KETNAP_COUNTRY_SCALE"); v != "" {
			if scale, bench.err = strconv.ParseFloat(v, 64); bench.err != nil {
				return
			}
		}
		st := testkit.OpenStore(b)
		sum, _, err := country.Load(ctx, st, scale, nil)
		if err == nil {
			b.Logf("built at scale %g in %v: %d chapters, %d people", scale, sum.Elapsed, sum.Chapters, sum.People)
		}
		bench.svc, bench.err = service.New(st, nil), err
	})
	if bench.err != nil {
		b.Fatal(bench.err)
	}
	return bench.svc
}

// BenchmarkCountryRollup is the progress roll-up of 2026 on the country's
// date, for the whole country, its largest city, one of its wards and one
// chapter of that ward.
func BenchmarkCountryRollup(b *testing.B) {
	svc := benchCountry(b)
	ctx := service.WithUser(context.Background(), service.System)
	for _, lvl := range []struct{ name, code string }{
		{"root", ""}, {"province", "ho-chi-minh"}, {"commune", "ho-chi-minh-x001"}, {"chapter", "ho-chi-minh-x001-c01"},
	} {
		b.Run(lvl.name, func(b *testing.B) {
			for b.Loop() {
				p, err := svc.Progress(ctx, service.ReportQuery{OrgCode: lvl.code, Year: 2026, AsOf: country.AsOf})
				if err != nil {
					b.Fatal(err)
				}
				if p.Admitted == 0 && lvl.name != "chapter" {
					b.Fatalf("%s: nothing admitted", lvl.name)
				}
			}
		})
	}
}
