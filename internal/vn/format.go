package vn

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Placeholder is shown where a value is missing (an em dash).
const Placeholder = "—"

// groupThousands inserts a dot every three digits, from the right, into a
// string of ASCII digits.
func groupThousands(digits string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	b.Grow(len(digits) + len(digits)/3)
	head := len(digits) % 3
	if head == 0 {
		head = 3
	}
	b.WriteString(digits[:head])
	for i := head; i < len(digits); i += 3 {
		b.WriteByte('.')
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

// Int formats n the Vietnamese way, with a dot as thousands separator:
// 1234567 → "1.234.567", -1500 → "-1.500".
func Int(n int) string {
	s := strconv.Itoa(n)
	if strings.HasPrefix(s, "-") {
		return "-" + groupThousands(s[1:])
	}
	return groupThousands(s)
}

// Percent formats a percentage for display: two decimals, a comma as decimal
// separator, dots between thousands and a space before the sign: 23.17 →
// "23,17 %", 1234.5 → "1.234,50 %". The caller passes a value already rounded
// the way the report requires; Percent only prints it (a value with more
// decimals is rounded to the nearest, as strconv does). A result that would
// read "-0,00 %" is printed "0,00 %". NaN and infinities, which mean "no
// meaningful value", print Placeholder.
func Percent(p float64) string {
	if math.IsNaN(p) || math.IsInf(p, 0) {
		return Placeholder
	}
	s := strconv.FormatFloat(p, 'f', 2, 64)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	intPart, frac, _ := strings.Cut(s, ".")
	out := groupThousands(intPart) + "," + frac + " %"
	if neg && strings.Trim(intPart+frac, "0") != "" {
		out = "-" + out
	}
	return out
}

// PercentPtr is Percent for an optional value: nil (no target set) prints
// Placeholder.
func PercentPtr(p *float64) string {
	if p == nil {
		return Placeholder
	}
	return Percent(*p)
}

// Date formats t as dd/mm/yyyy ("04/05/2024"), in t's own location. The zero
// time (no date) prints as "".
func Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("02/01/2006")
}

// vietnam is Vietnam's time (UTC+7, no daylight saving).
var vietnam = time.FixedZone("ICT", 7*3600)

// DateTime writes an instant as "10:00 ngày 04/05/2024" in Vietnam's time.
func DateTime(t time.Time) string {
	t = t.In(vietnam)
	return t.Format("15:04") + " ngày " + Date(t)
}

// ParseDate reads a date typed by a user. It accepts day/month/year with one
// or two digits for day and month ("04/05/2024", "4/5/2024") and the ISO form
// year-month-day ("2024-05-04"); surrounding spaces are ignored. The result is
// midnight UTC of that day. A malformed text or a day that does not exist
// (31/02/2024) gives an error whose message is Vietnamese and can be shown
// after the name of the field.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	var d, m, y string
	if parts := strings.Split(s, "/"); len(parts) == 3 {
		d, m, y = parts[0], parts[1], parts[2]
	} else if parts := strings.Split(s, "-"); len(parts) == 3 && len(parts[0]) == 4 {
		y, m, d = parts[0], parts[1], parts[2]
	} else {
		return time.Time{}, dateFormatError(s)
	}
	if !isDigits(d, 1, 2) || !isDigits(m, 1, 2) || !isDigits(y, 4, 4) {
		return time.Time{}, dateFormatError(s)
	}
	day, _ := strconv.Atoi(d)
	month, _ := strconv.Atoi(m)
	year, _ := strconv.Atoi(y)
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	// Before year 1000 it is a typing error, and 01/01/0001 would be Go's
	// zero time, which stands for "no date" everywhere (found by
	// FuzzParseDate): a date typed that way would vanish.
	if year < 1000 || t.Day() != day || int(t.Month()) != month {
		return time.Time{}, fmt.Errorf("không có ngày %02d/%02d/%04d trong lịch", day, month, year)
	}
	return t, nil
}

func dateFormatError(s string) error {
	if s == "" {
		return errors.New("chưa nhập ngày (nhập theo dạng ngày/tháng/năm, ví dụ 04/05/2024)")
	}
	return fmt.Errorf("%q không phải là ngày hợp lệ (nhập theo dạng ngày/tháng/năm, ví dụ 04/05/2024)", s)
}

// isDigits reports whether s is made of between lo and hi ASCII digits.
func isDigits(s string, lo, hi int) bool {
	if len(s) < lo || len(s) > hi {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// LongDate writes the place and date line of an official document:
// LongDate("Krông Pắc", t) → "Krông Pắc, ngày 04 tháng 5 năm 2024". With an
// empty place it returns only "ngày 04 tháng 5 năm 2024".
//
// Nghị định 30/2020/NĐ-CP on administrative documents (Phụ lục I, "Địa danh
// và thời gian ban hành văn bản") requires Arabic numerals and a leading 0 for
// days below 10 and for months 1 and 2: "ngày 04 tháng 01 năm 2024", "ngày 29
// tháng 02 năm 2024", "ngày 15 tháng 5 năm 2024", "ngày 10 tháng 12 năm
// 2024". Days 10 and above and months 3 to 12 are written as they are.
func LongDate(place string, t time.Time) string {
	month := strconv.Itoa(int(t.Month()))
	if t.Month() <= time.February {
		month = "0" + month
	}
	date := fmt.Sprintf("ngày %02d tháng %s năm %d", t.Day(), month, t.Year())
	if place = Clean(place); place != "" {
		return place + ", " + date
	}
	return date
}
