package vn

import (
	"fmt"
	"strings"
)

// Ethnicity is one of the 54 ethnic groups (dân tộc) of Vietnam.
type Ethnicity struct {
	Code string // two digits, "01" to "54"
	Name string // official Vietnamese name
}

// KinhCode is the code of the Kinh (Việt) majority.
const KinhCode = "01"

// ethnicities is the Danh mục các thành phần dân tộc Việt Nam issued by
// Quyết định 121-TCTK/PPCĐ of 2 March 1979, in its order and with its codes,
// which the 2019 survey of the 53 minorities (Ủy ban Dân tộc and Tổng cục
// Thống kê) still follows. Spellings vary between publications (HMông / Mông,
// Co Lao / Cờ Lao, Tà-ôi / Ta-ôi...); the alternative forms are accepted by
// FindEthnicity.
//
// Beware: the statistical list of Quyết định 1019/QĐ-TCTK (2008) numbers the
// same 54 groups differently (04 Mường, 05 Khơ-me, 06 Hoa, 11 Ê-đê...). Codes
// from a system using that list must be mapped by name, never copied.
var ethnicities = []Ethnicity{
	{"01", "Kinh"}, {"02", "Tày"}, {"03", "Thái"}, {"04", "Hoa"},
	{"05", "Khơ-me"}, {"06", "Mường"}, {"07", "Nùng"}, {"08", "HMông"},
	{"09", "Dao"}, {"10", "Gia-rai"}, {"11", "Ngái"}, {"12", "Ê-đê"},
	{"13", "Ba-na"}, {"14", "Xơ-Đăng"}, {"15", "Sán Chay"}, {"16", "Cơ-ho"},
	{"17", "Chăm"}, {"18", "Sán Dìu"}, {"19", "Hrê"}, {"20", "Mnông"},
	{"21", "Ra-glai"}, {"22", "Xtiêng"}, {"23", "Bru-Vân Kiều"}, {"24", "Thổ"},
	{"25", "Giáy"}, {"26", "Cơ-tu"}, {"27", "Gié-Triêng"}, {"28", "Mạ"},
	{"29", "Khơ-mú"}, {"30", "Co"}, {"31", "Tà-ôi"}, {"32", "Chơ-ro"},
	{"33", "Kháng"}, {"34", "Xinh-mun"}, {"35", "Hà Nhì"}, {"36", "Chu-ru"},
	{"37", "Lào"}, {"38", "La Chí"}, {"39", "La Ha"}, {"40", "Phù Lá"},
	{"41", "La Hủ"}, {"42", "Lự"}, {"43", "Lô Lô"}, {"44", "Chứt"},
	{"45", "Mảng"}, {"46", "Pà Thẻn"}, {"47", "Co Lao"}, {"48", "Cống"},
	{"49", "Bố Y"}, {"50", "Si La"}, {"51", "Pu Péo"}, {"52", "Brâu"},
	{"53", "Ơ Đu"}, {"54", "Rơ-măm"},
}

// ethnicityAliases are other names in common use, by code. Spelling variants
// that differ only by tone marks, hyphens, spaces or apostrophes need no entry
// here: FindEthnicity ignores those differences.
var ethnicityAliases = map[string][]string{
	"01": {"Việt"},
	"04": {"Hán"},
	"05": {"Khmer"},
	"08": {"Mông", "Hmong"},
	"10": {"Jrai", "Jarai"},
	"12": {"Ra-đê", "Rhade"},
	"13": {"Bahnar"},
	"14": {"Sedang"},
	"16": {"K'Ho", "Koho"},
	"17": {"Chàm"},
	"22": {"Stiêng"},
	"23": {"Vân Kiều", "Bru"},
	"26": {"Katu"},
	"29": {"Khmu"},
	"47": {"Cờ Lao", "Cơ Lao"},
}

var (
	ethnicityByCode = map[string]Ethnicity{}
	ethnicityByKey  = map[string]Ethnicity{}
)

func init() {
	add := func(name string, e Ethnicity) {
		k := matchKey(name)
		if prev, dup := ethnicityByKey[k]; dup && prev != e {
			panic(fmt.Sprintf("vn: ethnicity key %q is ambiguous (%s, %s)", k, prev.Code, e.Code))
		}
		ethnicityByKey[k] = e
	}
	for _, e := range ethnicities {
		ethnicityByCode[e.Code] = e
		add(e.Name, e)
	}
	for code, names := range ethnicityAliases {
		for _, n := range names {
			add(n, ethnicityByCode[code])
		}
	}
}

// matchKey reduces a name to the form used to look it up: folded, without
// parenthesised parts ("Kinh (Việt)"), spaces, hyphens, apostrophes or dots,
// and without a leading "dân tộc" or "đạo" ("Dân tộc Tày", "Đạo Cao Đài").
func matchKey(s string) string {
	f := Fold(dropParens(s))
	for _, p := range []string{"dan toc ", "dao "} {
		if rest, ok := strings.CutPrefix(f, p); ok && rest != "" {
			f = rest
			break
		}
	}
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '–', '\'', '’', '‘', 'ʼ', '.':
			return -1
		}
		return r
	}, f)
}

// dropParens removes every "(...)" part of s, and anything after an
// unbalanced "(".
func dropParens(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '(':
			depth++
		case r == ')' && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// normCode turns "1", "01" or " 01 " into "01"; anything else into "".
func normCode(s string) string {
	s = strings.TrimSpace(s)
	switch {
	case isDigits(s, 2, 2):
		return s
	case isDigits(s, 1, 1):
		return "0" + s
	}
	return ""
}

// Ethnicities returns the 54 ethnic groups in the order of their codes. The
// slice is a copy: callers may modify it.
func Ethnicities() []Ethnicity {
	return append([]Ethnicity(nil), ethnicities...)
}

// EthnicityByCode returns the ethnic group with the given code ("12"; a
// single digit such as "1" is read as "01").
func EthnicityByCode(code string) (Ethnicity, bool) {
	e, ok := ethnicityByCode[normCode(code)]
	return e, ok
}

// FindEthnicity finds an ethnic group by code or by name as users and
// spreadsheets write it: case, diacritics, đ, hyphens, spaces and apostrophes
// do not matter, a leading "dân tộc" is ignored, and common other names are
// known ("Ê Đê", "ede", "Ê-đê", "Rhade" all give 12; "Mông" and "H'Mông"
// give 08; "Việt" gives 01).
func FindEthnicity(nameOrCode string) (Ethnicity, bool) {
	if code := normCode(nameOrCode); code != "" {
		return EthnicityByCode(code)
	}
	k := matchKey(nameOrCode)
	if k == "" {
		return Ethnicity{}, false
	}
	e, ok := ethnicityByKey[k]
	return e, ok
}

// IsMinority reports whether code is that of an ethnic minority: any of the
// 54 groups except Kinh. An unknown code is not a minority.
func IsMinority(code string) bool {
	e, ok := EthnicityByCode(code)
	return ok && e.Code != KinhCode
}
