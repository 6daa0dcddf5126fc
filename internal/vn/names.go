package vn

import (
	"bytes"
	"slices"
	"strings"
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// Name ordering.
//
// Vietnamese lists of people are ordered by the given name (tên), which is
// the last word of the full name, and then by the rest of the name (family
// name and middle names, họ và tên đệm), each part compared with Vietnamese
// collation: a < ă < â, d < đ, e < ê, o < ô < ơ, u < ư, and tones are
// a secondary difference ordered ngang, huyền, hỏi, ngã, sắc, nặng. So
// "An, Anh, Ánh, Ân, Ấn, Bùi, Dương, Đinh, Đỗ" is the order, whereas sorting
// by bytes would push every name starting with Â, Ă, Đ, Ô or Ơ after Z.
//
// Names of the Central Highlands peoples (Ê Đê, Gia Rai, M'nông...) put the
// clan name last and may carry a sex prefix written separately ("H' Hen Niê",
// "Y Ngông Niê Kdăm"). We deliberately still treat the last word as the given
// name: that is how these names are sorted in Vietnamese administrative lists,
// which order mechanically by the last word, and any heuristic guessing the
// naming system from the words would misorder Kinh names that happen to look
// alike. A prefix such as "H'" or "Y" is simply part of the rest of the name.

// collators holds Vietnamese collators. A *collate.Collator keeps iteration
// state and is not safe for concurrent use, so each call borrows one.
var collators = sync.Pool{
	New: func() any {
		return &nameCollator{c: collate.New(language.Vietnamese)}
	},
}

// nameCollator pairs a collator with its key buffer.
type nameCollator struct {
	c   *collate.Collator
	buf collate.Buffer
}

func getCollator() *nameCollator { return collators.Get().(*nameCollator) }

func putCollator(nc *nameCollator) {
	nc.buf.Reset()
	collators.Put(nc)
}

// splitName cleans full and returns its given name (last word) and the rest
// (all preceding words, single-space separated).
func splitName(full string) (given, rest string) {
	full = Clean(full)
	i := strings.LastIndexByte(full, ' ')
	if i < 0 {
		return full, ""
	}
	return full[i+1:], full[:i]
}

// GivenName returns the given name (tên) of a full Vietnamese name: its last
// word after cleaning. It returns "" for an empty or blank name. For names
// of the Central Highlands peoples the last word is the clan name; see the
// package notes on name ordering for why it is still used.
func GivenName(full string) string {
	given, _ := splitName(full)
	return given
}

// CompareNames compares two full names the Vietnamese way: by given name
// first, then by the rest of the name (family and middle names), each with
// Vietnamese collation. It returns -1, 0 or +1. Names are cleaned first, so
// NFD input or extra spaces do not change the result.
//
// The result always agrees with bytes.Compare on the SortKey of both names.
func CompareNames(a, b string) int {
	ga, ra := splitName(a)
	gb, rb := splitName(b)
	nc := getCollator()
	defer putCollator(nc)
	if c := nc.c.CompareString(ga, gb); c != 0 {
		return c
	}
	return nc.c.CompareString(ra, rb)
}

// SortKeyVersion identifies the encoding of SortKey together with the
// collation tables (CLDR and Unicode versions of golang.org/x/text) it is
// derived from. Store it alongside the keys, for instance in a settings row,
// and recompute every stored key when it changes (after upgrading x/text).
const SortKeyVersion = "vn1-cldr" + collate.CLDRVersion + "-unicode" + collate.UnicodeVersion

// SortKey returns a byte string whose byte order is the order of CompareNames:
// for any names a and b, bytes.Compare(SortKey(a), SortKey(b)) equals
// CompareNames(a, b). Store it in a BLOB (SQLite) or bytea (PostgreSQL)
// column, both of which compare as raw bytes, and ORDER BY it. If it must live
// in a text column, hex-encode it and order with COLLATE "C" (PostgreSQL) or
// BINARY (SQLite).
//
// The key is the collation key of the given name followed by that of the
// rest, each escaped (0x00 → 0x00 0xFF) and terminated by 0x00 0x01, so that
// a given name that is a prefix of another ("An", "Anh") still sorts first
// whatever follows it.
func SortKey(full string) []byte {
	given, rest := splitName(full)
	nc := getCollator()
	defer putCollator(nc)
	key := make([]byte, 0, 4*(len(given)+len(rest))+8)
	key = appendEscaped(key, nc.c.KeyFromString(&nc.buf, given))
	nc.buf.Reset()
	key = appendEscaped(key, nc.c.KeyFromString(&nc.buf, rest))
	return key
}

// appendEscaped appends k to dst in an order-preserving, prefix-free form.
func appendEscaped(dst, k []byte) []byte {
	for _, c := range k {
		if c == 0 {
			dst = append(dst, 0, 0xFF)
			continue
		}
		dst = append(dst, c)
	}
	return append(dst, 0, 1)
}

// SortNames sorts full names in place in CompareNames order. It computes each
// key once, so it is the cheap way to sort a long slice in Go.
func SortNames(names []string) {
	SortByName(names, func(s string) string { return s })
}

// SortByName sorts items in place by the full name that name returns, in
// CompareNames order. The sort is stable, so items whose names compare equal
// keep their input order (sort them by id first for a deterministic list).
func SortByName[T any](items []T, name func(T) string) {
	type keyed struct {
		key  []byte
		item T
	}
	ks := make([]keyed, len(items))
	for i, it := range items {
		ks[i] = keyed{SortKey(name(it)), it}
	}
	slices.SortStableFunc(ks, func(a, b keyed) int { return bytes.Compare(a.key, b.key) })
	for i := range ks {
		items[i] = ks[i].item
	}
}
