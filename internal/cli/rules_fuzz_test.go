package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"ketnap/internal/rules"
)

// FuzzRulesCheck feeds any bytes to `ketnap rules check` as the case JSON
// (issue 13, item 8): the command either answers (exit 0) with a result
// that keeps CONTRACT's shape, or refuses (exit 1) with a Vietnamese
// message about the input; never a usage error, an internal error or a
// panic. Run with go test -run='^$' -fuzz=FuzzRulesCheck ./internal/cli
func FuzzRulesCheck(f *testing.F) {
	for _, s := range []string{
		`{"rules": "2025", "birth_date": "2002-03-14", "education": "lower_secondary", "hardship_area": false,
		  "youth_union_member": true, "youth_union_exists": true, "youth_union_resolution": true,
		  "introducers": [{"official": true, "months_together": 14, "waived": false}], "certificate_date": "2023-10-20",
		  "dossier_opened": "2024-01-15", "chapter_vote": {"date": "2024-05-03", "official_members": 12, "excluded": 1, "yes": 8},
		  "committee_vote": {"date": "2024-05-20", "members": 9, "excluded": 0, "yes": 7},
		  "decision": {"date": "2024-06-10", "received": "2024-06-12", "members": 5, "excluded": 0, "yes": 4, "authorised_grassroots": false},
		  "ceremony_date": "2024-06-25", "consents": ["over_60"]}`,
		`{}`, `{"rules": "2021", "birth_date": "1950-02-29"}`, `{"chapter_vote": {"date": "2025-07-01", "official_members": 0, "yes": 0}}`,
		`{"decision": {"received": "2024-12-31"}}`, `{"ceremony_date": "2024-01-31"}`, `{"introducers": [{}, {"waived": true}]}`,
		`{"birth_date": "2024-02-30"}`, `{"education": "none", "village_elder": true, "hardship_area": true}`,
		`{"unknown": 1}`, `[]`, `null`, `{"chapter_vote": {"official_members": -1}}`, `{} {}`, `{"consents": ["political", "x"]}`,
	} {
		f.Add([]byte(s))
	}
	checks := []string{"age", "education", "introducers", "certificate", "dossier_age", "chapter_vote", "committee_vote",
		"decision_vote", "decision_deadline", "ceremony_deadline", "consent"}
	f.Fuzz(func(t *testing.T, data []byte) {
		var out, errb bytes.Buffer
		code := Main(Env{Ctx: context.Background(), Args: []string{"rules", "check"}, Stdin: bytes.NewReader(data), Stdout: &out, Stderr: &errb,
			Getenv: func(string) string { return "" }})
		switch code {
		case exitFail:
			if msg := errb.String(); !strings.HasPrefix(msg, "Lỗi: ") || strings.Contains(msg, "Chi tiết:") || out.Len() > 0 {
				t.Fatalf("refused %q with %q (stdout %q): want a message about the input, nothing on stdout", data, msg, out.String())
			}
			return
		case exitOK:
		default:
			t.Fatalf("exit %d for %q: %s", code, data, errb.String())
		}
		var res rules.CheckResult
		dec := json.NewDecoder(&out)
		dec.DisallowUnknownFields()
		if err := dec.Decode(&res); err != nil {
			t.Fatalf("answer to %q is not a result: %v", data, err)
		}
		if res.Rules != "2021" && res.Rules != "2025" {
			t.Fatalf("rules %q for %q", res.Rules, data)
		}
		ok := true
		for _, c := range res.Checks {
			ok = ok && c.OK
			if !slices.Contains(checks, c.Rule) || c.Message == "" || c.Source == "" {
				t.Fatalf("check %+v for %q", c, data)
			}
		}
		if ok != res.OK {
			t.Fatalf("ok %v but checks %+v for %q", res.OK, res.Checks, data)
		}
		d := res.Deadlines
		for _, s := range []string{d.Decision, d.DecisionExtended, d.Ceremony, d.ProbationEnd, d.RecognitionVote} {
			if _, err := time.Parse(time.DateOnly, s); s != "" && err != nil {
				t.Fatalf("deadline %q for %q", s, data)
			}
		}
	})
}
