package vn

import (
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestCleanNFDBecomesNFC(t *testing.T) {
	nfc := "Nguyễn"
	nfd := norm.NFD.String(nfc)
	if nfd == nfc || len(nfd) != 10 || len(nfc) != 8 {
		t.Fatalf("test input is not what it claims: NFD %d bytes, NFC %d bytes", len(nfd), len(nfc))
	}
	if got := Clean(nfd); got != nfc {
		t.Errorf("Clean(NFD) = %q (% x), want %q (% x)", got, got, nfc, nfc)
	}
}

func TestClean(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"   ", ""},
		{"Nguyễn Văn An", "Nguyễn Văn An"},
		{"  Nguyễn   Văn\tAn \n", "Nguyễn Văn An"},
		{"Trần\u00a0Thị\u00a0Ánh", "Trần Thị Ánh"}, // no-break spaces
		{"Lê\r\nVăn  Ân", "Lê Văn Ân"},
		{norm.NFD.String("  Đặng   Thị Ánh  "), "Đặng Thị Ánh"},
		{"H' Hen  Niê", "H' Hen Niê"},
	}
	for _, tt := range tests {
		if got := Clean(tt.in); got != tt.want {
			t.Errorf("Clean(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"NGUYỄN VĂN ĐỨC", "nguyen van duc"},
		{"Đặng", "dang"},
		{"Ê Đê", "e de"},
		{"Ê-đê", "e-de"},
		{"", ""},
		{norm.NFD.String("Nguyễn Thị Ánh"), "nguyen thi anh"},
		{"  Trần   Thị\tÁnh \n", "tran thi anh"},
		{"Ă Â Ê Ô Ơ Ư Đ", "a a e o o u d"},
		{"ắằẳẵặ ấầẩẫậ ếềểễệ ốồổỗộ ớờởỡợ ứừửữự ỳýỷỹỵ đ", "aaaaa aaaaa eeeee ooooo ooooo uuuuu yyyyy d"},
		{"Bửu Sơn Kỳ Hương", "buu son ky huong"},
		{"H'Hen Niê", "h'hen nie"},
		{"\u00d0ỗ Văn Hùng", "do van hung"}, // Ð (eth) from legacy font conversion
		{"Lớp 12A1", "lop 12a1"},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFoldMatchesAcrossForms(t *testing.T) {
	// The stored fold of a name and the fold of a query typed without marks
	// must be equal, whatever the case and normalisation of either side.
	stored := []string{"Đỗ Thị Dung", norm.NFD.String("Đỗ Thị Dung"), "ĐỖ THỊ DUNG", "đỗ thị dung"}
	for _, s := range stored {
		if got := Fold(s); got != Fold("do thi dung") {
			t.Errorf("Fold(%q) = %q, want %q", s, got, "do thi dung")
		}
	}
}

func TestEcho(t *testing.T) {
	long := strings.Repeat("Đ", 5000)
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"Nguyễn Văn Đức", "Nguyễn Văn Đức"},
		{strings.Repeat("ạ", EchoMax), strings.Repeat("ạ", EchoMax)},
		{long, strings.Repeat("Đ", EchoMax) + "…"},
	} {
		if got := Echo(c.in); got != c.want {
			t.Errorf("Echo(%d runes) = %q, want %q", len([]rune(c.in)), got, c.want)
		}
	}
}
