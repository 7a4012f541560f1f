// Package jsonx holds the JSON helpers the vendor packages share: compact
// encoding without HTML escaping, canonical (key-sorted) encoding, and lenient
// scalars for envelope flags that vendors send as strings, bools or numbers.
package jsonx

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"sync"
	"unicode/utf8"
)

// Marshal encodes v compactly without HTML escaping ('<', '>', '&' stay as
// they are) and without a trailing newline, into a slice of its own. The
// encoder and its buffer are pooled: a call allocates the result and what
// v's encoding allocates.
func Marshal(v any) ([]byte, error) {
	e := GetEncoder()
	defer e.Release()
	b, err := e.Encode(v)
	if err != nil {
		return nil, err
	}
	return append(make([]byte, 0, len(b)), b...), nil
}

// Encoder is a pooled encoder writing what Marshal writes into a buffer of
// its own, for a caller that uses the text before the next encoding and
// need not copy it (GetEncoder, Encode, Release).
type Encoder struct {
	buf bytes.Buffer
	enc *json.Encoder
}

var encoders = sync.Pool{New: func() any {
	e := &Encoder{}
	e.enc = json.NewEncoder(&e.buf)
	e.enc.SetEscapeHTML(false)
	return e
}}

// maxPooled bounds the buffer a pooled encoder keeps: a rare huge value (a
// request of 10,000 codes) does not pin its buffer in the pool.
const maxPooled = 64 << 10

// GetEncoder returns an encoder from the pool; Release gives it back.
func GetEncoder() *Encoder { return encoders.Get().(*Encoder) }

// Encode returns v's text as Marshal writes it, in e's buffer: valid until
// e is used again or released.
func (e *Encoder) Encode(v any) ([]byte, error) {
	e.buf.Reset()
	if err := e.enc.Encode(v); err != nil {
		return nil, err
	}
	b := e.buf.Bytes()
	return b[:len(b)-1], nil // without Encode's newline
}

// Release returns e to the pool, unless its buffer grew past maxPooled.
// Neither e nor a text it returned may be used afterwards.
func (e *Encoder) Release() {
	if e.buf.Cap() <= maxPooled {
		encoders.Put(e)
	}
}

// Canonical encodes v compactly with object keys sorted at every level, no
// HTML escaping, UTF-8 as is, and numbers exactly as v's encoding wrote them.
func Canonical(v any) ([]byte, error) {
	b, err := Marshal(v)
	if err != nil {
		return nil, err
	}
	return CanonicalBytes(b)
}

// CanonicalBytes re-encodes the JSON text b as Canonical does.
func CanonicalBytes(b []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var x any
	if err := dec.Decode(&x); err != nil {
		return nil, err
	}
	return Marshal(x) // maps encode with sorted keys; json.Number keeps its text
}

// Flex is a scalar that arrives as a JSON string, number, bool or null; it
// holds the text (true/false for bools, "" for null).
type Flex string

// UnmarshalJSON accepts a string, number, bool or null.
func (f *Flex) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0:
		return errors.New("jsonx: empty value")
	case b[0] == '"':
		// encoding/json has validated the whole document before calling us, so a
		// string without escapes is its own bytes.
		if n := len(b); n >= 2 && b[n-1] == '"' {
			if in := b[1 : n-1]; bytes.IndexByte(in, '\\') < 0 && utf8.Valid(in) {
				*f = Flex(in)
				return nil
			}
		}
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = Flex(s)
	case bytes.Equal(b, []byte("null")):
		*f = ""
	case bytes.Equal(b, []byte("true")), bytes.Equal(b, []byte("false")):
		*f = Flex(b)
	case b[0] == '-' || (b[0] >= '0' && b[0] <= '9'):
		if !json.Valid(b) {
			return errors.New("jsonx: bad number")
		}
		*f = Flex(b)
	default:
		return errors.New("jsonx: want a string, number, bool or null, got " + strconv.Quote(string(b[:min(len(b), 16)])))
	}
	return nil
}

// Bool reports whether f reads as true: true, "true" (any case), or a
// non-zero number ("1").
func (f Flex) Bool() bool {
	switch f {
	case "true", "TRUE", "True", "Y", "y":
		return true
	}
	if n, err := strconv.ParseFloat(string(f), 64); err == nil {
		return n != 0
	}
	return false
}

// String returns the text.
func (f Flex) String() string { return string(f) }
