package web_test

import (
	"net/http"
	"net/url"
	"testing"
)

// A form the phone kept offline carries a key; sent again because its
// answer was lost on a weak connection, it is not saved twice: the user is
// sent on to the page of the first save, told so (issue 16 item 3). A
// form refused (422) is not remembered, so the same key, corrected, saves;
// a form without a key or with a malformed one is saved as any form.
func TestOutboxKeySavesAFormOnce(t *testing.T) {
	e := newEnv(t)
	e.tree()
	c := e.client()
	c.login("admin")
	count := func(name string) int {
		t.Helper()
		var n int
		if err := e.st.DB().QueryRow(`SELECT COUNT(*) FROM people WHERE full_name = $1`, name).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	form := func(name, key string) url.Values {
		v := url.Values{"full_name": {name}, "birth_date": {"2001-02-03"}, "sex": {"female"}, "ethnicity": {"01"},
			"education": {"upper_secondary"}, "org": {"kp-a"}, "stage": {"source"}}
		if key != "" {
			v.Set("outbox_key", key)
		}
		return v
	}
	const key = "3f2c1a9e-5b7d-4c8e-9f10-2a3b4c5d6e7f"
	first := c.post("/nguoi/moi", form("Hà Thị Gửi Lại", key))
	wantStatus(t, first, http.StatusSeeOther)
	again := c.post("/nguoi/moi", form("Hà Thị Gửi Lại", key))
	wantStatus(t, again, http.StatusSeeOther)
	if a, b := first.header.Get("Location"), again.header.Get("Location"); a == "" || a != b {
		t.Errorf("sent again to %q, the first time to %q", b, a)
	}
	if n := count("Hà Thị Gửi Lại"); n != 1 {
		t.Errorf("the form sent twice with one key saved %d people", n)
	}
	wantIn(t, c.get(again.header.Get("Location")), "Biểu mẫu này đã được gửi và lưu trước đó")

	// refused, then corrected under the same key: saved once
	const key2 = "0123456789abcdef0123456789abcdef"
	bad := form("Hà Thị Sửa Lại", key2)
	bad.Set("birth_date", "")
	wantStatus(t, c.post("/nguoi/moi", bad), http.StatusUnprocessableEntity)
	wantStatus(t, c.post("/nguoi/moi", form("Hà Thị Sửa Lại", key2)), http.StatusSeeOther)
	if n := count("Hà Thị Sửa Lại"); n != 1 {
		t.Errorf("a refused form's key kept it from being saved once corrected: %d people", n)
	}

	// no key, or a key of the wrong shape: every send saves
	for _, k := range []string{"", "short", "<script>alert(1)</script>-0123456789"} {
		wantStatus(t, c.post("/nguoi/moi", form("Hà Văn Không Khóa", k)), http.StatusSeeOther)
	}
	if n := count("Hà Văn Không Khóa"); n != 3 {
		t.Errorf("forms without a valid key: %d people saved, want 3", n)
	}

	// the keys are the user's: another user's same key saves
	e.user("tochuc-kp", "organizer", "kp")
	o := e.client()
	o.login("tochuc-kp")
	wantStatus(t, o.post("/nguoi/moi", form("Hà Thị Gửi Lại", key)), http.StatusSeeOther)
	if n := count("Hà Thị Gửi Lại"); n != 2 {
		t.Errorf("another user's form with the same key: %d people, want 2", n)
	}
}
