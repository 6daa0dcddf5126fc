package importer_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/xuri/excelize/v2"

	"ketnap/internal/importer"
)

// candidatesFile writes n candidate rows spread over the world's two
// chapters, with dates as Excel date cells and CCCD as text.
func candidatesFile(tb testing.TB, n int) []byte {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", importer.DataSheet); err != nil {
		tb.Fatal(err)
	}
	sw, err := f.NewStreamWriter(importer.DataSheet)
	if err != nil {
		tb.Fatal(err)
	}
	head := make([]any, len(candHeaders))
	for i, h := range candHeaders {
		head[i] = h
	}
	if err := sw.SetRow("A1", head); err != nil {
		tb.Fatal(err)
	}
	given := []string{"An", "Bình", "Cường", "Dũng", "Hoa", "Lan", "Minh", "Nga", "Phúc", "Thảo"}
	for i := range n {
		org := "eaphe-t1"
		if i%2 == 1 {
			org = "eakly-t2"
		}
		sex, digit := "Nam", 0
		if i%3 == 0 {
			sex, digit = "Nữ", 1
		}
		year := 1980 + i%20
		serial := 29221 + (year-1980)*365 + i%300 // a day of that year
		row := []any{fmt.Sprintf("Nguyễn Văn %s %d", given[i%len(given)], i), serial, sex, "Kinh", "",
			fmt.Sprintf("066%d%02d%06d", digit, year%100, i), "Trung học phổ thông", "", org, ""}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, row); err != nil {
			tb.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		tb.Fatal(err)
	}
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// BenchmarkImportCandidates50k imports 50,000 candidate rows into a fresh
// SQLite store (issue 6, item 5: under 15 s). Run with
// go test -run='^$' -bench=ImportCandidates50k -benchtime=1x ./internal/importer
func BenchmarkImportCandidates50k(b *testing.B) {
	data := candidatesFile(b, 50_000)
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		svc, ctx := world(b)
		b.StartTimer()
		res, err := importer.Import(ctx, svc, importer.KindCandidates, data, importer.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if !res.OK() || res.Imported != 50_000 {
			b.Fatalf("imported %d, %d problems, first %+v", res.Imported, len(res.Errors), res.Errors[:min(3, len(res.Errors))])
		}
	}
}

// BenchmarkImportStageFacts2k imports 2,000 candidates of one chapter with
// every stage fact up to the committee's resolution: each row is replayed
// through about 15 procedure steps (the rules judge each). Run with
// go test -run='^$' -bench=ImportStageFacts2k -benchtime=1x ./internal/importer
func BenchmarkImportStageFacts2k(b *testing.B) {
	const n = 2000
	rows := make([][]any, n)
	for i := range rows {
		row := an()
		row[0], row[5] = fmt.Sprintf("Nguyễn Văn An %d", i), fmt.Sprintf("066090%06d", 100+i)
		rows[i] = row
	}
	data := book(b, factHeaders, rows...)
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		svc, ctx := world(b)
		officials(b, svc, ctx)
		b.StartTimer()
		res, err := importer.Import(ctx, svc, importer.KindCandidates, data, importer.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if !res.OK() || res.Imported != n {
			b.Fatalf("imported %d, %d problems, first %+v", res.Imported, len(res.Errors), res.Errors[:min(3, len(res.Errors))])
		}
		b.ReportMetric(float64(res.Steps)/float64(n), "steps/row")
	}
}
