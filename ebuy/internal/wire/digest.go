package wire

import (
	"strings"

	"github.com/couponkit/couponkit/internal/sign"
)

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
// Values are hashed in place through sign.EbuyDigest: only a string with
// escapes is copied.
func fieldsSign(fields []Field, secret string, content []byte) (string, error) {
	var idxStack [16]int
	idx := idxStack[:0]
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
	}
	var d sign.EbuyDigest
	for _, i := range idx {
		v, s, err := signedValue(fields[i], content)
		if err != nil {
			return "", err
		}
		d.AddParts(fields[i].Key, v, s)
	}
	return d.Sum(secret), nil
}

func hasBackslash(b []byte) bool {
	for _, c := range b {
		if c == '\\' {
			return true
		}
	}
	return false
}
