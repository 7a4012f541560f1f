// Package wire holds what the e-Buy client, its notification handler and its
// fake share about the signed JSON envelope: splitting a body into its
// top-level fields, the text each field contributes to the signature,
// signing and verifying, and writing JSON strings and signed objects.
package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/sign"
)

// SignType is the only signature type e-Buy documents.
const SignType = "sha256"

// Field is one top-level member of a JSON object: its key and its value's raw
// JSON text exactly as received.
type Field struct {
	// Key is the member's name, unescaped.
	Key string
	// Value is the member's raw JSON text, a slice of the body.
	Value []byte
}

var (
	errNotObject = errors.New("body is not a JSON object")
	errInvalid   = errors.New("body is not valid JSON")
	errDupKey    = errors.New("body repeats a top-level key")
)

// Fields splits the JSON object body into its top-level members, in order.
// Values keep their raw text (an object stays its exact bytes). A body that is
// not one valid JSON object in valid UTF-8, or repeats a top-level key (which would let a
// signature cover a different value than the one decoded), is an error.
func Fields(body []byte) ([]Field, error) {
	if jsonx.Check(body) != nil || !utf8.Valid(body) {
		return nil, errInvalid
	}
	out := make([]Field, 0, 10)
	dup := false
	if !jsonx.EachMember(body, func(name, value []byte) bool {
		for _, f := range out {
			if f.Key == string(name) {
				dup = true
				return false
			}
		}
		out = append(out, Field{Key: string(name), Value: value})
		return true
	}) {
		return nil, errNotObject
	}
	if dup {
		return nil, errDupKey
	}
	return out, nil
}

// Get returns the raw value of key, or nil when absent.
func Get(fields []Field, key string) []byte {
	for _, f := range fields {
		if f.Key == key {
			return f.Value
		}
	}
	return nil
}

// String returns the value of key as a string: a JSON string unquoted, any
// other scalar as its text, "" when absent or null.
func String(fields []Field, key string) string {
	v := Get(fields, key)
	if v == nil || isNull(v) {
		return ""
	}
	if v[0] == '"' {
		s, err := unquote(v)
		if err != nil {
			return ""
		}
		return s
	}
	return string(v)
}

// Bool reports whether key holds a true flag: true, "true", "Y" or a non-zero
// number (e-Buy's pages print success as a boolean and as a string).
func Bool(fields []Field, key string) bool {
	v := Get(fields, key)
	if v == nil {
		return false
	}
	if string(v) == "true" {
		return true
	}
	var f jsonx.Flex
	if json.Unmarshal(v, &f) != nil {
		return false
	}
	return f.Bool()
}

// Flag reads key as a success flag: true, false, their string spellings
// ("true", "false", "Y", "N", in any case) or a number (non-zero is true).
// known is false when key is absent, null or anything else, so that a
// missing flag is never taken for a failure or a success.
func Flag(fields []Field, key string) (value, known bool) {
	v := Get(fields, key)
	if v == nil || isNull(v) {
		return false, false
	}
	switch string(v) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	s := string(v)
	if v[0] == '"' {
		u, err := unquote(v)
		if err != nil {
			return false, false
		}
		s = u
	}
	switch strings.ToLower(s) {
	case "true", "y":
		return true, true
	case "false", "n":
		return false, true
	}
	if n, err := strconv.ParseFloat(s, 64); err == nil {
		return n != 0, true
	}
	return false, false
}

// CheckSeparators returns an error naming the first top-level key, or key
// whose string value, holds '&' or '='. e-Buy's sign joins k=v pairs with
// '&' without escaping, so such an answer's signed text can equal that of
// an answer split into other fields: its sign does not prove which fields
// e-Buy sent.
func CheckSeparators(fields []Field) error {
	for _, f := range fields {
		if strings.ContainsAny(f.Key, "&=") {
			return errors.New("top-level key " + strconv.Quote(f.Key) + " holds '&' or '='")
		}
		if len(f.Value) == 0 || f.Value[0] != '"' {
			continue
		}
		s, err := unquote(f.Value)
		if err != nil {
			return err
		}
		if strings.ContainsAny(s, "&=") {
			return errors.New("the value of " + strconv.Quote(f.Key) + " holds '&' or '='")
		}
	}
	return nil
}

