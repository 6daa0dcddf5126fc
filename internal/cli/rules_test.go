package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// rulesExample is the input of CONTRACT "Dossier check". Every fact is
// dated, so the answer does not depend on today.
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

type rulesOut struct {
	Rules  string `json:"rules"`
	OK     bool   `json:"ok"`
	Checks []struct {
		Rule    string `json:"rule"`
		OK      bool   `json:"ok"`
		Message string `json:"message"`
		Source  string `json:"source"`
		// added to CONTRACT's fields: whether an exception may waive the
		// rule, and the source of that answer
		Waivable     *bool  `json:"waivable"`
		WaiverSource string `json:"waiver_source"`
	} `json:"checks"`
	Deadlines map[string]string `json:"deadlines"`
}

// vietnameseText reports whether s reads as Vietnamese: diacritics, and
// none of the English of the json and flag packages.
func vietnameseText(s string) bool {
	for _, en := range []string{"json:", "flag provided", "invalid character", "cannot unmarshal", "unknown field \"", "Usage"} {
		if strings.Contains(s, en) {
			return false
		}
	}
	return utf8.ValidString(s) && strings.ContainsAny(s, "ạảãàáâậầấẩẫăắằặẳẵệềếểễịỉĩìíọỏõòóôộồốổỗơợờớởỡụủũùúưựừứửữỵỷỹỳýđĐ")
}

func TestRulesCheckGoodCase(t *testing.T) {
	file := filepath.Join(t.TempDir(), "hoso.json")
	if err := os.WriteFile(file, []byte(rulesExample), 0o600); err != nil {
		t.Fatal(err)
	}
	var outs []string
	for _, c := range []struct {
		name, stdin string
		args        []string
	}{
		{"file", "", []string{"rules", "check", file}},
		{"stdin, no FILE", rulesExample, []string{"rules", "check"}},
		{"stdin as -", rulesExample, []string{"rules", "check", "-"}},
		{"--db is accepted and unused", rulesExample, []string{"rules", "check", "--db", filepath.Join(t.TempDir(), "none.db")}},
	} {
		code, out, errs := runCLI(t, c.stdin, c.args...)
		if code != 0 || errs != "" {
			t.Fatalf("%s: %d %q", c.name, code, errs)
		}
		outs = append(outs, out)
		var got rulesOut
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%s: not JSON: %s", c.name, out)
		}
		// CONTRACT "Dossier check": the example's deadlines under "rules": "2025".
		want := map[string]string{"decision": "2024-07-04", "decision_extended": "2024-07-25", "ceremony": "2024-07-24",
			"probation_end": "2025-06-25", "recognition_vote": "2025-08-06"}
		if got.Rules != "2025" || !got.OK || len(got.Checks) != 11 || len(got.Deadlines) != 5 {
			t.Errorf("%s: %+v", c.name, got)
		}
		for k, v := range want {
			if got.Deadlines[k] != v {
				t.Errorf("%s: %s = %s, want %s", c.name, k, got.Deadlines[k], v)
			}
		}
		if got.Checks[0].Rule != "age" || got.Checks[0].Message != "Đủ 22 tuổi 1 tháng tại ngày chi bộ xét" {
			t.Errorf("%s: first check %+v", c.name, got.Checks[0])
		}
		for _, ch := range got.Checks {
			absolute := ch.Rule == "age" || strings.HasSuffix(ch.Rule, "_vote")
			if ch.Waivable == nil || *ch.Waivable == absolute || ch.WaiverSource == "" {
				t.Errorf("%s: %s waivable %v %q", c.name, ch.Rule, ch.Waivable, ch.WaiverSource)
			}
		}
	}
	for _, out := range outs[1:] {
		if out != outs[0] {
			t.Errorf("stdin and file answers differ")
		}
	}
	// Indented, Vietnamese kept as is (no \u escapes).
	if !strings.HasPrefix(outs[0], "{\n  \"rules\": \"2025\",\n  \"ok\": true,\n  \"checks\": [") || strings.Contains(outs[0], `\u`) {
		t.Errorf("output layout:\n%s", outs[0])
	}
}

