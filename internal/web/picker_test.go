package web_test

import (
	"regexp"
	"strings"
	"testing"

	"ketnap/internal/domain"
)

var datalistRE = regexp.MustCompile(`(?s)<datalist id="org-list" data-org-search>(.*?)</datalist>`)

// The pages that ask for a unit offer a picker of the units within the
// user's scope by name (issue 16: no unit code typed blind): the input
// names the list, the list carries each unit's code with its name, and
// nothing outside the scope.
func TestUnitPickersOfferTheScope(t *testing.T) {
	e := newEnv(t)
	e.tree()
	e.user("tochuc-kp", domain.RoleOrganizer, "kp")
	e.user("bithu-a", domain.RoleSecretary, "kp-a")
	pages := []string{"/nguoi", "/nguoi/moi", "/ho-so", "/ho-so/quyet-dinh", "/ho-so/du-bi", "/lop-hoc/moi", "/ho-so/hop-chi-bo", "/viec-can-lam", "/lop-hoc/bao-cao", "/chi-tieu"}
	for _, tc := range []struct {
		user     string
		want     []string
		notWants []string
	}{
		{"tochuc-kp", []string{`<option value="kp">Đảng bộ huyện Krông Pắc</option>`, `<option value="kp-b">Chi bộ Buôn Hai</option>`}, []string{`value="dl"`}},
		{"bithu-a", []string{`<option value="kp-a">Chi bộ Ấp Một</option>`}, []string{`value="kp"`, `value="kp-b"`, `value="dl"`}},
	} {
		c := e.client()
		c.login(tc.user)
		for _, path := range pages {
			p := c.get(path)
			if p.status != 200 {
				if tc.user == "bithu-a" && p.status == 403 {
					continue // a page the secretary is not offered
				}
				t.Errorf("%s %s: %d", tc.user, path, p.status)
				continue
			}
			m := datalistRE.FindAllStringSubmatch(p.body, -1)
			if len(m) != 1 {
				t.Errorf("%s %s: %d unit lists", tc.user, path, len(m))
				continue
			}
			if !strings.Contains(p.body, `list="org-list"`) {
				t.Errorf("%s %s: no input uses the unit list", tc.user, path)
			}
			for _, w := range tc.want {
				if !strings.Contains(m[0][1], w) {
					t.Errorf("%s %s: the unit list lacks %s", tc.user, path, w)
				}
			}
			for _, nw := range tc.notWants {
				if strings.Contains(m[0][1], nw) {
					t.Errorf("%s %s: the unit list offers %s, outside the scope", tc.user, path, nw)
				}
			}
		}
	}
}
