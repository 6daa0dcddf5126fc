package country_test

import (
	"context"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"ketnap/internal/demo/country"
	"ketnap/internal/report"
	"ketnap/internal/service"
	"ketnap/internal/store"
	"ketnap/internal/testkit"
	"ketnap/internal/vn"
)

// The country for the benchmarks: the database KETNAP_COUNTRY_DB names
// (one `ketnap demo --country` built, a SQLite path or a PostgreSQL DSN),
// else one built here at KETNAP_COUNTRY_SCALE (0.01 by default).
var bench struct {
	once sync.Once
	svc  *service.Service
	st   *store.Store
	err  error
}

func benchCountry(b *testing.B) *service.Service {
	b.Helper()
	bench.once.Do(func() {
		ctx := service.WithUser(context.Background(), service.System)
		if dsn := os.Getenv("KETNAP_COUNTRY_DB"); dsn != "" {
			st, err := store.Open(ctx, dsn)
			bench.svc, bench.st, bench.err = service.New(st, nil), st, err
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
		bench.svc, bench.st, bench.err = service.New(st, nil), st, err
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

// BenchmarkCountrySearch is the people list of one chapter and name
// searches (issue 15, item 3) over the whole country, its largest city
// and one of its wards: a rare word (a family name of half a percent), a
// full name, the commonest word and the commonest pair. Each iteration is
// the first page of 50 and the next one by key, as the API serves them.
// A search's count is kept until the next write: "cold" makes a write
// before each iteration (outside the timing), so that it counts again.
// KETNAP_COUNTRY_DB=<file or DSN> go test -run='^$' -bench=CountrySearch -benchtime=20x ./internal/demo/country/
func BenchmarkCountrySearch(b *testing.B) {
	svc := benchCountry(b)
	ctx := service.WithUser(context.Background(), service.System)
	type level struct{ name, code string }
	root, province, commune := level{"country", ""}, level{"province", "ho-chi-minh"}, level{"commune", "ho-chi-minh-x001"}
	runs := []struct {
		lvl level
		q   string
	}{{level{"chapter", "ho-chi-minh-x001-c01"}, ""}, {root, ""}, {province, ""}}
	for _, q := range []string{"lương", "nguyễn văn khoa", "nguyễn", "nguyễn thị"} {
		for _, lvl := range []level{root, province, commune} {
			runs = append(runs, struct {
				lvl level
				q   string
			}{lvl, q})
		}
	}
	for _, r := range runs {
		name := r.lvl.name + "/list"
		if r.q != "" {
			name = r.lvl.name + "/" + strings.ReplaceAll(vn.Fold(r.q), " ", "_")
		}
		for _, cold := range []bool{false, true} {
			if cold && r.q == "" {
				continue
			}
			sub := name
			if cold {
				sub += "/cold"
			}
			b.Run(sub, func(b *testing.B) {
				var total int
				i := 0
				for b.Loop() {
					if cold {
						b.StopTimer()
						i++
						if err := bench.st.SetMeta(ctx, "bench_search", strconv.Itoa(i)); err != nil {
							b.Fatal(err)
						}
						b.StartTimer()
					}
					pg, err := svc.People(ctx, service.PeopleQuery{OrgCode: r.lvl.code, Query: r.q, Page: 1, PerPage: 50})
					if err != nil {
						b.Fatal(err)
					}
					total = pg.Total
					if pg.Next != "" {
						if _, err := svc.People(ctx, service.PeopleQuery{OrgCode: r.lvl.code, Query: r.q, PerPage: 50, After: pg.Next}); err != nil {
							b.Fatal(err)
						}
					}
				}
				b.ReportMetric(float64(total), "matches")
			})
		}
	}
}

// BenchmarkCountryPages is what the analytics and the conference report
// read (issue 15, item 5): the funnel, the breakdowns, the deadline counts
// of the dashboard and the whole conference report (its model, every part
// the Word and PDF print), for the whole country, its largest city, one
// of its wards and one chapter of that ward, on the country's date, and
// the first page of the open cases and of the to-do list. Each
// iteration asks anew (the response cache is the web's, not the service's).
// KETNAP_COUNTRY_DB=<file or DSN> go test -run='^$' -bench=CountryPages -benchtime=5x ./internal/demo/country/
func BenchmarkCountryPages(b *testing.B) {
	svc := benchCountry(b)
	ctx := service.WithUser(context.Background(), service.System)
	for _, lvl := range []struct{ name, code string }{
		{"root", ""}, {"province", "ho-chi-minh"}, {"commune", "ho-chi-minh-x001"}, {"chapter", "ho-chi-minh-x001-c01"},
	} {
		q := service.ReportQuery{OrgCode: lvl.code, Year: 2026, AsOf: country.AsOf}
		pages := []struct {
			name string
			run  func() error
		}{
			{"funnel", func() error { _, err := svc.Funnel(ctx, service.FunnelQuery{ReportQuery: q}); return err }},
			{"breakdowns", func() error { _, err := svc.Breakdowns(ctx, q); return err }},
			{"deadlines", func() error { _, err := svc.TodoCounts(ctx, lvl.code, 30, country.AsOf); return err }},
			{"conference", func() error { _, err := report.Build(ctx, svc, report.Options{ReportQuery: q}); return err }},
			{"cases", func() error {
				_, err := svc.Cases(ctx, service.CaseQuery{OrgCode: lvl.code, Open: true, AsOf: country.AsOf})
				return err
			}},
			{"todo", func() error {
				_, err := svc.Todo(ctx, service.TodoQuery{OrgCode: lvl.code, AsOf: country.AsOf})
				return err
			}},
		}
		for _, p := range pages {
			b.Run(p.name+"/"+lvl.name, func(b *testing.B) {
				for b.Loop() {
					if err := p.run(); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
