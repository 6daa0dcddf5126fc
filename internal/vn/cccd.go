package vn

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Citizen identity numbers (số CCCD, which is also the số định danh cá nhân).
//
// Thông tư 59/2021/TT-BCA (article 7 and its annex of codes) defines the 12
// digits as follows; numbers issued under it stay the same under the Luật
// Căn cước 2023 (in force 1/7/2024):
//
//	digits 1–3   code of the province where the birth was registered
//	digit  4     century and sex: 0/1 born 1900–1999 male/female,
//	             2/3 2000–2099, 4/5 2100–2199, 6/7 2200–2299, 8/9 2300–2399
//	digits 5–6   last two digits of the birth year
//	digits 7–12  random
//
// The province codes are those of the 63 provinces existing when numbers were
// first issued. A number never changes, so they stay valid after the 2025
// merger of provinces. Citizens whose birth was registered abroad carry a
// country code instead; this validator does not know those codes and rejects
// them.

// provinceCodes maps the province codes of Thông tư 59/2021/TT-BCA to the
// province names of that list.
var provinceCodes = map[string]string{
	"001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn",
	"008": "Tuyên Quang", "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu",
	"014": "Sơn La", "015": "Yên Bái", "017": "Hòa Bình", "019": "Thái Nguyên",
	"020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang", "025": "Phú Thọ",
	"026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
	"033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định",
	"037": "Ninh Bình", "038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh",
	"044": "Quảng Bình", "045": "Quảng Trị", "046": "Thừa Thiên Huế", "048": "Đà Nẵng",
	"049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định", "054": "Phú Yên",
	"056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
	"064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng",
	"070": "Bình Phước", "072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai",
	"077": "Bà Rịa - Vũng Tàu", "079": "Thành phố Hồ Chí Minh", "080": "Long An",
	"082": "Tiền Giang", "083": "Bến Tre", "084": "Trà Vinh", "086": "Vĩnh Long",
	"087": "Đồng Tháp", "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ",
	"093": "Hậu Giang", "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}

// CCCDProvince returns the name of the province encoded in the first three
// digits of a citizen identity number, as listed by Thông tư 59/2021/TT-BCA
// (the provinces before the 2025 merger), and false when s is not a valid
// number.
func CCCDProvince(s string) (string, bool) {
	if ValidCCCD(s) != nil {
		return "", false
	}
	return provinceCodes[strings.TrimSpace(s)[:3]], true
}

// ValidCCCD checks the form of a citizen identity number: after trimming
// surrounding spaces, exactly 12 ASCII digits whose first three are a known
// province code. The century/sex digit may be any digit here; use
// ValidCCCDFor to check it against the person. The error message is
// Vietnamese and names the field "Số CCCD".
func ValidCCCD(s string) error {
	s = strings.TrimSpace(s)
	if s == "" {
		return errors.New("Số CCCD chưa được nhập")
	}
	if !isDigits(s, 12, 12) {
		return errors.New("Số CCCD phải gồm đúng 12 chữ số")
	}
	if _, ok := provinceCodes[s[:3]]; !ok {
		return fmt.Errorf("Mã tỉnh %s trong số CCCD không hợp lệ", s[:3])
	}
	return nil
}

// ValidCCCDFor checks s with ValidCCCD and then checks that its 4th digit
// (century and sex) and its 5th and 6th digits (year) match the birth date
// and sex of the person. A zero birth time skips the second check.
func ValidCCCDFor(s string, birth time.Time, female bool) error {
	if err := ValidCCCD(s); err != nil {
		return err
	}
	if birth.IsZero() {
		return nil
	}
	year := birth.Year()
	if year < 1900 || year > 2399 {
		return fmt.Errorf("Năm sinh %d nằm ngoài khoảng mà số CCCD mã hóa được (1900–2399)", year)
	}
	sex := "nam"
	century := (year/100 - 19) * 2
	if female {
		century++
		sex = "nữ"
	}
	want := fmt.Sprintf("%d%02d", century, year%100)
	if got := strings.TrimSpace(s)[3:6]; got != want {
		return fmt.Errorf("Số CCCD không khớp với năm sinh %d và giới tính %s (chữ số thứ 4 đến 6 phải là %s, không phải %s)", year, sex, want, got)
	}
	return nil
}

// MaskCCCD hides the middle of a citizen identity number for lists and
// exports, keeping the first three digits (province) and the last three:
// "066190000123" → "066******123". Surrounding spaces are dropped. A value of
// six characters or fewer is entirely masked, so that nothing is revealed by
// a short or malformed entry.
func MaskCCCD(s string) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) <= 6 {
		return strings.Repeat("*", len(r))
	}
	return string(r[:3]) + strings.Repeat("*", len(r)-6) + string(r[len(r)-3:])
}
