package importer_test

import (
	"bytes"
	"compress/flate"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"ketnap/internal/importer"
	"ketnap/internal/server"
)

// The limits of an import (issue 13, item 1), fed the hostile shapes of
// the issue: each file is generated here, then imported by a child
// process (this test binary, TestImportChild) whose peak memory (its
// resident set's high-water mark, VmHWM, as the kernel counts it for the
// child's own memory: rusage's maxrss would count the parent's, which the
// child shares until it starts) must stay under 256 MB. The server runs
// imports under server.MemoryLimit; so does the child.

// maxRSS is the memory a process importing any upload must stay within.
const maxRSS = 256 << 20

// Environment of the child process.
const (
	childFile  = "KETNAP_IMPORT_CHILD"       // the file to import
	childOut   = "KETNAP_IMPORT_CHILD_OUT"   // where the result goes, as JSON
	childKind  = "KETNAP_IMPORT_CHILD_KIND"  // the kind (candidates by default)
	childWrite = "KETNAP_IMPORT_CHILD_WRITE" // "1" to import rather than check
)

// TestImportChild is the child process of importInChild: it imports the
// file childFile names into a fresh district (world) as the system
// administrator, as the server would, and writes the result to childOut.
func TestImportChild(t *testing.T) {
	file := os.Getenv(childFile)
	if file == "" {
		t.Skip("the child process of TestHostileFiles and BenchmarkImportPeak")
	}
	server.LimitMemory(func(string) string { return "" })
	svc, ctx := world(t)
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	kind := os.Getenv(childKind)
	if kind == "" {
		kind = importer.KindCandidates
	}
	res, err := importer.Import(ctx, svc, kind, data, importer.Options{DryRun: os.Getenv(childWrite) != "1"})
	if err != nil {
		t.Fatal(err)
	}
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	var peak int64
	for line := range strings.Lines(string(status)) {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			fmt.Sscanf(strings.TrimSpace(rest), "%d kB", &peak)
		}
	}
	b, err := json.Marshal(childResult{Result: res, Peak: peak << 10})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(os.Getenv(childOut), b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// childResult is what the child process reports.
type childResult struct {
	Result *importer.Result
	Peak   int64 // bytes
}

// importInChild imports file in a new process (TestImportChild) and
// returns the result and the process's peak resident memory in bytes.
func importInChild(tb testing.TB, file, kind string, write bool) (*importer.Result, int64) {
	tb.Helper()
	out := filepath.Join(tb.TempDir(), "result.json")
	cmd := exec.Command(os.Args[0], "-test.run=^TestImportChild$", "-test.count=1", "-test.timeout=10m")
	cmd.Env = append(os.Environ(), childFile+"="+file, childOut+"="+out, childKind+"="+kind)
	if write {
		cmd.Env = append(cmd.Env, childWrite+"=1")
	}
	log, err := cmd.CombinedOutput()
	if err != nil {
		tb.Fatalf("child import of %s: %v\n%s", filepath.Base(file), err, log)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		tb.Fatalf("child import of %s wrote no result: %v\n%s", filepath.Base(file), err, log)
	}
	var res childResult
	if err := json.Unmarshal(b, &res); err != nil {
		tb.Fatal(err)
	}
	if res.Peak == 0 {
		tb.Fatalf("child import of %s: no peak memory in %s", filepath.Base(file), b)
	}
	return res.Result, res.Peak
}

// writeBook writes rawBook at the compression level into a file of the
// test's directory.
func writeBook(tb testing.TB, name string, level int, rows func(emit func(n int, cells ...rawCell))) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), name)
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	rawBook(tb, f, level, rows)
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	return path
}

func header(emit func(n int, cells ...rawCell)) {
	cells := make([]rawCell, len(candHeaders))
	for i, h := range candHeaders {
		cells[i] = txt(h)
	}
	emit(1, cells...)
}

// candRow is a valid candidate of the world, i-th of a file.
func candRow(i int) []rawCell {
	return []rawCell{txt(fmt.Sprintf("Nguyễn Văn An %d", i)), num("32947"), txt("Nam"), txt("Kinh"), txt(""),
		txt(fmt.Sprintf("066090%06d", i)), txt("Trung học phổ thông"), txt(""), txt("eaphe-t1"), txt("Quần chúng ưu tú")}
}

