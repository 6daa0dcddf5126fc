package service_test

import (
	"errors"
	"fmt"
	"os"
	"testing"

	"ketnap/internal/service"
	"ketnap/internal/testkit"
)

// demoDSN is the database of the demo district, shared by the package's
// demo tests; demoSkip says why they skip ("" when they do not).
var demoDSN, demoSkip string

func TestMain(m *testing.M) {
	d, err := os.MkdirTemp("", "ketnap-breakdowns")
	if err != nil {
		panic(err)
	}
	dsn, drop, err := testkit.SharedDSN(d)
	switch {
	case errors.Is(err, testkit.ErrSkip):
		demoSkip = err.Error()
	case err != nil:
		fmt.Fprintln(os.Stderr, err)
		os.RemoveAll(d)
		os.Exit(1)
	}
	demoDSN = dsn
	code := m.Run()
	if demoSvc != nil {
		service.StoreOf(demoSvc).Close()
	}
	if drop != nil {
		if err := drop(); err != nil {
			fmt.Fprintln(os.Stderr, "drop the demo database:", err)
			code = 1
		}
	}
	os.RemoveAll(d)
	os.Exit(code)
}
