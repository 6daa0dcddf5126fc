package e2e

import (
	"testing"
)

// An empty person through the API: the first field's problem stays in
// error.field and error.message (CONTRACT "HTTP"), every one is in
// error.fields (issue 16).
func TestAPIReportsEveryField(t *testing.T) {
	c := login(t, organizer)
	var e struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
			Field   string `json:"field"`
			Fields  []struct {
				Field   string `json:"field"`
				Message string `json:"message"`
			} `json:"fields"`
		} `json:"error"`
	}
	st := call(t, c, "POST", "/api/v1/people", map[string]any{"full_name": "", "ethnicity": "Kinh",
		"education": "upper_secondary", "org": "krongpac-eayong"}, &e)
	if st != 422 || e.Error.Code != "invalid" || e.Error.Field != "full_name" || e.Error.Message != "Họ và tên không được để trống" {
		t.Fatalf("empty person: %d %+v", st, e)
	}
	var got []string
	for _, f := range e.Error.Fields {
		got = append(got, f.Field+": "+f.Message)
	}
	want := []string{"full_name: Họ và tên không được để trống", "birth_date: Cần ngày sinh", "sex: Giới tính phải là Nam hoặc Nữ"}
	if len(got) != len(want) {
		t.Fatalf("fields %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("field %d: %q, want %q", i, got[i], want[i])
		}
	}
}
