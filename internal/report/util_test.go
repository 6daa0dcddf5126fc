package report

import (
	"os"
	"path/filepath"
	"testing"
)

// keep writes a file to $KETNAP_KEEP_REPORT (a directory) for a person to look at.
func keep(t *testing.T, name string, b []byte) {
	t.Helper()
	if dir := os.Getenv("KETNAP_KEEP_REPORT"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Error(err)
		}
	}
}
