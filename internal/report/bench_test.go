package report

import (
	"bytes"
	"testing"

	"ketnap/internal/domain"
	"ketnap/internal/service"
	"ketnap/internal/testkit"
)

// BenchmarkConferenceReport builds the conference report of a province
// (1,066 units, 100,000 members) and writes it as Word, PDF and Excel.
// The requirement is under 2 seconds; figures go to BENCHMARKS.md.
func BenchmarkConferenceReport(b *testing.B) {
	svc, ctx, _ := testkit.Province(b)
	asof := domain.Day(2024, 10, 15)
	build := func(b *testing.B) *Conference {
		c, err := Build(ctx, svc, Options{ReportQuery: service.ReportQuery{OrgCode: "tinh", Year: 2024, AsOf: asof}})
		if err != nil {
			b.Fatal(err)
		}
		if c.Progress.Admitted == 0 || len(c.Units) != 15 {
			b.Fatalf("admitted %d, %d units", c.Progress.Admitted, len(c.Units))
		}
		return c
	}
	b.Run("build", func(b *testing.B) {
		for b.Loop() {
			build(b)
		}
	})
	// The writers write a report built here, outside their timing, so that
	// each runs alone too (-bench 'ConferenceReport/pdf').
	c := build(b)
	for _, f := range []struct {
		name  string
		write func(*bytes.Buffer) error
	}{
		{"docx", func(w *bytes.Buffer) error { return WriteDocx(w, c.Document()) }},
		{"pdf", func(w *bytes.Buffer) error { return WritePDF(w, c.Document()) }},
		{"xlsx", func(w *bytes.Buffer) error { return WriteXLSX(w, c) }},
	} {
		b.Run(f.name, func(b *testing.B) {
			for b.Loop() {
				var buf bytes.Buffer
				if err := f.write(&buf); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	// The whole request, build and Word file, for one district (~71 units).
	b.Run("district-docx", func(b *testing.B) {
		for b.Loop() {
			c, err := Build(ctx, svc, Options{ReportQuery: service.ReportQuery{OrgCode: "h3", Year: 2024, AsOf: asof}})
			if err != nil {
				b.Fatal(err)
			}
			var buf bytes.Buffer
			if err := WriteDocx(&buf, c.Document()); err != nil {
				b.Fatal(err)
			}
		}
	})
}
