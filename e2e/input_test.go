package e2e

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
)

type apiError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Field   string `json:"field"`
	} `json:"error"`
}

// Bad input gets a clear Vietnamese message with the right status and
// changes nothing (CONTRACT "HTTP": 400, 409, 413, 422).
func TestBadInputThroughTheAPI(t *testing.T) {
	c := login(t, organizer)
	person := map[string]any{"full_name": "Ông Thị Thử", "birth_date": "2000-03-14", "sex": "female",
		"ethnicity": "Kinh", "religion": "none", "cccd": "066300123457", "education": "upper_secondary",
		"org": "krongpac-eayong", "stage": "source"}
	var created struct {
		ID   int64  `json:"id"`
		CCCD string `json:"cccd"`
	}
	if st := call(t, c, "POST", "/api/v1/people", person, &created); st != 201 {
		t.Fatalf("create: %d", st)
	}
	if created.CCCD == "066300123457" || !strings.Contains(created.CCCD, "*") {
		t.Errorf("the CCCD is not masked in the answer: %q", created.CCCD)
	}

	var e apiError
	if st := call(t, c, "POST", "/api/v1/people", person, &e); st != 409 || e.Error.Code != "conflict" || !strings.Contains(e.Error.Message, "CCCD") {
		t.Errorf("duplicate CCCD: %d %+v, want 409 naming the CCCD", st, e)
	}
	bad := map[string]any{}
	for k, v := range person {
		bad[k] = v
	}
	bad["cccd"] = "06630012345"
	e = apiError{}
	if st := call(t, c, "POST", "/api/v1/people", bad, &e); st != 422 || e.Error.Field != "cccd" || !strings.Contains(e.Error.Message, "12 chữ số") {
		t.Errorf("11-digit CCCD: %d %+v", st, e)
	}
	bad["cccd"], bad["nickname"] = "", "x"
	e = apiError{}
	if st := call(t, c, "POST", "/api/v1/people", bad, &e); st != 422 || !strings.Contains(e.Error.Message, "nickname") {
		t.Errorf("unknown field: %d %+v", st, e)
	}
	delete(bad, "nickname")
	bad["birth_date"] = "14/03/2000"
	e = apiError{}
	if st := call(t, c, "POST", "/api/v1/people", bad, &e); st != 422 || !strings.Contains(e.Error.Message, "Ngày") {
		t.Errorf("malformed date: %d %+v", st, e)
	}

	// Malformed JSON, an oversized body, a cross-site form post.
	post := func(body []byte, hdr map[string]string) (int, apiError) {
		req, _ := http.NewRequest("POST", app.base+"/api/v1/people", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var e apiError
		_ = jsonDecode(resp, &e)
		return resp.StatusCode, e
	}
	if st, e := post([]byte(`{"full_name": `), nil); st != 400 || e.Error.Message == "" {
		t.Errorf("truncated JSON: %d %+v", st, e)
	}
	if st, _ := post(bytes.Repeat([]byte(" "), 2<<20), nil); st != 413 {
		t.Errorf("2 MB body: %d, want 413", st)
	}
	if st, _ := post([]byte(`{}`), map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}); st != 403 {
		t.Errorf("cross-site POST: %d, want 403 from CrossOriginProtection", st)
	}

	// Nothing of the refused requests was stored: one person with that name.
	var list struct{ Total int }
	call(t, c, "GET", "/api/v1/people?q=ong+thi+thu&org=krongpac-eayong", nil, &list)
	if list.Total != 1 {
		t.Errorf("%d people named Ông Thị Thử, want 1 (the demo has no Ông)", list.Total)
	}
}

// Two people editing the same unit: the second gets 409 and overwrites nothing.
// The unit is one open today (the demo's old communes closed on 1/7/2025:
// an edit that does not repeat a closed unit's end would reopen it).
func TestConcurrentEditIs409(t *testing.T) {
	c := login(t, organizer)
	var org map[string]any
	if st := call(t, c, "GET", "/api/v1/orgs/daklak-eauy", nil, &org); st != 200 {
		t.Fatalf("get: %d", st)
	}
	edit := func(name string) (int, apiError) {
		body := map[string]any{"name": name, "kind": org["kind"], "sector": org["sector"], "valid_from": org["valid_from"],
			"version": org["version"]}
		var e apiError
		return call(t, c, "PUT", "/api/v1/orgs/daklak-eauy", body, &e), e
	}
	if st, e := edit("Đảng bộ xã Ea Uy (sửa lần 1)"); st != 200 {
		t.Fatalf("first edit: %d %+v", st, e)
	}
	if st, e := edit("Đảng bộ xã Ea Uy (sửa lần 2)"); st != 409 || !strings.Contains(e.Error.Message, "người khác sửa") {
		t.Errorf("second edit from the same version: %d %+v, want 409", st, e)
	}
	var after map[string]any
	call(t, c, "GET", "/api/v1/orgs/daklak-eauy", nil, &after)
	if after["name"] != "Đảng bộ xã Ea Uy (sửa lần 1)" {
		t.Errorf("name after the refused edit: %v", after["name"])
	}
	// Put the name back for the other tests.
	org = after
	if st, e := edit("Đảng bộ xã Ea Uy"); st != 200 {
		t.Errorf("restore: %d %+v", st, e)
	}
}
