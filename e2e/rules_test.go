package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// rulesExample is the input of CONTRACT "Dossier check", verbatim.
const rulesExample = `{
  "rules": "2025",
  "birth_date": "2002-03-14",
  "education": "lower_secondary",
  "hardship_area": false,
  "village_elder": false,
  "youth_union_member": true,
  "youth_union_exists": true,
  "trade_union_member": false,
  "youth_union_resolution": true,
  "trade_union_resolution": false,
  "introducers": [{"official": true, "months_together": 14, "waived": false}],
  "certificate_date": "2023-10-20",
  "dossier_opened": "2024-01-15",
  "chapter_vote": {"date": "2024-05-03", "official_members": 12, "excluded": 1, "yes": 8},
  "committee_vote": {"date": "2024-05-20", "members": 9, "excluded": 0, "yes": 7},
  "decision": {"date": "2024-06-10", "received": "2024-06-12", "members": 5, "excluded": 0, "yes": 4,
               "authorised_grassroots": false},
  "ceremony_date": "2024-06-25",
  "consents": ["over_60"]
}`

// POST /api/v1/rules/check answers in the shape of CONTRACT "Dossier
// check", for any signed-in user, and stores nothing.
func TestRulesCheckAPI(t *testing.T) {
	for _, user := range []string{organizer, secretary} {
		c := login(t, user)
		var raw map[string]json.RawMessage
		if st := call(t, c, "POST", "/api/v1/rules/check", json.RawMessage(rulesExample), &raw); st != 200 {
			t.Fatalf("%s: status %d", user, st)
		}
		if len(raw) != 4 || raw["rules"] == nil || raw["ok"] == nil || raw["checks"] == nil || raw["deadlines"] == nil {
			t.Errorf("%s: top-level keys %v", user, raw)
		}
		var res struct {
			Rules  string                       `json:"rules"`
			OK     bool                         `json:"ok"`
			Checks []map[string]json.RawMessage `json:"checks"`
			Dl     map[string]string            `json:"deadlines"`
		}
		b, _ := json.Marshal(raw)
		if err := json.Unmarshal(b, &res); err != nil {
			t.Fatal(err)
		}
		if res.Rules != "2025" || !res.OK || len(res.Checks) != 11 {
			t.Errorf("%s: rules %s ok %v, %d checks", user, res.Rules, res.OK, len(res.Checks))
		}
		// The four fields of CONTRACT, and the two added: whether an
		// exception may waive the rule, and the source of that answer.
		for _, ch := range res.Checks {
			if len(ch) != 6 || ch["rule"] == nil || ch["ok"] == nil || ch["message"] == nil || ch["source"] == nil ||
				ch["waivable"] == nil || ch["waiver_source"] == nil {
				t.Errorf("%s: check %v", user, ch)
			}
		}
		waivable := map[string]bool{}
		for _, ch := range res.Checks {
			var x struct {
				Rule     string `json:"rule"`
				Waivable bool   `json:"waivable"`
			}
			_ = json.Unmarshal(mustJSON(ch), &x)
			waivable[x.Rule] = x.Waivable
		}
		if waivable["age"] || waivable["chapter_vote"] || !waivable["introducers"] || !waivable["decision_deadline"] {
			t.Errorf("%s: waivable %v", user, waivable)
		}
		var first struct{ Rule, Message, Source string }
		_ = json.Unmarshal(mustJSON(res.Checks[0]), &first)
		if first.Rule != "age" || first.Message != "Đủ 22 tuổi 1 tháng tại ngày chi bộ xét" || !strings.HasPrefix(first.Source, "QĐ294 §1.1") {
			t.Errorf("%s: age check %+v", user, first)
		}
		want := map[string]string{"decision": "2024-07-04", "decision_extended": "2024-07-25", "ceremony": "2024-07-24",
			"probation_end": "2025-06-25", "recognition_vote": "2025-08-06"}
		for k, v := range want {
			if res.Dl[k] != v {
				t.Errorf("%s: deadline %s = %q, want %s", user, k, res.Dl[k], v)
			}
		}
	}
}

func mustJSON(v any) []byte { b, _ := json.Marshal(v); return b }

func TestRulesCheckAPIBadInput(t *testing.T) {
	c := login(t, organizer)
	for _, tc := range []struct {
		name, body string
		status     int
		field      string
		want       string
	}{
		{"unknown field", `{"birth_date":"2002-03-14","nickname":"Tí"}`, 422, "", "nickname"},
		{"negative count", `{"chapter_vote":{"official_members":12,"excluded":-1,"yes":8}}`, 422, "chapter_vote.excluded", "không được âm"},
		{"malformed date", `{"certificate_date":"20/10/2023"}`, 422, "certificate_date", "certificate_date không hợp lệ"},
		{"unknown rules", `{"rules":"2030"}`, 422, "rules", "rules không hợp lệ"},
		{"malformed JSON", `{"birth_date":`, 400, "", "JSON không hợp lệ"},
	} {
		req, _ := http.NewRequest("POST", app.base+"/api/v1/rules/check", strings.NewReader(tc.body))
		req.Header.Set("Content-Type", "application/json")
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var e apiError
		if err := json.Unmarshal(data, &e); err != nil {
			t.Fatalf("%s: not JSON: %s", tc.name, data)
		}
		if resp.StatusCode != tc.status || e.Error.Field != tc.field || !strings.Contains(e.Error.Message, tc.want) {
			t.Errorf("%s: %d %+v, want %d field %q with %q", tc.name, resp.StatusCode, e, tc.status, tc.field, tc.want)
		}
	}
	// Signed-in users only (CONTRACT "HTTP").
	var e apiError
	if st := call(t, client(t), "POST", "/api/v1/rules/check", json.RawMessage(rulesExample), &e); st != 401 {
		t.Errorf("without a session: %d %+v", st, e)
	}
}
