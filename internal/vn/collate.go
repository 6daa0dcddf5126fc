package vn

import (
	"bytes"
	"slices"
)

// Compare orders free text (organization and place names) with Vietnamese
// collation, word order unchanged. Use CompareNames for people.
//
// It cleans and collates both strings on every call: to sort a slice, use
// SortByText, which computes each key once.
func Compare(a, b string) int {
	nc := getCollator()
	defer putCollator(nc)
	return nc.c.CompareString(Clean(a), Clean(b))
}

// TextKey returns the collation key of free text: for any a and b,
// bytes.Compare(TextKey(a), TextKey(b)) equals Compare(a, b).
func TextKey(s string) []byte {
	nc := getCollator()
	defer putCollator(nc)
	return bytes.Clone(nc.c.KeyFromString(&nc.buf, Clean(s)))
}

// SortByText sorts items in place, stably, by first and then by the
// Vietnamese collation of text (the order of Compare). first may be nil;
// when it is not, it decides and the text only breaks its ties. Each
// item's text is cleaned and collated once, not on every comparison.
func SortByText[T any](items []T, text func(T) string, first func(a, b T) int) {
	type keyed struct {
		key  []byte
		item T
	}
	ks := make([]keyed, len(items))
	nc := getCollator()
	for i, it := range items {
		ks[i] = keyed{bytes.Clone(nc.c.KeyFromString(&nc.buf, Clean(text(it)))), it}
		nc.buf.Reset()
	}
	putCollator(nc)
	slices.SortStableFunc(ks, func(a, b keyed) int {
		if first != nil {
			if c := first(a.item, b.item); c != 0 {
				return c
			}
		}
		return bytes.Compare(a.key, b.key)
	})
	for i := range ks {
		items[i] = ks[i].item
	}
}
