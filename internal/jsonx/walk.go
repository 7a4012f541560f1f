package jsonx

// MembersAt walks the object that starts at b[i] (white space before it
// allowed) in one pass: it calls fn with each member's name and the index
// at which its value starts, and fn returns the index just after the value,
// either SkipValue(b, at) or where its own reading of the value ended (a
// reader that descends into the value need not skip it first, as it would
// with EachMember), or -1 to stop. MembersAt returns the index just after
// the object, or -1 when b[i] does not start an object or fn stopped. b
// must be valid JSON (see Check). A name with escapes is unescaped into a
// new slice, as EachMember does; otherwise it is a slice of b.
func MembersAt(b []byte, i int, fn func(name []byte, at int) int) int {
	i = skipSpace(b, i)
	if i >= len(b) || b[i] != '{' {
		return -1
	}
	i = skipSpace(b, i+1)
	for i < len(b) && b[i] != '}' {
		if b[i] == ',' {
			i = skipSpace(b, i+1)
		}
		name, at := memberName(b, i)
		if i = fn(name, at); i < 0 {
			return -1
		}
		i = skipSpace(b, i)
	}
	return i + 1
}

// ElementsAt walks the array that starts at b[i] as MembersAt walks an
// object: fn gets the index at which each element starts and returns the
// index just after it, or -1 to stop. ElementsAt returns the index just
// after the array, or -1 when b[i] does not start an array or fn stopped.
// b must be valid JSON.
func ElementsAt(b []byte, i int, fn func(at int) int) int {
	i = skipSpace(b, i)
	if i >= len(b) || b[i] != '[' {
		return -1
	}
	i = skipSpace(b, i+1)
	for i < len(b) && b[i] != ']' {
		if b[i] == ',' {
			i = skipSpace(b, i+1)
		}
		if i = fn(i); i < 0 {
			return -1
		}
		i = skipSpace(b, i)
	}
	return i + 1
}

// FieldsAt walks the object at b[at] as encoding/json fills a struct whose
// fields are names (at most 32), for hand decoders that must read exactly
// what encoding/json reads: it calls set with the index in names of each
// member named exactly as one of them and the index of its value, set
// returning the index after the value (or -1), and skips the other
// members. It returns the index after the object, or -1 when b[at] is not
// an object, when set refuses, and on what encoding/json reads otherwise
// than exactly (a member that matches a name only without regard to case,
// or a name given twice), so that the caller can fall back to
// encoding/json for those.
func FieldsAt(b []byte, at int, names []string, set func(i int, at int) int) int {
	var seen uint32
	return MembersAt(b, at, func(k []byte, v int) int {
		i := FieldIndex(k, names)
		switch {
		case i < 0:
			return SkipValue(b, v)
		case names[i] != string(k) || seen&(1<<i) != 0:
			return -1
		}
		seen |= 1 << i
		return set(i, v)
	})
}

// ValueAt hands the value at b[at] to read (a type's UnmarshalJSON), as
// encoding/json hands it over, and returns the index after it, or -1 when
// read refuses it.
func ValueAt(b []byte, at int, read func([]byte) error) int {
	end := SkipValue(b, at)
	if read(b[at:end]) != nil {
		return -1
	}
	return end
}
