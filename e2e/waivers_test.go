package e2e

import (
	"fmt"
	"strings"
	"testing"
)

// orgYU is the part of an organization's JSON these tests read.
type orgYU struct {
	Code       string `json:"code"`
	YouthUnion bool   `json:"youth_union"`
	Version    int64  `json:"version"`
}

// A unit records whether it has a Youth Union organisation
// (POST/PUT /api/v1/orgs "youth_union"): a school has one unless told
// otherwise, an enterprise has none; an edit that leaves the field out
// keeps the answer. A case opened without "youth_union_exists" takes the
// unit's answer; the facts step corrects it, and keeps it when it does not
// say.
func TestYouthUnionThroughTheAPI(t *testing.T) {
	c := login(t, organizer)
	mk := func(code, sector string, yu *bool) orgYU {
		body := map[string]any{"code": code, "name": "Chi bộ " + code, "kind": "chapter", "sector": sector,
			"parent": "daklak", "valid_from": "2020-01-01"} // chapters under the province, open today
		if yu != nil {
			body["youth_union"] = *yu
		}
		var o orgYU
		if st := call(t, c, "POST", "/api/v1/orgs", body, &o); st != 201 {
			t.Fatalf("create %s: %d", code, st)
		}
		return o
	}
	no := false
	if o := mk("yu-truong", "school", nil); !o.YouthUnion {
		t.Errorf("a school: %+v", o)
	}
	if o := mk("yu-cty", "enterprise", nil); o.YouthUnion {
		t.Errorf("an enterprise: %+v", o)
	}
	if o := mk("yu-thon", "commune", &no); o.YouthUnion {
		t.Errorf("a village told none: %+v", o)
	}
	var o orgYU
	call(t, c, "GET", "/api/v1/orgs/yu-truong", nil, &o)
	edit := map[string]any{"name": "Chi bộ Trường yu", "kind": "chapter", "sector": "school", "valid_from": "2020-01-01", "version": o.Version}
	if st := call(t, c, "PUT", "/api/v1/orgs/yu-truong", edit, &o); st != 200 || !o.YouthUnion {
		t.Errorf("an edit without the field: %d %+v", st, o)
	}
	edit["youth_union"], edit["version"] = false, o.Version
	if st := call(t, c, "PUT", "/api/v1/orgs/yu-truong", edit, &o); st != 200 || o.YouthUnion {
		t.Errorf("an edit to none: %d %+v", st, o)
	}

	var person struct {
		ID int64 `json:"id"`
	}
	if st := call(t, c, "POST", "/api/v1/people", map[string]any{"full_name": "Lò Văn Đoàn", "birth_date": "2001-05-02",
		"sex": "male", "ethnicity": "Thái", "education": "upper_secondary", "org": "yu-cty", "stage": "source", "youth_union": true}, &person); st != 201 {
		t.Fatalf("person: %d", st)
	}
	var k caseJSON
	if st := call(t, c, "POST", "/api/v1/cases", map[string]any{"person_id": person.ID, "opened_on": "2024-04-01"}, &k); st != 201 || k.Facts.YouthUnionExists {
		t.Fatalf("open in an enterprise: %d %+v", st, k.Facts)
	}
	k = caseStep(t, c, k.ID, "facts", map[string]any{"youth_union_exists": true}, k.Version)
	if !k.Facts.YouthUnionExists {
		t.Errorf("facts step to yes: %+v", k.Facts)
	}
	k = caseStep(t, c, k.ID, "facts", map[string]any{"hardship_area": true}, k.Version)
	if !k.Facts.YouthUnionExists {
		t.Errorf("a facts step that does not say changed it: %+v", k.Facts)
	}
}

// An exception on the age rule is refused over the API with the source of
// that answer; the case's checks say which rules an exception may waive.
func TestAgeExceptionRefusedThroughTheAPI(t *testing.T) {
	c := login(t, organizer)
	var person struct {
		ID int64 `json:"id"`
	}
	if st := call(t, c, "POST", "/api/v1/people", map[string]any{"full_name": "Trần Văn Mười Bảy", "birth_date": "2007-01-15",
		"sex": "male", "ethnicity": "Kinh", "education": "upper_secondary", "org": "krongpac-thpt-lehongphong", "stage": "source",
		"youth_union": true}, &person); st != 201 {
		t.Fatalf("person: %d", st)
	}
	var k caseJSON
	if st := call(t, c, "POST", "/api/v1/cases", map[string]any{"person_id": person.ID, "opened_on": "2024-03-01"}, &k); st != 201 {
		t.Fatalf("open: %d", st)
	}
	var e caseErr
	if st := call(t, c, "POST", fmt.Sprintf("/api/v1/cases/%d/exceptions", k.ID), map[string]any{"rule": "age",
		"reason": "Ban Thường vụ Huyện ủy cho phép", "version": k.Version}, &e); st != 422 || e.Error.Field != "rule" ||
		!strings.Contains(e.Error.Message, "Không được ghi ngoại lệ") || !strings.Contains(e.Error.Message, "§1.1, §4.4)") {
		t.Errorf("age exception: %d %+v", st, e)
	}
	var raw struct {
		Checks []struct {
			Rule         string `json:"rule"`
			OK           bool   `json:"ok"`
			Waivable     bool   `json:"waivable"`
			WaiverSource string `json:"waiver_source"`
		} `json:"checks"`
	}
	call(t, c, "GET", fmt.Sprintf("/api/v1/cases/%d", k.ID), nil, &raw)
	found := false
	for _, ch := range raw.Checks {
		if ch.Rule == "age" {
			found = true
			if ch.OK || ch.Waivable || ch.WaiverSource == "" {
				t.Errorf("age check %+v", ch)
			}
		}
	}
	if !found {
		t.Errorf("no age check among %+v", raw.Checks)
	}
}
