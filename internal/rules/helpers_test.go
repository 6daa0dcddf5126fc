package rules

import (
	"strings"
	"testing"
	"time"
)

// d parses a YYYY-MM-DD date for tests.
func d(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

// dp is d as a pointer; "" is nil (a fact not known).
func dp(s string) *time.Time {
	if s == "" {
		return nil
	}
	t := d(s)
	return &t
}

func bp(b bool) *bool { return &b }

var (
	s2021 = Set2021()
	s2025 = Set2025()
)

// vote is the chapter vote on the given date, for At.
func vote(s string) At { return At{Date: d(s), Vote: true} }

// checkVerdict compares a verdict with the wanted outcome: the rule, ok,
// every wanted fragment in the message, and the source.
func checkVerdict(t *testing.T, name string, v Verdict, rule string, ok bool, source string, want ...string) {
	t.Helper()
	if v.Rule != rule || v.OK != ok {
		t.Errorf("%s: rule %q ok %v, want %q %v (%s)", name, v.Rule, v.OK, rule, ok, v.Message)
	}
	if source != "" && v.Source != source {
		t.Errorf("%s: source %q, want %q", name, v.Source, source)
	}
	for _, w := range want {
		if !strings.Contains(v.Message, w) {
			t.Errorf("%s: message %q lacks %q", name, v.Message, w)
		}
	}
	if v.Message == "" || !vietnamese(v.Message) {
		t.Errorf("%s: message %q is not Vietnamese", name, v.Message)
	}
}

// vietnamese reports whether s has Vietnamese letters with diacritics.
func vietnamese(s string) bool {
	return strings.ContainsAny(s, "ạảãàáâậầấẩẫăắằặẳẵệềếểễịỉĩìíọỏõòóôộồốổỗơợờớởỡụủũùúưựừứửữỵỷỹỳýđĐ")
}
