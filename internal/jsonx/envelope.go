package jsonx

import (
	"bytes"
	"encoding/json"
	"errors"
)

// Finding an answer's envelope: one pass over the body that checks it and
// finds the top-level members a vendor's Open reads (code, message, data),
// instead of Check followed by EachMember.

// ErrNotObject is Scan's error for a body that is valid JSON but not an
// object (null, an array, a string, a number or a bool).
var ErrNotObject = errors.New("not a JSON object")

// Scan checks that b is one JSON object (white space around it allowed),
// valid as encoding/json validates it, and sets values[i] to the raw value of
// its member names[i], a slice of b without the white space around it, or
// nil when b has no such member. Names match as encoding/json matches a
// struct field's name (exactly first, then without regard to case; see
// FieldIndex), and of a repeated name the last counts. values must be at
// least as long as names; the rest of it is left alone.
//
// It returns nil, [ErrNotObject] for valid JSON that is not an object, or
// encoding/json's *json.SyntaxError for anything else, as [Check] does
// (a differential fuzz test holds both functions to encoding/json). It reads
// b once, allocates nothing for a valid body whose member names hold no
// escape, and every value it returns may be walked with EachMember,
// EachElement, SkipValue and Scalar.
func Scan(b []byte, names []string, values [][]byte) error {
	return scanObject(b, names, -1, values)
}

// ScanDeferred is [Scan], except that the value of the member names[deferred]
// is delimited but not checked: its brackets and quotes are matched, its
// nesting counted, and the text between them left to whoever reads it. The
// rest of b (every other member, names and punctuation, what follows the
// value) is checked as Scan checks it. The deferred value is one that
// encoding/json decodes next, and json.Unmarshal validates its whole input
// before decoding anything: checking it here too would read it twice. A
// scalar value (a number, true, false, null) is checked in any case; an
// object, an array or a string is deferred.
//
// So b is valid JSON exactly when ScanDeferred returns nil and
// values[deferred] is nil or valid by itself (Check, or a json.Unmarshal
// that succeeds). A caller that does not hand the value to encoding/json
// (an error answer whose data nobody decodes, a value it walks itself) must
// Check it first: the walking functions require valid JSON. Of a repeated
// deferred member the last counts, and the earlier ones are checked.
func ScanDeferred(b []byte, names []string, deferred int, values [][]byte) error {
	if deferred < 0 || deferred >= len(names) {
		panic("jsonx: ScanDeferred's deferred is not an index of names")
	}
	return scanObject(b, names, deferred, values)
}

// scanObject is Scan and ScanDeferred (deferred -1 defers nothing).
func scanObject(b []byte, names []string, deferred int, values [][]byte) error {
	values = values[:len(names)]
	clear(values)
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		if valid(b) {
			return ErrNotObject
		}
		return syntaxError(b)
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return end(b, i+1)
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return syntaxError(b)
		}
		ns := i
		if i = str(b, i); i < 0 {
			return syntaxError(b)
		}
		k := -1
		if len(names) > 0 {
			k = nameIndex(b[ns:i], names)
		}
		i = skipSpace(b, i)
		if i >= len(b) || b[i] != ':' {
			return syntaxError(b)
		}
		i = skipSpace(b, i+1)
		vs := i
		if k == deferred && k >= 0 {
			// An earlier value of the member, overridden, is read by
			// nobody: check it now if it was deferred.
			if prev := values[k]; prev != nil && deferrable(prev[0]) && value(prev, 0, 1) != len(prev) {
				return syntaxError(b)
			}
		}
		if k == deferred && k >= 0 && i < len(b) && deferrable(b[i]) {
			i = delimit(b, i, 1)
		} else {
			i = value(b, i, 1)
		}
		if i < 0 {
			return syntaxError(b)
		}
		if k >= 0 {
			values[k] = b[vs:i]
		}
		i = skipSpace(b, i)
		switch {
		case i >= len(b):
			return syntaxError(b)
		case b[i] == ',':
			i = skipSpace(b, i+1)
		case b[i] == '}':
			return end(b, i+1)
		default:
			return syntaxError(b)
		}
	}
}

// end checks that only white space follows the object that ends at b[i-1].
func end(b []byte, i int) error {
	if skipSpace(b, i) != len(b) {
		return syntaxError(b)
	}
	return nil
}

// nameIndex returns the index in names of the member name quoted (a valid
// JSON string with its quotes), or -1.
func nameIndex(quoted []byte, names []string) int {
	name := quoted[1 : len(quoted)-1]
	if bytes.IndexByte(name, '\\') >= 0 {
		var s string
		_ = json.Unmarshal(quoted, &s)
		name = []byte(s)
	}
	return FieldIndex(name, names)
}

// syntaxError returns encoding/json's error for the invalid JSON b.
func syntaxError(b []byte) error {
	var v json.RawMessage
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	return &json.SyntaxError{Offset: int64(len(b))}
}

// deferrable reports whether a value starting with c is deferred: an
// object, an array or a string.
func deferrable(c byte) bool { return c == '{' || c == '[' || c == '"' }

// delimit returns the index just after the object, array or string that
// starts at b[i], found by matching its brackets and quotes without checking
// the text between them, or -1 when b ends before it does or its nesting
// passes encoding/json's limit (depth containers being open around it).
// It reads some twice as fast as value checks.
func delimit(b []byte, i, depth int) int {
	open := 0
	for ; i < len(b); i++ {
		switch delimClass[b[i]] {
		case delimQuote:
			// To the first quote that is not escaped.
			for i++; i < len(b) && b[i] != '"'; i++ {
				if b[i] == '\\' {
					i++
				}
			}
			if i >= len(b) {
				return -1
			}
			if open == 0 {
				return i + 1 // the value is this string
			}
		case delimOpen:
			if depth+open == maxDepth {
				return -1
			}
			open++
		case delimClose:
			if open--; open == 0 {
				return i + 1
			}
		}
	}
	return -1
}

// The classes of bytes delimit stops at; every other byte is 0.
const (
	delimQuote = 1 + iota
	delimOpen
	delimClose
)

var delimClass = [256]uint8{'"': delimQuote, '{': delimOpen, '[': delimOpen, '}': delimClose, ']': delimClose}