func TestHostileFiles(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the peak memory is read from Linux's /proc")
	}
	cases := []struct {
		name string
		rows func(emit func(n int, cells ...rawCell))
		row  int
		want string
	}{
		{"4,000 rows each with a cell in column XFD", func(emit func(n int, cells ...rawCell)) {
			header(emit)
			for i := range 4000 {
				emit(i+2, append(candRow(i), rawCell{ref: cellName(16384, i+2), text: "x"})...)
			}
		}, 2, "Ô XFD2 có dữ liệu ở cột thứ 16.384, nhưng tệp nhập chỉ được dùng 100 cột đầu (A đến CV)"},
		{"one cell of 900 MB", func(emit func(n int, cells ...rawCell)) {
			header(emit)
			emit(2, rawCell{text: strings.Repeat("a", 1<<20), times: 900, inline: true})
		}, 0, "Trang tính “Dữ liệu” khi giải nén lớn hơn 512 MB (khai báo 900 MB): quá lớn để nhập"},
		{"one shared string of 900 MB", func(emit func(n int, cells ...rawCell)) {
			header(emit)
			emit(2, rawCell{text: strings.Repeat("a", 1<<20), times: 900})
		}, 0, "Bảng chữ dùng chung của tệp (xl/sharedStrings.xml) khi giải nén lớn hơn 128 MB (khai báo 900 MB)"},
		{"one cell of 100 MB", func(emit func(n int, cells ...rawCell)) {
			header(emit)
			emit(2, candRow(1)...)
			emit(3, append(candRow(2), rawCell{text: strings.Repeat("a", 1<<20), times: 100, inline: true})...)
		}, 3, "Ô K3 dài hơn 32 KB (giới hạn của một ô)"},
		{"one shared string of 100 MB", func(emit func(n int, cells ...rawCell)) {
			header(emit)
			emit(2, append(candRow(1), rawCell{text: strings.Repeat("a", 1<<20), times: 100})...)
		}, 0, "Tệp có một ô chữ dài hơn 32 KB (giới hạn của một ô)"},
		{"a cell of 40 KB", func(emit func(n int, cells ...rawCell)) {
			header(emit)
			emit(2, append(candRow(1), rawCell{text: strings.Repeat("ă", 20<<10)})...)
		}, 2, "Ô K2 dài 40.960 byte, quá giới hạn 32 KB của một ô"},
		{"1,048,575 rows", func(emit func(n int, cells ...rawCell)) {
			header(emit)
			for n := 2; n <= 1_048_576; n++ {
				emit(n, num(fmt.Sprint(n)))
			}
		}, 200_002, "Trang “Dữ liệu” có hơn 200.000 dòng dữ liệu, quá giới hạn của một lần nhập"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			file := writeBook(t, "hostile.xlsx", flate.BestSpeed, c.rows)
			fi, err := os.Stat(file)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Size() > importer.MaxSize {
				t.Fatalf("the file is %d bytes, more than an upload may be", fi.Size())
			}
			res, rss := importInChild(t, file, importer.KindCandidates, false)
			t.Logf("%s (%d KB): peak %d MB", c.name, fi.Size()>>10, rss>>20)
			if len(res.Errors) != 1 || res.MoreErrors != 0 || res.Rows != 0 || res.Valid != 0 ||
				res.Errors[0].Row != c.row || !strings.Contains(res.Errors[0].Message, c.want) {
				t.Errorf("refused with %+v; want one problem on row %d saying %q", res, c.row, c.want)
			}
			if rss > maxRSS {
				t.Errorf("the import took %d MB; it must stay under %d MB", rss>>20, maxRSS>>20)
			}
		})
	}
}

