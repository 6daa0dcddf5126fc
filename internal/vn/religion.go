package vn

import "fmt"

// Religion is a religion a person may declare.
type Religion struct {
	Code string // stable identifier stored in the database
	Name string // Vietnamese name shown to users
}

// Religion codes that other packages refer to.
const (
	ReligionNone  = "none"
	ReligionOther = "other"
)

// religions lists "no religion", the 16 religions recognised by the State
// (Ban Tôn giáo Chính phủ: 16 religions, over 40 registered organisations) and
// "other religion", for a declared faith outside that list, which must still
// be recordable.
var religions = []Religion{
	{ReligionNone, "Không"},
	{"buddhism", "Phật giáo"},
	{"catholicism", "Công giáo"},
	{"protestantism", "Tin Lành"},
	{"caodaism", "Cao Đài"},
	{"hoahao", "Phật giáo Hòa Hảo"},
	{"islam", "Hồi giáo"},
	{"bahai", "Baha'i"},
	{"tinhdocusi", "Tịnh độ Cư sĩ Phật hội Việt Nam"},
	{"buusonkyhuong", "Bửu Sơn Kỳ Hương"},
	{"tuanhieunghia", "Tứ Ân Hiếu Nghĩa"},
	{"hieunghiatalon", "Phật giáo Hiếu Nghĩa Tà Lơn"},
	{"minhsudao", "Minh Sư đạo"},
	{"minhlydao", "Minh Lý đạo – Tam Tông Miếu"},
	{"brahmanism", "Bà-la-môn"},
	{"adventist", "Cơ đốc Phục lâm (Giáo hội Phục lâm Việt Nam)"},
	{"mormon", "Mặc Môn (Các Thánh hữu Ngày sau)"},
	{ReligionOther, "Tôn giáo khác"},
}

// religionAliases are other names in common use, by code.
var religionAliases = map[string][]string{
	ReligionNone:     {"Không có", "Không tôn giáo"},
	"buddhism":       {"Đạo Phật"},
	"catholicism":    {"Thiên Chúa giáo", "Công giáo La Mã"},
	"protestantism":  {"Đạo Tin Lành"},
	"hoahao":         {"Hòa Hảo"},
	"islam":          {"Islam"},
	"bahai":          {"Bahá'í", "Tôn giáo Baha'i"},
	"tinhdocusi":     {"Tịnh độ Cư sĩ Phật hội"},
	"hieunghiatalon": {"Hiếu Nghĩa Tà Lơn"},
	"minhlydao":      {"Minh Lý đạo", "Tam Tông Miếu"},
	"brahmanism":     {"Bà-la-môn giáo"},
	"adventist":      {"Cơ đốc Phục lâm", "Phục lâm"},
	"mormon":         {"Mặc Môn", "Các Thánh hữu Ngày sau"},
	ReligionOther:    {"Khác"},
}

var (
	religionByCode = map[string]Religion{}
	religionByKey  = map[string]Religion{}
)

func init() {
	add := func(name string, r Religion) {
		k := matchKey(name)
		if prev, dup := religionByKey[k]; dup && prev != r {
			panic(fmt.Sprintf("vn: religion key %q is ambiguous (%s, %s)", k, prev.Code, r.Code))
		}
		religionByKey[k] = r
	}
	for _, r := range religions {
		religionByCode[r.Code] = r
		add(r.Name, r)
		add(r.Code, r)
	}
	for code, names := range religionAliases {
		for _, n := range names {
			add(n, religionByCode[code])
		}
	}
}

// Religions returns "Không", the 16 recognised religions and "Tôn giáo khác",
// in that order. The slice is a copy: callers may modify it.
func Religions() []Religion {
	return append([]Religion(nil), religions...)
}

// ReligionByCode returns the religion with the given code ("buddhism").
func ReligionByCode(code string) (Religion, bool) {
	r, ok := religionByCode[code]
	return r, ok
}

// FindReligion finds a religion by code or by name as users and spreadsheets
// write it, ignoring case, diacritics, spaces, hyphens and a leading "đạo"
// ("Đạo Cao Đài", "cao dai", "Công giáo", "Thiên Chúa giáo").
func FindReligion(nameOrCode string) (Religion, bool) {
	if r, ok := religionByCode[nameOrCode]; ok {
		return r, true
	}
	k := matchKey(nameOrCode)
	if k == "" {
		return Religion{}, false
	}
	r, ok := religionByKey[k]
	return r, ok
}
