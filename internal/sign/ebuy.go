package sign

import (
	"crypto/sha256"
	"encoding/hex"
	"hash"
)

// EbuyPayload returns the exact text that e-Buy hashes for a request or
// response signature: params sorted by key in ASCII order (a sorted copy; the
// input is not modified), joined as k=v with '&', followed by '&' and the
// bare secret (no "key=" prefix). Params with an empty value are included
// as "k=". Values are used as given, so an object value such as content must
// already be its compact JSON text. The caller leaves out the sign field
// itself. With no params the result is "&" + secret.
func EbuyPayload(params []Param, secret string) []byte {
	sorted := sortedView(params)
	n := 1 + len(secret)
	for _, p := range sorted {
		n += len(p.Key) + len(p.Value) + 2
	}
	dst := make([]byte, 0, n)
	for i, p := range sorted {
		if i > 0 {
			dst = append(dst, '&')
		}
		dst = append(dst, p.Key...)
		dst = append(dst, '=')
		dst = append(dst, p.Value...)
	}
	dst = append(dst, '&')
	return append(dst, secret...)
}

// EbuySign returns the e-Buy signature of params: the lowercase hex SHA-256
// of [EbuyPayload]. It is a plain digest, not an HMAC. params is not
// modified; they are hashed through an [EbuyDigest], so a long payload is
// never copied whole.
func EbuySign(params []Param, secret string) string {
	var d EbuyDigest
	for _, p := range sortedView(params) {
		d.AddString(p.Key, p.Value)
	}
	return d.Sum(secret)
}

// ebuyStack is the longest e-Buy payload hashed from a buffer inside
// EbuyDigest; past it the payload is streamed into the hash.
const ebuyStack = 512

// EbuyDigest computes an e-Buy signature from params added one at a time,
// already in key order (ASCII), without building the payload: up to 512
// bytes are buffered in the digest itself (no allocation), and a longer
// payload is streamed into SHA-256 through a buffer of the same size. Sum
// gives the same value as [EbuySign] of the same params. Its zero value is
// ready to use; it is not safe for concurrent use.
type EbuyDigest struct {
	buf    [ebuyStack]byte
	n      int         // bytes in buf
	st     *ebuyStream // nil while the payload fits in buf
	params int
}

// ebuyStream is the state of a payload longer than EbuyDigest's buffer. It
// lives on the heap, so the hash never sees the digest's own buffer (which
// then stays on its caller's stack).
type ebuyStream struct {
	h   hash.Hash
	buf [ebuyStack]byte
	n   int
	sum [sha256.Size]byte
}

// Add adds the param key=value; value is raw bytes (a JSON object's text, a
// string's unescaped contents).
func (d *EbuyDigest) Add(key string, value []byte) {
	d.sep()
	writeTo(d, key)
	writeTo(d, "=")
	writeTo(d, value)
}

// AddString adds the param key=value.
func (d *EbuyDigest) AddString(key, value string) {
	d.sep()
	writeTo(d, key)
	writeTo(d, "=")
	writeTo(d, value)
}

// AddParts adds the param key=value1value2: value given in two pieces, so
// that a caller holding a value either as bytes or as a string (one of them
// empty) needs no copy.
func (d *EbuyDigest) AddParts(key string, value1 []byte, value2 string) {
	d.sep()
	writeTo(d, key)
	writeTo(d, "=")
	writeTo(d, value1)
	writeTo(d, value2)
}

// Sum returns the lowercase hex SHA-256 of the params added so far followed
// by '&' and secret.
func (d *EbuyDigest) Sum(secret string) string {
	writeTo(d, "&")
	writeTo(d, secret)
	var out [2 * sha256.Size]byte
	if st := d.st; st != nil {
		st.h.Write(st.buf[:st.n])
		hex.Encode(out[:], st.h.Sum(st.sum[:0]))
	} else {
		sum := sha256.Sum256(d.buf[:d.n])
		hex.Encode(out[:], sum[:])
	}
	return string(out[:])
}

func (d *EbuyDigest) sep() {
	if d.params > 0 {
		writeTo(d, "&")
	}
	d.params++
}

func writeTo[T string | []byte](d *EbuyDigest, s T) {
	st := d.st
	if st == nil {
		if d.n+len(s) <= len(d.buf) {
			d.n += copy(d.buf[d.n:], s)
			return
		}
		st = &ebuyStream{h: sha256.New()}
		st.n = copy(st.buf[:], d.buf[:d.n])
		d.st = st
	}
	for len(s) > 0 {
		k := copy(st.buf[st.n:], s)
		st.n += k
		s = s[k:]
		if st.n == len(st.buf) {
			st.h.Write(st.buf[:])
			st.n = 0
		}
	}
}
