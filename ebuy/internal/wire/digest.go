package wire

import (
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"strings"

	"github.com/couponkit/couponkit/internal/sign"
)

// stackPayload is the longest signed text hashed from a buffer on the stack;
// a longer one is streamed into the hash instead of being copied whole.
const stackPayload = 512

func hexOf(sum *[sha256.Size]byte) string {
	var out [2 * sha256.Size]byte
	hex.Encode(out[:], sum[:])
	return string(out[:])
}

// Sign returns the e-Buy sign of params, which must be sorted by key: the
// same value as sign.EbuySign, computed without copying a long payload.
func Sign(params []sign.Param, secret string) string {
	n := len(secret) + 1
	for _, p := range params {
		n += len(p.Key) + len(p.Value) + 2
	}
	var sum [sha256.Size]byte
	if n <= stackPayload {
		var stack [stackPayload]byte
		b := stack[:0]
		for i, p := range params {
			if i > 0 {
				b = append(b, '&')
			}
			b = append(b, p.Key...)
			b = append(b, '=')
			b = append(b, p.Value...)
		}
		b = append(b, '&')
		sum = sha256.Sum256(append(b, secret...))
		return hexOf(&sum)
	}
	h := sha256.New()
	for i, p := range params {
		if i > 0 {
			h.Write(amp)
		}
		writeString(h, p.Key)
		h.Write(eq)
		writeString(h, p.Value)
	}
	h.Write(amp)
	writeString(h, secret)
	h.Sum(sum[:0])
	return hexOf(&sum)
}

var amp, eq = []byte("&"), []byte("=")

func writeString(h hash.Hash, s string) {
	// The digest implements io.StringWriter; the fallback copies.
	if sw, ok := h.(interface{ WriteString(string) (int, error) }); ok {
		sw.WriteString(s)
		return
	}
	h.Write([]byte(s))
}

// signedValue returns the text field f contributes to the sign: content
// when f is the content field and content is not nil, a string's contents
// (as bytes of body when it has no escapes, else unquoted into s), or any
// other value's raw text.
func signedValue(f Field, content []byte) (b []byte, s string, err error) {
	switch {
	case content != nil && f.Key == "content":
		return content, "", nil
	case f.Value[0] != '"':
		return f.Value, "", nil
	case len(f.Value) >= 2 && !hasBackslash(f.Value):
		return f.Value[1 : len(f.Value)-1], "", nil
	}
	s, err = unquote(f.Value)
	return nil, s, err
}

// fieldsSign returns the sign of fields as Params and sign.EbuySign compute
// it (every field but sign and null ones, sorted by key, string values
// unquoted), with content's value replaced by content when that is not nil.
// Values are hashed in place: only a string with escapes is copied.
func fieldsSign(fields []Field, secret string, content []byte) (string, error) {
	var idxStack [16]int
	idx := idxStack[:0]
	n := len(secret) + 1
	for i, f := range fields {
		if f.Key == "sign" || isNull(f.Value) {
			continue
		}
		// Insertion sort by key; keys are distinct (Fields refuses repeats).
		j := len(idx)
		idx = append(idx, i)
		for j > 0 && strings.Compare(fields[idx[j-1]].Key, f.Key) > 0 {
			idx[j] = idx[j-1]
			j--
		}
		idx[j] = i
		n += len(f.Key) + len(f.Value) + 2
	}
	if content != nil {
		n += len(content)
	}
	var sum [sha256.Size]byte
	if n <= stackPayload {
		var stack [stackPayload]byte
		b := stack[:0]
		for k, i := range idx {
			v, s, err := signedValue(fields[i], content)
			if err != nil {
				return "", err
			}
			if k > 0 {
				b = append(b, '&')
			}
			b = append(b, fields[i].Key...)
			b = append(b, '=')
			b = append(b, v...)
			b = append(b, s...)
		}
		b = append(b, '&')
		sum = sha256.Sum256(append(b, secret...))
		return hexOf(&sum), nil
	}
	h := sha256.New()
	for k, i := range idx {
		v, s, err := signedValue(fields[i], content)
		if err != nil {
			return "", err
		}
		if k > 0 {
			h.Write(amp)
		}
		writeString(h, fields[i].Key)
		h.Write(eq)
		h.Write(v)
		writeString(h, s)
	}
	h.Write(amp)
	writeString(h, secret)
	h.Sum(sum[:0])
	return hexOf(&sum), nil
}

func hasBackslash(b []byte) bool {
	for _, c := range b {
		if c == '\\' {
			return true
		}
	}
	return false
}
