package importer

import "ketnap/internal/vn"

// fileSubjects name the kinds in the files a user downloads, in Vietnamese
// without diacritics.
var fileSubjects = map[string]string{
	KindOrgs:       "to-chuc",
	KindMembers:    "dang-vien",
	KindCandidates: "quan-chung",
	KindTargets:    "chi-tieu",
	KindReorg:      "sap-xep-to-chuc",
}

// ExportFileName is the name of a kind's export, with the unit and the
// year when given: "to-chuc.xlsx", "chi-tieu-2024.xlsx",
// "chi-tieu-krongpac-2024.xlsx".
func ExportFileName(kind string, parts ...string) string {
	subject := fileSubjects[kind]
	if subject == "" {
		subject = kind
	}
	return vn.FileName("xlsx", append([]string{subject}, parts...)...)
}

// TemplateFileName is the name of a kind's import template:
// "mau-nhap-quan-chung.xlsx".
func TemplateFileName(kind string) string {
	subject := fileSubjects[kind]
	if subject == "" {
		subject = kind
	}
	return vn.FileName("xlsx", "mau-nhap", subject)
}
