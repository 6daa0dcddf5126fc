package vn

import (
	"bytes"
	"slices"
	"testing"
)

// The precomputed keys give exactly the order of Compare, on the letters
// and tones that byte order gets wrong and on NFD input.
func TestSortByTextAgreesWithCompare(t *testing.T) {
	names := []string{"Chi bộ Ông Ích", "Chi bộ Ấp Bắc", "Chi bộ An", "Chi bộ Ăn", "Chi bộ Ân", "Chi bộ Đông",
		"Chi bộ Dương", "Chi bộ Ơn", "Chi bộ Ôn", "Chi bộ On", "Chi bộ Ư", "Chi bộ U", "chi bộ an",
		"Chi bộ A\u0300n", "Chi bộ Àn", "Chi bộ Án", "Chi bộ Ản", "Chi bộ Ãn", "Chi bộ Ạn", "  Chi  bộ An ", "Xã Ea Phê"}
	for _, a := range names {
		for _, b := range names {
			if got, want := bytes.Compare(TextKey(a), TextKey(b)), Compare(a, b); got != want {
				t.Errorf("TextKey order of %q, %q = %d, Compare = %d", a, b, got, want)
			}
		}
	}
	got := slices.Clone(names)
	SortByText(got, func(s string) string { return s }, nil)
	want := slices.Clone(names)
	slices.SortStableFunc(want, Compare)
	if !slices.Equal(got, want) {
		t.Fatalf("SortByText = %q\nwant %q", got, want)
	}
	if got[0] != "chi bộ an" || got[len(got)-1] != "Xã Ea Phê" {
		t.Errorf("first and last: %q, %q", got[0], got[len(got)-1])
	}
	// first decides; the text only breaks its ties.
	byLen := slices.Clone(names)
	SortByText(byLen, func(s string) string { return s }, func(a, b string) int { return len(b) - len(a) })
	for i := 1; i < len(byLen); i++ {
		if d := len(byLen[i-1]) - len(byLen[i]); d < 0 || d == 0 && Compare(byLen[i-1], byLen[i]) > 0 {
			t.Fatalf("not by length then text at %d: %q", i, byLen)
		}
	}
}

func BenchmarkSortChildren(b *testing.B) {
	var names []string
	for _, a := range []string{"Ea Phê", "Ea Kuăng", "Krông Búk", "Phước An", "Hòa An", "Ea Yông", "Ea Knuếc", "Vụ Bổn", "Ea Uy", "Ea Hiu"} {
		for _, k := range []string{"Chi bộ thôn ", "Đảng bộ xã ", "Chi bộ Trường THCS ", "Chi bộ buôn "} {
			names = append(names, k+a)
		}
	}
	b.Run("compare", func(b *testing.B) {
		for b.Loop() {
			s := slices.Clone(names)
			slices.SortStableFunc(s, Compare)
		}
	})
	b.Run("keys", func(b *testing.B) {
		for b.Loop() {
			s := slices.Clone(names)
			SortByText(s, func(s string) string { return s }, nil)
		}
	})
}
