package sign

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha256"
	"fmt"
	"hash"
	"slices"
	"sync"
)

// TOPSigner computes TOP signatures with one app secret and sign method,
// as [TOPSign] does, for a caller that keeps the signed string ready in
// parts (the sorted parameters before the timestamp, the timestamp, the
// ones after it), so that an attempt hashes those parts as they are: no
// sort, no copy of the parameters, and the hash state reused from one
// signature to the next. It is safe for concurrent use.
type TOPSigner struct {
	method TOPMethod
	secret []byte
	hashes sync.Pool // hash.Hash: an HMAC keyed by secret, or MD5
}

// NewTOPSigner returns the signer of method with secret; an unknown
// method is an error.
func NewTOPSigner(method TOPMethod, secret string) (*TOPSigner, error) {
	s := &TOPSigner{method: method, secret: []byte(secret)}
	switch method {
	case TOPMD5:
		s.hashes.New = func() any { return md5.New() }
	case TOPHMACMD5:
		s.hashes.New = func() any { return hmac.New(md5.New, []byte(secret)) }
	case TOPHMACSHA256:
		s.hashes.New = func() any { return hmac.New(sha256.New, []byte(secret)) }
	default:
		return nil, fmt.Errorf("%w %q", errUnknownTOPMethod, string(method))
	}
	return s, nil
}

// AppendSign appends to dst the signature, in upper-case hex, of the signed
// string that parts make when concatenated: k1v1k2v2… of every parameter
// but sign, sorted by name, with raw UTF-8 values (see [TOPSign]).
func (s *TOPSigner) AppendSign(dst []byte, parts ...[]byte) []byte {
	h := s.hashes.Get().(hash.Hash)
	h.Reset()
	if s.method == TOPMD5 {
		h.Write(s.secret)
	}
	for _, p := range parts {
		h.Write(p)
	}
	if s.method == TOPMD5 {
		h.Write(s.secret)
	}
	n := len(dst)
	dst = h.Sum(dst)
	s.hashes.Put(h)
	// Spell the digest in hex in place, from its last byte back, so that
	// no byte is overwritten before it is read.
	size := len(dst) - n
	dst = slices.Grow(dst, size)[:n+2*size]
	for i := size - 1; i >= 0; i-- {
		b := dst[n+i]
		dst[n+2*i], dst[n+2*i+1] = upperHexDigits[b>>4], upperHexDigits[b&0x0f]
	}
	return dst
}
