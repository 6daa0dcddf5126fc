package httpx

import (
	"bytes"
	"encoding/binary"
	"time"

	"github.com/alexedwards/scs/v2"
)

// sessionCodec encodes the one session ketnap keeps (the signed-in user's
// id, or nothing) in 11 or 19 bytes instead of gob's type-described
// stream: the session manager decodes the session on every request and
// encodes it again to save it, and gob's type compilation was a fifth of
// a cached answer's CPU. Anything else, and every session saved before
// (gob), goes through gob as before.
type sessionCodec struct{ gob scs.GobCodec }

// sessionMagic starts a compact session; a gob stream starts with its
// length, and falls back to gob when it does not parse as compact.
var sessionMagic = []byte("ks1")

func (c sessionCodec) Encode(deadline time.Time, values map[string]any) ([]byte, error) {
	uid, isUID := values[sessionUserKey].(int64)
	if !(len(values) == 0 || len(values) == 1 && isUID) {
		return c.gob.Encode(deadline, values)
	}
	b := make([]byte, 0, len(sessionMagic)+16)
	b = append(b, sessionMagic...)
	b = binary.BigEndian.AppendUint64(b, uint64(deadline.UnixNano()))
	if isUID {
		b = binary.BigEndian.AppendUint64(b, uint64(uid))
	}
	return b, nil
}

func (c sessionCodec) Decode(b []byte) (time.Time, map[string]any, error) {
	if rest, ok := bytes.CutPrefix(b, sessionMagic); ok && (len(rest) == 8 || len(rest) == 16) {
		deadline := time.Unix(0, int64(binary.BigEndian.Uint64(rest)))
		values := map[string]any{}
		if len(rest) == 16 {
			values[sessionUserKey] = int64(binary.BigEndian.Uint64(rest[8:]))
		}
		return deadline, values, nil
	}
	return c.gob.Decode(b)
}