// A case that fails the rules is still a successful run: exit 0, "ok": false.
func TestRulesCheckFailingCaseExitsZero(t *testing.T) {
	in := `{"birth_date":"2007-07-02","chapter_vote":{"date":"2025-07-01","official_members":12,"excluded":1,"yes":7}}`
	code, out, errs := runCLI(t, in, "rules", "check")
	var got rulesOut
	if code != 0 || errs != "" || json.Unmarshal([]byte(out), &got) != nil {
		t.Fatalf("%d %q %q", code, out, errs)
	}
	if got.OK || got.Rules != "2025" || got.Deadlines["decision"] != "2025-09-04" {
		t.Errorf("%+v", got)
	}
	if got.Checks[0].OK || !strings.Contains(got.Checks[0].Message, "cần đợi đến ngày 02/07/2025") ||
		got.Checks[1].OK || !strings.Contains(got.Checks[1].Message, "7/11") {
		t.Errorf("checks %+v", got.Checks)
	}
}

// Bad input: exit 1 with a Vietnamese message on stderr, nothing on stdout.
func TestRulesCheckBadInput(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "khong-co.json")
	for _, c := range []struct {
		name, stdin string
		args        []string
		want        string
	}{
		{"bad JSON", `{"birth_date": "2002-03-14",}`, nil, "JSON không hợp lệ"},
		{"truncated JSON", `{"birth_date": "2002-03-14"`, nil, "kết thúc giữa chừng"},
		{"unknown field", `{"birth_date": "2002-03-14", "nickname": "Tí"}`, nil, `Trường không được hỗ trợ: "nickname"`},
		{"unknown nested field", `{"chapter_vote": {"date": "2024-05-03", "absent": 2}}`, nil, `Trường không được hỗ trợ: "absent"`},
		{"negative count", `{"chapter_vote": {"official_members": 12, "excluded": -1, "yes": 8}}`, nil, "chapter_vote.excluded không hợp lệ: số người không được âm (-1)"},
		{"yes above the members", `{"decision": {"members": 5, "yes": 6}}`, nil, "decision.yes không hợp lệ"},
		{"malformed date", `{"birth_date": "14/03/2002"}`, nil, "birth_date không hợp lệ"},
		{"wrong type", `{"introducers": [{"official": "có"}]}`, nil, "có kiểu dữ liệu không đúng"},
		{"not an object", `[1, 2]`, nil, "phải là một đối tượng JSON"},
		{"unknown rules", `{"rules": "2016"}`, nil, `rules không hợp lệ: "2016"`},
		{"unknown consent", `{"consents": ["mayor"]}`, nil, `consents không hợp lệ: "mayor"`},
		{"two objects", `{} {}`, nil, "Chỉ gửi một đối tượng JSON"},
		{"empty input", ``, nil, "Thiếu nội dung JSON"},
		{"missing file", ``, []string{missing}, "Không có tệp " + missing},
	} {
		args := append([]string{"rules", "check"}, c.args...)
		code, out, errs := runCLI(t, c.stdin, args...)
		if code != 1 || out != "" || !strings.Contains(errs, c.want) || !vietnameseText(errs) {
			t.Errorf("%s: %d %q %q, want 1 and %q", c.name, code, out, errs, c.want)
		}
	}
}

func TestRulesUsage(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"rules"}, 2, "Thiếu lệnh con của ketnap rules"},
		{[]string{"rules", "verify"}, 2, `Lệnh con không hợp lệ: "verify"`},
		{[]string{"rules", "check", "a.json", "b.json"}, 2, "Chỉ nhận một tệp"},
		{[]string{"rules", "check", "--strict"}, 2, "Không có tùy chọn -strict"},
		{[]string{"rules", "check", "-h"}, 0, "kể cả khi hồ sơ chưa đạt"},
		{[]string{"rules", "help"}, 0, "ketnap rules check [TỆP]"},
	} {
		code, out, errs := runCLI(t, "", c.args...)
		text := out + errs
		if code != c.code || !strings.Contains(text, c.want) || !vietnameseText(text) {
			t.Errorf("%v: %d %q, want %d and %q", c.args, code, text, c.code, c.want)
		}
	}
	if code, out, _ := runCLI(t, "", "help"); code != 0 || !strings.Contains(out, "ketnap rules check [TỆP]") {
		t.Errorf("main usage does not list rules check: %q", out)
	}
}
