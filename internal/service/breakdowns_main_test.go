package service_test

import (
	"fmt"
	"os"
	"testing"

	"ketnap/internal/service"
)

// demoDrop removes the copy of the demo database the breakdown tests
// share (demoWorld), demoDir its directory.
var (
	demoDrop func() error
	demoDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if demoSvc != nil {
		service.StoreOf(demoSvc).Close()
	}
	if demoDrop != nil {
		if err := demoDrop(); err != nil {
			fmt.Fprintln(os.Stderr, "drop the demo database:", err)
			code = 1
		}
	}
	if demoDir != "" {
		os.RemoveAll(demoDir)
	}
	os.Exit(code)
}
