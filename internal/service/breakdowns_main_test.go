package service_test

import (
	"os"
	"testing"
)

var demoDir string

func TestMain(m *testing.M) {
	d, err := os.MkdirTemp("", "ketnap-breakdowns")
	if err != nil {
		panic(err)
	}
	demoDir = d
	code := m.Run()
	if demoSvc != nil {
		demoSvc.Store.Close()
	}
	os.RemoveAll(d)
	os.Exit(code)
}