// Params returns the signature parameters of fields: every field except sign
// and those whose value is null, a string value unquoted, any other value
// (number, bool, object, array) as its raw JSON text.
func Params(fields []Field) ([]sign.Param, error) {
	ps := make([]sign.Param, 0, len(fields))
	for _, f := range fields {
		if f.Key == "sign" || isNull(f.Value) {
			continue
		}
		v := string(f.Value)
		if f.Value[0] == '"' {
			s, err := unquote(f.Value)
			if err != nil {
				return nil, err
			}
			v = s
		}
		ps = append(ps, sign.Param{Key: f.Key, Value: v})
	}
	return ps, nil
}

// Verify reports whether fields carry a sign that matches the other fields
// under secret, and whether they carried a sign at all. When the raw text of
// content does not match, its canonical form (keys sorted, compact) is tried,
// in case the signer re-serialized the object.
func Verify(fields []Field, secret string) (ok, signed bool) {
	got := String(fields, "sign")
	if got == "" {
		return false, false
	}
	want, err := fieldsSign(fields, secret, nil)
	if err != nil {
		return false, true
	}
	if sign.Equal(want, got) {
		return true, true
	}
	content := Get(fields, "content")
	if len(content) == 0 || (content[0] != '{' && content[0] != '[') {
		return false, true
	}
	canon, err := jsonx.CanonicalBytes(content)
	if err != nil || string(canon) == string(content) {
		return false, true
	}
	want, err = fieldsSign(fields, secret, canon)
	return err == nil && sign.Equal(want, got), true
}

// Signed returns the JSON object made of fields (raw values, surrounding
// space removed) and a sign field computed over them under secret, with keys
// in ASCII order. Keys must be distinct and need no escaping.
func Signed(fields []Field, secret string) ([]byte, error) {
	fields = slices.Clone(fields)
	for i := range fields {
		fields[i].Value = bytes.TrimSpace(fields[i].Value)
	}
	ps, err := Params(fields)
	if err != nil {
		return nil, err
	}
	sig := sign.EbuySign(ps, secret)
	all := make([]Field, 0, len(fields)+1)
	all = append(all, fields...)
	all = append(all, Field{Key: "sign", Value: jsonx.AppendString(nil, sig)})
	slices.SortFunc(all, func(a, b Field) int { return strings.Compare(a.Key, b.Key) })
	n := 2
	for _, f := range all {
		n += len(f.Key) + len(f.Value) + 4
	}
	b := make([]byte, 0, n)
	b = append(b, '{')
	for i, f := range all {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, f.Key...)
		b = append(b, '"', ':')
		b = append(b, f.Value...)
	}
	return append(b, '}'), nil
}

// Member returns the raw value of the member name of the JSON object obj,
// or nil when it is absent. obj must be valid JSON (a verified answer's
// content, a request's content).
func Member(obj []byte, name string) []byte {
	var out []byte
	jsonx.EachMember(obj, func(k, v []byte) bool {
		if string(k) == name {
			out = v
			return false
		}
		return true
	})
	return out
}

// ScalarMember returns the text of the scalar member name of the JSON
// object obj as jsonx.Scalar reads it: "" when absent, null, an object or
// an array.
func ScalarMember(obj []byte, name string) string {
	t, _ := jsonx.Scalar(Member(obj, name))
	return string(t)
}

// Str returns a Field holding s as a JSON string.
func Str(key, s string) Field { return Field{Key: key, Value: jsonx.AppendString(nil, s)} }

// Raw returns a Field holding the raw JSON text v.
func Raw(key string, v []byte) Field { return Field{Key: key, Value: v} }

func unquote(raw []byte) (string, error) {
	if len(raw) < 2 || raw[0] != '"' {
		return "", errInvalid
	}
	if bytes.IndexByte(raw, '\\') < 0 {
		return string(raw[1 : len(raw)-1]), nil
	}
	var s string
	err := json.Unmarshal(raw, &s)
	return s, err
}

func isNull(v []byte) bool { return string(v) == "null" }
