package cli

import (
	"context"
	"strings"
	"testing"

	"ketnap/internal/store"
)

// The progress report reads the counts maintained per unit, and `ketnap
// rebuild-counts` recomputes them: emptied, the district's roll-up loses
// its admissions; rebuilt, it counts its 57 again (CONTRACT "Progress").
func TestRebuildCountsCommand(t *testing.T) {
	db := demoDB(t)
	report := func() string {
		t.Helper()
		code, out, errs := runCLI(t, "", "report", "progress", "--db", db, "--org", "krongpac", "--year", "2024", "--asof", "2024-05-04", "--format", "json")
		if code != 0 {
			t.Fatalf("report progress: %d %q", code, errs)
		}
		return lineWith(out, `"admitted"`)
	}
	if got := report(); !strings.Contains(got, "57") {
		t.Fatalf("the demo's roll-up: %q; want 57 admitted", got)
	}
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.DB().ExecContext(context.Background(), `DELETE FROM admission_counts`); err != nil {
		t.Fatal(err)
	}
	st.Close()
	if got := report(); strings.Contains(got, "57") {
		t.Fatalf("with the counts emptied the roll-up still says %q: it does not read them", got)
	}
	code, out, errs := runCLI(t, "", "rebuild-counts", "--db", db)
	if code != 0 || !strings.Contains(out, "Đã tính lại số kết nạp tổng hợp theo tổ chức") || !strings.Contains(out, "quyết định kết nạp") {
		t.Fatalf("rebuild-counts: %d %q %q", code, out, errs)
	}
	if got := report(); !strings.Contains(got, "57") {
		t.Errorf("after rebuild-counts: %q; want 57 admitted", got)
	}
	if code, _, _ := runCLI(t, "", "rebuild-counts", "extra"); code != 2 {
		t.Errorf("rebuild-counts with an argument: exit %d; want 2", code)
	}
}
