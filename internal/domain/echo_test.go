package domain

import (
	"strings"
	"testing"
)

// A refused value is repeated in its message cut to 60 characters, so
// that a pasted page does not come back page-wide (issue 16).
func TestMessagesEchoAtMost60Characters(t *testing.T) {
	long := strings.Repeat("x", 5000)
	_, dateErr := ParseISODate("birth_date", long)
	_, scoreErr := ParseScore("score", long)
	for what, err := range map[string]error{
		"code":  ValidateCode(long),
		"class": (&Class{Code: long, Programme: ProgAwareness}).Validate(),
		"date":  dateErr,
		"score": scoreErr,
	} {
		if err == nil {
			t.Errorf("%s: accepted", what)
			continue
		}
		msg := ErrorMessage(err)
		if n := len([]rune(msg)); n > 250 || !strings.Contains(msg, strings.Repeat("x", 60)+"…") {
			t.Errorf("%s: the message has %d characters: %.120s", what, n, msg)
		}
	}
}
