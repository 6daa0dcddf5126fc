package service

import (
	"embed"
	"strings"
	"unicode"
	"unicode/utf8"

	"ketnap/internal/domain"
	"ketnap/internal/vn"
)

// The password policy (issue 13): at least minPassword characters, not a
// common password, not a common word or a run of Vietnamese name
// syllables with digits and symbols around it ("matkhau2024",
// "nguyenvanan1990"), not a keyboard run or one character repeated, not
// the username. Hashes made under the earlier policy keep working: the
// policy judges a password only when it is set.

// minPassword is the shortest password accepted.
const minPassword = 10

//go:embed passwords/*.txt
var passwordFiles embed.FS

// passwordLists are the embedded lists, normalised (passwordKey).
var passwordLists = func() (l struct{ common, words, names map[string]bool }) {
	read := func(name string, split bool) map[string]bool {
		b, err := passwordFiles.ReadFile("passwords/" + name)
		if err != nil {
			panic(err)
		}
		m := map[string]bool{}
		for line := range strings.Lines(string(b)) {
			line = strings.TrimSpace(line)
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			if split {
				for _, w := range strings.Fields(line) {
					m[passwordKey(w)] = true
				}
				continue
			}
			m[passwordKey(line)] = true
		}
		return m
	}
	l.common, l.words, l.names = read("common.txt", false), read("words.txt", false), read("names.txt", true)
	return l
}()

// passwordKey is how passwords are compared with the lists: lower case,
// without diacritics (đ → d), letters and digits only.
func passwordKey(s string) string {
	var b strings.Builder
	for _, r := range vn.Fold(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// keyboardRuns are sequences whose runs of 6 or more make a weak password.
var keyboardRuns = []string{"01234567890", "9876543210", "abcdefghijklmnopqrstuvwxyz", "zyxwvutsrqponmlkjihgfedcba",
	"qwertyuiop", "poiuytrewq", "asdfghjkl", "lkjhgfdsa", "zxcvbnm", "mnbvcxz", "1qaz2wsx3edc4rfv5tgb", "qazwsxedcrfvtgb"}

// CheckPassword judges a new password for the user (username may be ""),
// with a Vietnamese message on the field "password".
func CheckPassword(password, username string) error {
	if utf8.RuneCountInString(password) < minPassword {
		return domain.FieldError("password", "Mật khẩu phải có ít nhất %d ký tự", minPassword)
	}
	if strings.TrimSpace(password) != password {
		return domain.FieldError("password", "Mật khẩu không được bắt đầu hay kết thúc bằng dấu cách")
	}
	key := passwordKey(password)
	weak := func(why string) error {
		return domain.FieldError("password", "Mật khẩu quá dễ đoán (%s). Hãy chọn một câu dài mà chỉ bạn biết, ví dụ ghép bốn từ không liên quan đến nhau", why)
	}
	if passwordLists.common[key] {
		return weak("nằm trong danh sách mật khẩu thường gặp")
	}
	base := strings.TrimFunc(key, unicode.IsDigit)
	switch {
	case base == "":
		return weak("chỉ gồm chữ số hoặc ký hiệu")
	case passwordLists.words[base]:
		return weak("là một từ thường gặp thêm chữ số hoặc ký hiệu")
	case nameSyllables(base):
		return weak("là họ tên thêm chữ số, năm sinh hoặc ký hiệu")
	case repeated(key):
		return weak("lặp lại một vài ký tự")
	case keyboardRun(key):
		return weak("là một dãy phím hoặc dãy số liền nhau")
	}
	if u := passwordKey(username); len(u) >= 4 && strings.Contains(key, u) {
		return weak("chứa tên đăng nhập")
	}
	return nil
}

// nameSyllables reports whether s is made of 1 to 5 syllables of common
// Vietnamese names.
func nameSyllables(s string) bool {
	// best[i]: fewest syllables that make s[:i], or -1
	best := make([]int, len(s)+1)
	for i := range best {
		best[i] = -1
	}
	best[0] = 0
	for i := 1; i <= len(s); i++ {
		for j := max(0, i-6); j < i; j++ {
			if best[j] >= 0 && passwordLists.names[s[j:i]] && (best[i] < 0 || best[j]+1 < best[i]) {
				best[i] = best[j] + 1
			}
		}
	}
	return best[len(s)] >= 1 && best[len(s)] <= 5
}

// repeated reports whether s is a run of a unit of 1 to 4 characters
// ("aaaaaaaaaa", "abababab", "12341234").
func repeated(s string) bool {
	for n := 1; n <= 4 && n < len(s); n++ {
		if strings.Repeat(s[:n], len(s)/n+1)[:len(s)] == s {
			return true
		}
	}
	return false
}

// keyboardRun reports whether s is made mostly (all but 3 characters) of
// one keyboard or alphabet run.
func keyboardRun(s string) bool {
	for _, run := range keyboardRuns {
		for i := 0; i+6 <= len(run); i++ {
			for j := len(run); j >= i+6; j-- {
				if len(s)-(j-i) <= 3 && strings.Contains(s, run[i:j]) {
					return true
				}
			}
		}
	}
	return false
}
