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
	levels := [1]Level{{Names: names, Deferred: -1, Values: values}}
	return scanObject(b, levels[:])
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
	levels := [1]Level{{Names: names, Deferred: deferred, Values: values}}
	return scanObject(b, levels[:])
}

// Level is one object of the path [ScanNested] descends: the member names
// it finds, the index in Names of the member it descends into (or, at the
// last level, defers), and the values it finds, as [Scan]'s names and
// values.
type Level struct {
	// Names are the member names to find, matched as Scan matches them.
	Names []string
	// Deferred is the index in Names of the member whose value is the
	// next level's object, or the deferred value at the last level.
	Deferred int
	// Values receives the value of each of Names, as Scan's values; it
	// must be at least as long as Names.
	Values [][]byte
}

// ScanNested is [ScanDeferred] down a path of nested objects, in one pass
// over b: b is levels[0]'s object, the value of its member
// Names[Deferred] is levels[1]'s object, and so on; the last level's
// Names[Deferred] is deferred as ScanDeferred defers it. Every level's
// values are set as Scan sets them, a level's Deferred value included (the
// raw object the next level was found in). Everything in b but the last
// level's deferred value is checked. A Deferred value of a level above the
// last that is not an object is checked whole and its deeper levels are left
// nil. Of a repeated name the last counts at every level: the deeper levels
// of an overridden object are found again in the one that overrides it,
// and its deferred value, read by nobody, is checked.
//
// So b is valid JSON exactly when ScanNested returns nil and the last
// level's deferred value is nil or valid by itself. It returns nil,
// [ErrNotObject] for valid JSON that is not an object, and encoding/json's
// *json.SyntaxError for b (whose Offset counts in b) for anything else. It
// allocates nothing for a valid body whose member names hold no escape.
func ScanNested(b []byte, levels []Level) error {
	for _, l := range levels {
		if l.Deferred < 0 || l.Deferred >= len(l.Names) {
			panic("jsonx: ScanNested's Deferred is not an index of Names")
		}
	}
	return scanObject(b, levels)
}

// scanObject is Scan, ScanDeferred and ScanNested (a level's Deferred -1
// defers nothing).
func scanObject(b []byte, levels []Level) error {
	for _, l := range levels {
		clear(l.Values[:len(l.Names)])
	}
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		if valid(b) {
			return ErrNotObject
		}
		return syntaxError(b)
	}
	if i = scanMembers(b, i, 1, levels); i < 0 {
		return syntaxError(b)
	}
	return end(b, i)
}

// scanMembers reads the object that starts at b[i] as levels[0] and returns
// the index just after it, or -1 when b is not valid JSON there. depth is
// how many containers are open around the object's member values, the
// object itself included.
func scanMembers(b []byte, i, depth int, levels []Level) int {
	l := &levels[0]
	deeper := levels[1:]
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return i + 1
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return -1
		}
		ns := i
		if i = str(b, i); i < 0 {
			return -1
		}
		k := -1
		if len(l.Names) > 0 {
			k = nameIndex(b[ns:i], l.Names)
		}
		i = skipSpace(b, i)
		if i >= len(b) || b[i] != ':' {
			return -1
		}
		i = skipSpace(b, i+1)
		vs := i
		switch {
		case k < 0 || k != l.Deferred:
			i = value(b, i, depth)
		default:
			// A repeated member overrides an earlier one, whose deferred
			// value is read by nobody: check it now.
			if !checkDeferred(levels) {
				return -1
			}
			for _, d := range deeper {
				clear(d.Values[:len(d.Names)])
			}
			switch {
			case len(deeper) > 0 && i < len(b) && b[i] == '{':
				if depth == maxDepth {
					return -1
				}
				i = scanMembers(b, i, depth+1, deeper)
			case len(deeper) == 0 && i < len(b) && deferrable(b[i]):
				i = delimit(b, i, depth)
			default:
				i = value(b, i, depth)
			}
		}
		if i < 0 {
			return -1
		}
		if k >= 0 {
			l.Values[k] = b[vs:i]
		}
		i = skipSpace(b, i)
		switch {
		case i >= len(b):
			return -1
		case b[i] == ',':
			i = skipSpace(b, i+1)
		case b[i] == '}':
			return i + 1
		default:
			return -1
		}
	}
}

// checkDeferred reports whether the deferred value the last of levels holds,
// if any, is valid JSON.
func checkDeferred(levels []Level) bool {
	last := levels[len(levels)-1]
	if last.Deferred < 0 {
		return true
	}
	prev := last.Values[last.Deferred]
	return prev == nil || !deferrable(prev[0]) || value(prev, 0, 1) == len(prev)
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
			if i = closingQuote(b, i); i < 0 {
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

// closingQuote returns the index of the quote that ends the string whose
// opening quote is b[open], or -1 when b ends first: the first quote after
// it that an odd run of backslashes does not escape. It finds quotes with
// bytes.IndexByte, which reads long strings many bytes at a time.
func closingQuote(b []byte, open int) int {
	for i := open + 1; ; i++ {
		q := bytes.IndexByte(b[i:], '"')
		if q < 0 {
			return -1
		}
		i += q
		n := 0 // backslashes just before the quote, inside the string
		for k := i - 1; k > open && b[k] == '\\'; k-- {
			n++
		}
		if n%2 == 0 {
			return i
		}
	}
}

// The classes of bytes delimit stops at; every other byte is 0.
const (
	delimQuote = 1 + iota
	delimOpen
	delimClose
)

var delimClass = [256]uint8{'"': delimQuote, '{': delimOpen, '[': delimOpen, '}': delimClose, ']': delimClose}
