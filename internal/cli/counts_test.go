package cli

import (
	"context"
	"strings"
	"testing"

	"ketnap/internal/store"
)

// The progress report and the funnel read the counts maintained per unit,
// and `ketnap rebuild-counts` recomputes them: emptied, the funnel loses
// its stages, the district's roll-up loses its admissions and its
// projection changes (the pipeline); rebuilt, it counts its 57 again and
// the whole report and the funnel are the ones before (CONTRACT
// "Progress").
func TestRebuildCountsCommand(t *testing.T) {
	db := demoDB(t)
	full := func() string {
		t.Helper()
		code, out, errs := runCLI(t, "", "report", "progress", "--db", db, "--org", "krongpac", "--year", "2024", "--asof", "2024-05-04", "--format", "json")
		if code != 0 {
			t.Fatalf("report progress: %d %q", code, errs)
		}
		return out
	}
	report := func() string { t.Helper(); return lineWith(full(), `"admitted"`) }
	funnel := func() string {
		t.Helper()
		code, out, errs := runCLI(t, "", "report", "funnel", "--db", db, "--org", "krongpac", "--year", "2024", "--asof", "2024-05-04", "--format", "json")
		if code != 0 {
			t.Fatalf("report funnel: %d %q", code, errs)
		}
		return out
	}
	before, funnelBefore := full(), funnel()
	if got := lineWith(before, `"admitted"`); !strings.Contains(got, "57") {
		t.Fatalf("the demo's roll-up: %q; want 57 admitted", got)
	}
	empty := func(tables ...string) {
		t.Helper()
		st, err := store.Open(context.Background(), db)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		for _, table := range tables {
			if _, err := st.DB().ExecContext(context.Background(), `DELETE FROM `+table); err != nil {
				t.Fatal(err)
			}
		}
	}
	empty("funnel_counts")
	if funnel() == funnelBefore {
		t.Fatal("with the funnel's counts emptied the funnel is the same: it does not read them")
	}
	empty("pipeline_counts")
	if got := full(); got == before {
		t.Fatal("with the pipeline's counts emptied the report is the same: it does not read them")
	}
	empty("admission_counts")
	if got := report(); strings.Contains(got, "57") {
		t.Fatalf("with the counts emptied the roll-up still says %q: it does not read them", got)
	}
	code, out, errs := runCLI(t, "", "rebuild-counts", "--db", db)
	if code != 0 || !strings.Contains(out, "Đã tính lại số kết nạp tổng hợp theo tổ chức") || !strings.Contains(out, "quyết định kết nạp") || !strings.Contains(out, "theo giai đoạn của phễu") {
		t.Fatalf("rebuild-counts: %d %q %q", code, out, errs)
	}
	if got := report(); !strings.Contains(got, "57") {
		t.Errorf("after rebuild-counts: %q; want 57 admitted", got)
	}
	if got := full(); got != before {
		t.Errorf("after rebuild-counts the report is\n%s\nwant\n%s", got, before)
	}
	if got := funnel(); got != funnelBefore {
		t.Errorf("after rebuild-counts the funnel is\n%s\nwant\n%s", got, funnelBefore)
	}
	if code, _, _ := runCLI(t, "", "rebuild-counts", "extra"); code != 2 {
		t.Errorf("rebuild-counts with an argument: exit %d; want 2", code)
	}
}
