package httpx

import (
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
)

// The compact session round-trips the user's id and the deadline; other
// values, and sessions saved by gob before, still decode.
func TestSessionCodec(t *testing.T) {
	c := sessionCodec{}
	deadline := time.Date(2024, 5, 4, 21, 0, 0, 123, time.UTC)
	for _, values := range []map[string]any{{}, {sessionUserKey: int64(42)}, {sessionUserKey: int64(7), "flash": "Đã lưu"}} {
		b, err := c.Encode(deadline, values)
		if err != nil {
			t.Fatal(err)
		}
		d, got, err := c.Decode(b)
		if err != nil || !d.Equal(deadline) || len(got) != len(values) {
			t.Fatalf("round trip of %v: %v %v %v", values, d, got, err)
		}
		for k, v := range values {
			if got[k] != v {
				t.Errorf("%s = %#v, want %#v", k, got[k], v)
			}
		}
		if len(values) < 2 && len(b) > 19 {
			t.Errorf("%v took %d bytes", values, len(b))
		}
	}
	old, err := scs.GobCodec{}.Encode(deadline, map[string]any{sessionUserKey: int64(9)})
	if err != nil {
		t.Fatal(err)
	}
	if _, got, err := c.Decode(old); err != nil || got[sessionUserKey] != int64(9) {
		t.Errorf("a gob session: %v %v", got, err)
	}
}
