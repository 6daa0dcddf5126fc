package service

import (
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

var (
	textCollMu sync.Mutex
	textColl   = collate.New(language.Vietnamese)
)

// compareText orders free text (organization names) by Vietnamese collation.
func compareText(a, b string) int {
	textCollMu.Lock()
	defer textCollMu.Unlock()
	return textColl.CompareString(a, b)
}