// A file with more problems than MaxProblems lists the first ones in row
// order (the importer's own, a date that does not exist, and the
// service's, a unit that does not exist, interleaved) and counts the rest.
func TestProblemsCapped(t *testing.T) {
	svc, ctx := world(t)
	const n = 1300
	rows := make([][]any, n)
	for i := range rows {
		if i%2 == 0 {
			rows[i] = cand(fmt.Sprintf("Nguyễn Văn Số %d", i), "31/02/1990", cccd(i+1), "eaphe-t1")
		} else {
			rows[i] = cand(fmt.Sprintf("Nguyễn Văn Số %d", i), "15/03/1990", cccd(i+1), "khong-co")
		}
	}
	res := run(t, svc, ctx, importer.KindCandidates, book(t, candHeaders, rows...), importer.Options{DryRun: true})
	if len(res.Errors) != importer.MaxProblems || res.MoreErrors != n-importer.MaxProblems || res.ErrorCount() != n || res.Rows != n {
		t.Fatalf("%d problems listed, %d more, %d rows; want %d, %d, %d", len(res.Errors), res.MoreErrors, res.Rows, importer.MaxProblems, n-importer.MaxProblems, n)
	}
	for i, p := range res.Errors {
		want, col := "không có ngày 31/02/1990", importer.ColBirth
		if i%2 == 1 {
			want, col = `Không có tổ chức mã "khong-co"`, importer.ColOrg
		}
		if p.Row != i+2 || p.Column != col || !strings.Contains(p.Message, want) {
			t.Fatalf("problem %d: %+v; want row %d, column %s, %q", i, p, i+2, col, want)
		}
	}
	b, _ := json.Marshal(res)
	if !strings.Contains(string(b), fmt.Sprintf(`"more_errors":%d`, n-importer.MaxProblems)) {
		t.Errorf("JSON %s… lacks more_errors", b[:200])
	}
	// a file within the bound: no count of the rest, in the JSON either
	res = run(t, svc, ctx, importer.KindCandidates, book(t, candHeaders, rows[:3]...), importer.Options{DryRun: true})
	if b, _ := json.Marshal(res); len(res.Errors) != 3 || res.MoreErrors != 0 || strings.Contains(string(b), "more_errors") {
		t.Errorf("3 wrong rows: %s", b)
	}
}

// The cells holding a formula are found by the walk of the sheet, not by
// excelize's GetCellFormula (which loads the whole sheet): the problems
// name the same cells with the same formula as excelize shows it, a
// shared formula's other cells included; a formula in the header or in a
// row left blank is no problem.
func TestFormulasAsExcelShowsThem(t *testing.T) {
	svc, ctx := world(t)
	var b bytes.Buffer
	rawBook(t, &b, flate.DefaultCompression, func(emit func(n int, cells ...rawCell)) {
		head := make([]rawCell, len(candHeaders))
		for i, h := range candHeaders {
			head[i] = txt(h)
		}
		head[2] = rawCell{formula: `"Giới"&" tính"`, num: "0"} // a formula in the header
		emit(1, head...)
		r := candRow(2)
		r[1] = rawCell{formula: "DATE(1990,3,15)", num: "32947"}
		emit(2, r...)
		for n := 3; n <= 5; n++ {
			r := candRow(n)
			r[4] = rawCell{ref: "E" + fmt.Sprint(n), shared: "0", num: "1"}
			if n == 3 {
				r[4].formula, r[4].sharedRef = `IF($A3<>"",B3+1,"")`, "E3:E5"
			}
			emit(n, r...)
		}
		emit(6, rawCell{ref: "B6", formula: `IF(A6="","","x")`}) // a row left blank
	})
	data := b.Bytes()
	x, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	var want []string
	for _, ref := range []string{"B2", "E3", "E4", "E5"} {
		f, err := x.GetCellFormula(importer.DataSheet, ref)
		if err != nil || f == "" {
			t.Fatalf("excelize reads no formula in %s: %v", ref, err)
		}
		want = append(want, "Ô "+ref+" chứa công thức (="+f+")")
	}
	res := run(t, svc, ctx, importer.KindCandidates, data, importer.Options{DryRun: true})
	var got []string
	for _, p := range res.Errors {
		msg, _, _ := strings.Cut(p.Message, ": ketnap không nhận công thức")
		got = append(got, msg)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") || res.Errors[0].Column != "Ngày sinh" || res.Errors[1].Column != "Tôn giáo" {
		t.Errorf("problems\n%s\nwant\n%s\n(%+v)", strings.Join(got, "\n"), strings.Join(want, "\n"), res.Errors)
	}
	if !strings.Contains(want[2], "B4+1") {
		t.Errorf("the shared formula was not shifted: %s", want[2])
	}
}
