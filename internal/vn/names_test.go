package vn

import (
	"bytes"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/unicode/norm"
)

func TestGivenName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Nguyễn Văn An", "An"},
		{"  Phạm   Đức ", "Đức"},
		{"Lan", "Lan"},
		{"", ""},
		{"   ", ""},
		{"H' Hen Niê", "Niê"},
		{"Y Ngông Niê Kdăm", "Kdăm"},
		{norm.NFD.String("Trần Thị Ánh"), "Ánh"},
	}
	for _, tt := range tests {
		if got := GivenName(tt.in); got != tt.want {
			t.Errorf("GivenName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// vietnameseOrder is written out by hand: by given name with a < ă < â,
// d < đ, o < ô < ơ, u < ư and tones ordered ngang, huyền, hỏi, ngã, sắc,
// nặng; then by family and middle names.
var vietnameseOrder = []string{
	"Nguyễn Văn An",
	"Lê Anh",
	"Trần Thị Ánh",
	"Lê Văn Ân",
	"Hà Văn Ẩn",
	"Bế Văn Bình",
	"Đỗ Thị Dung",
	"Nguyễn Văn Dũng",
	"Phạm Đức",
	"Bùi Thị Hoa",
	"Đặng Thị Hoa",
	"Nguyễn Thị Hoa",
	"H' Hen Niê",
	"Trần Thị Oanh",
	"Lò Văn Ơn",
	"Nguyễn Văn Út",
	"Phan Văn Út",
	"Đinh Văn Ưng",
}

func shuffled(s []string, seed uint64) []string {
	out := slices.Clone(s)
	r := rand.New(rand.NewPCG(seed, 7))
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

func TestCompareNamesOrder(t *testing.T) {
	// Sorting by bytes must get this list wrong, or the test proves nothing.
	bytewise := slices.Clone(vietnameseOrder)
	slices.Sort(bytewise)
	if slices.Equal(bytewise, vietnameseOrder) {
		t.Fatal("expected order is also the byte order; the test is too weak")
	}
	for seed := range uint64(20) {
		in := shuffled(vietnameseOrder, seed)
		got := slices.Clone(in)
		slices.SortFunc(got, CompareNames)
		if !slices.Equal(got, vietnameseOrder) {
			t.Fatalf("sorted with CompareNames:\n got %q\nwant %q", got, vietnameseOrder)
		}
		got = slices.Clone(in)
		SortNames(got)
		if !slices.Equal(got, vietnameseOrder) {
			t.Fatalf("SortNames:\n got %q\nwant %q", got, vietnameseOrder)
		}
		keyed := slices.Clone(in)
		slices.SortFunc(keyed, func(a, b string) int { return bytes.Compare(SortKey(a), SortKey(b)) })
		if !slices.Equal(keyed, vietnameseOrder) {
			t.Fatalf("sorted by SortKey bytes:\n got %q\nwant %q", keyed, vietnameseOrder)
		}
	}
}

func TestCompareNamesPairs(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"Nguyễn Văn An", "Nguyễn Văn An", 0},
		{"Nguyễn Văn An", norm.NFD.String("Nguyễn Văn An"), 0},
		{"  Nguyễn  Văn An ", "Nguyễn Văn An", 0},
		{"Trần An", "Trần Ă", -1},
		{"Trần Ă", "Trần Ân", -1},
		{"Trần Ân", "Trần Ấn", -1},
		{"Trần Dương", "Trần Đinh", -1},
		{"Trần Đinh", "Trần Đỗ", -1},
		{"Nguyễn Văn U", "Nguyễn Văn Ư", -1},
		{"Trần Ô", "Trần Ơ", -1},
		{"Zơ An", "Ân", -1},           // given name first, whatever the family name
		{"Lê Văn An", "Lê An", 1},     // "Lê" < "Lê Văn": a shorter rest first
		{"Trần An", "Nguyễn Anh", -1}, // "An" is a prefix of "Anh"
		{"Đỗ Hoa", "Bùi Hoa", 1},
		{"Phạm Đức", "Phạm Dung", 1},
		{"", "An", -1},
	}
	for _, tt := range tests {
		if got := CompareNames(tt.a, tt.b); got != tt.want {
			t.Errorf("CompareNames(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := CompareNames(tt.b, tt.a); got != -tt.want {
			t.Errorf("CompareNames(%q, %q) = %d, want %d", tt.b, tt.a, got, -tt.want)
		}
		if got := bytes.Compare(SortKey(tt.a), SortKey(tt.b)); got != tt.want {
			t.Errorf("bytes.Compare(SortKey(%q), SortKey(%q)) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

var (
	testFamilies = []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ",
		"Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Y", "H'", "Ông", "Ưng", "Âu"}
	testMiddles = []string{"", "Văn", "Thị", "Hữu", "Đức", "Thành", "Minh", "Ngọc", "Thu", "Thị Ngọc",
		"Văn Ân", "Anh"}
	testGivens = []string{"An", "Anh", "Ánh", "Ảnh", "Ăn", "Ân", "Ấn", "Bình", "Dung", "Dũng", "Đức",
		"Đạt", "Hà", "Hạ", "Hải", "Hoa", "Hòa", "Hùng", "Hưng", "Lan", "Linh", "Long", "Oanh", "Ơn",
		"Ông", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tú", "Tư", "U", "Út", "Ư", "Ưng",
		"Vy", "Yến", "AN", "an", "Niê", "Kdăm"}
)

func randomName(r *rand.Rand) string {
	parts := []string{testFamilies[r.IntN(len(testFamilies))]}
	if m := testMiddles[r.IntN(len(testMiddles))]; m != "" {
		parts = append(parts, m)
	}
	parts = append(parts, testGivens[r.IntN(len(testGivens))])
	if r.IntN(8) == 0 { // sometimes only a given name
		parts = parts[len(parts)-1:]
	}
	return strings.Join(parts, " ")
}

// referenceCompare is an independent statement of the ordering rule.
func referenceCompare(c *collate.Collator, a, b string) int {
	wa, wb := strings.Fields(a), strings.Fields(b)
	ga, gb := wa[len(wa)-1], wb[len(wb)-1]
	if r := c.CompareString(ga, gb); r != 0 {
		return r
	}
	return c.CompareString(strings.Join(wa[:len(wa)-1], " "), strings.Join(wb[:len(wb)-1], " "))
}

func TestSortKeyAgreesWithCompareNames(t *testing.T) {
	ref := collate.New(language.Vietnamese)
	r := rand.New(rand.NewPCG(2024, 5))
	const pairs = 20000
	var less, equal, greater int
	for range pairs {
		a, b := randomName(r), randomName(r)
		if r.IntN(20) == 0 {
			b = a
		}
		want := referenceCompare(ref, a, b)
		if got := CompareNames(a, b); got != want {
			t.Fatalf("CompareNames(%q, %q) = %d, reference says %d", a, b, got, want)
		}
		if got := bytes.Compare(SortKey(a), SortKey(b)); got != want {
			t.Fatalf("bytes.Compare(SortKey(%q), SortKey(%q)) = %d, want %d", a, b, got, want)
		}
		switch want {
		case -1:
			less++
		case 0:
			equal++
		case 1:
			greater++
		}
	}
	if less == 0 || equal == 0 || greater == 0 {
		t.Fatalf("random pairs do not exercise all outcomes: %d <, %d =, %d >", less, equal, greater)
	}
}

func TestSortNamesMatchesSortFunc(t *testing.T) {
	r := rand.New(rand.NewPCG(30, 2020))
	names := make([]string, 2000)
	for i := range names {
		names[i] = randomName(r)
	}
	a, b := slices.Clone(names), slices.Clone(names)
	slices.SortFunc(a, CompareNames)
	SortNames(b)
	if !slices.Equal(a, b) {
		t.Fatal("SortNames and slices.SortFunc(CompareNames) disagree")
	}
}

func TestSortByNameIsStable(t *testing.T) {
	type person struct {
		id   int
		name string
	}
	people := []person{{1, "Trần Văn Bình"}, {2, "Lê Thị An"}, {3, "Trần Văn Bình"}, {4, "Đỗ An"}}
	SortByName(people, func(p person) string { return p.name })
	var ids []int
	for _, p := range people {
		ids = append(ids, p.id)
	}
	if want := []int{4, 2, 1, 3}; !slices.Equal(ids, want) {
		t.Errorf("SortByName order = %v, want %v", ids, want)
	}
}

func TestNamesConcurrentUse(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	type pair struct {
		a, b string
		want int
		key  []byte
	}
	ps := make([]pair, 300)
	for i := range ps {
		a, b := randomName(r), randomName(r)
		ps[i] = pair{a, b, CompareNames(a, b), SortKey(a)}
	}
	var wg sync.WaitGroup
	errs := make(chan string, 16)
	for range 16 {
		wg.Go(func() {
			for range 20 {
				for _, p := range ps {
					if CompareNames(p.a, p.b) != p.want || !bytes.Equal(SortKey(p.a), p.key) {
						select {
						case errs <- p.a + " / " + p.b:
						default:
						}
						return
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Errorf("concurrent use gave a different result for %s", e)
	}
}

func TestSortKeyVersion(t *testing.T) {
	if !strings.HasPrefix(SortKeyVersion, "vn1-cldr") || strings.Contains(SortKeyVersion, " ") {
		t.Errorf("SortKeyVersion = %q", SortKeyVersion)
	}
}

// TestAppendEscapedPreservesTupleOrder checks the composite encoding on raw
// byte strings full of zeros and prefixes, which collation keys rarely
// produce: the order of encoded pairs must be the lexicographic order of the
// pairs, and no encoding may be a prefix of another.
func TestAppendEscapedPreservesTupleOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	alphabet := []byte{0, 0, 0, 1, 2, 0xFE, 0xFF}
	randBytes := func() []byte {
		b := make([]byte, r.IntN(4))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		return b
	}
	enc := func(a, b []byte) []byte { return appendEscaped(appendEscaped(nil, a), b) }
	for range 20000 {
		a1, a2, b1, b2 := randBytes(), randBytes(), randBytes(), randBytes()
		want := bytes.Compare(a1, b1)
		if want == 0 {
			want = bytes.Compare(a2, b2)
		}
		if got := bytes.Compare(enc(a1, a2), enc(b1, b2)); got != want {
			t.Fatalf("(%x,%x) vs (%x,%x): encoded order %d, want %d", a1, a2, b1, b2, got, want)
		}
	}
	// The case plain concatenation gets wrong: a first part that is a prefix
	// of the other first part.
	if bytes.Compare(enc([]byte{1}, []byte{9}), enc([]byte{1, 0}, nil)) >= 0 {
		t.Error("(01, 09) must sort before (01 00, empty)")
	}
}
