package jsonx

import (
	"bytes"
	"encoding/json"
)

// EachMember calls fn with the name and the raw value of each top-level
// member of the JSON object b, in order, until fn returns false. b must be
// valid JSON (check with json.Valid first); EachMember returns false when b
// is not an object. A name with escapes is unescaped (into a new slice);
// otherwise name and value are slices of b. Nothing is allocated for an
// object whose names hold no escapes.
func EachMember(b []byte, fn func(name, value []byte) bool) bool {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return false
	}
	i = skipSpace(b, i+1)
	for i < len(b) && b[i] != '}' {
		if b[i] == ',' {
			i = skipSpace(b, i+1)
		}
		name, vs := memberName(b, i)
		i = SkipValue(b, vs)
		if !fn(name, b[vs:i]) {
			return true
		}
		i = skipSpace(b, i)
	}
	return true
}

// memberName reads the name of the member that starts at b[i] (its
// opening quote) and returns it, with the index at which the member's value
// starts (past the colon and white space). A name with escapes is
// unescaped into a new slice; otherwise it is a slice of b. b must be valid
// JSON.
func memberName(b []byte, i int) (name []byte, value int) {
	ks := i
	i = skipString(b, i)
	name = b[ks+1 : i-1]
	if bytes.IndexByte(name, '\\') >= 0 {
		var s string
		_ = json.Unmarshal(b[ks:i], &s)
		name = []byte(s)
	}
	return name, skipSpace(b, skipSpace(b, i)+1) // past ':'
}

// SkipValue returns the index just after the JSON value that starts at b[i];
// b must be valid JSON.
func SkipValue(b []byte, i int) int {
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for ; i < len(b); i++ {
			switch b[i] {
			case '"':
				i = skipString(b, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
		}
		return len(b)
	}
	for i < len(b) {
		switch b[i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return i
		}
		i++
	}
	return i
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index just after the string that starts at b[i].
func skipString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(b)
}
