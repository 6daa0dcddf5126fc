package vn

import (
	"math"
	"strconv"
	"strings"
	"unicode"
)

// The rule for numbers with decimals, the same on every page, file and
// command (issue 14):
//
//   - a percentage has two decimals: "23,17 %" (Percent; CONTRACT
//     "Progress" rounds percents to two decimals);
//   - any other measured quantity (an average age, admissions a month) has
//     one decimal: "26,4", "13,9" (Decimal), and a number cell in a
//     workbook holds the value rounded the same way (Round1);
//   - counts are whole numbers with a dot between thousands (Int);
//   - a class score keeps the hundredths it was graded with (7,25;
//     domain.FormatMean), as the certificate prints it.

// Round1 rounds x to one decimal, half away from zero: the value Decimal
// prints, for a number cell of a workbook.
func Round1(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	// the value printed with 9 decimals first, so that 26.35 stored as
	// 26.349999… rounds as it reads.
	y, err := strconv.ParseFloat(strconv.FormatFloat(x*10, 'f', 9, 64), 64)
	if err != nil {
		y = x * 10
	}
	return math.Round(y) / 10
}

// Decimal formats a measured quantity that is not a percentage with one
// decimal, a comma as decimal separator and dots between thousands:
// 26.4 → "26,4", 13.57 → "13,6", 1234.5 → "1.234,5", 2 → "2,0". A result
// that would read "-0,0" is printed "0,0"; NaN and infinities print
// Placeholder.
func Decimal(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return Placeholder
	}
	s := strconv.FormatFloat(Round1(x), 'f', 1, 64)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	intPart, frac, _ := strings.Cut(s, ".")
	out := groupThousands(intPart) + "," + frac
	if neg && strings.Trim(intPart+frac, "0") != "" {
		out = "-" + out
	}
	return out
}

// DecimalPtr is Decimal for an optional value: nil prints Placeholder.
func DecimalPtr(x *float64) string {
	if x == nil {
		return Placeholder
	}
	return Decimal(*x)
}

// Slug makes the words of a file name from Vietnamese text: without
// diacritics (đ → d), lower case, every run of other characters one
// hyphen, the parts joined by hyphens, empty parts left out:
// Slug("Báo cáo hội nghị", "krongpac", "2024") →
// "bao-cao-hoi-nghi-krongpac-2024".
func Slug(parts ...string) string {
	var words []string
	for _, p := range parts {
		f := strings.FieldsFunc(Fold(p), func(r rune) bool {
			return !(r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)))
		})
		words = append(words, f...)
	}
	return strings.Join(words, "-")
}

// FileName is a download's file name: the Slug of the parts and the
// extension, "chi-tieu-2024.xlsx".
func FileName(ext string, parts ...string) string {
	s := Slug(parts...)
	if s == "" {
		s = "tep"
	}
	return s + "." + strings.TrimPrefix(ext, ".")
}
