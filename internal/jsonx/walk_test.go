package jsonx

import (
	"errors"
	"slices"
	"testing"
)

// MembersAt and ElementsAt, skipping every value, see what EachMember and
// EachElement see and end where SkipValue ends; descending into every
// object and array instead of skipping it ends at the same place.
func FuzzWalkAt(f *testing.F) {
	for _, s := range []string{`{"a":1,"b":{"c":[1,{"d":"e"}]},"\u0066":null}`, ` [ 1 , "x\"]" , {"k":[]} ] `, `{}`, `[]`, `"s"`, `7`,
		`{"result":{"return_code":"0","return_value":{"list":[{"code":"A"},{"code":"B"}]}},"request_id":"r"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if Check(b) != nil {
			return
		}
		start := skipSpace(b, 0)
		var names, values, walked, walkedValues []string
		isObj := EachMember(b, func(k, v []byte) bool {
			names, values = append(names, string(k)), append(values, string(v))
			return true
		})
		end := MembersAt(b, 0, func(k []byte, at int) int {
			e := SkipValue(b, at)
			walked, walkedValues = append(walked, string(k)), append(walkedValues, string(b[at:e]))
			return e
		})
		if isObj != (end >= 0) || !slices.Equal(names, walked) || !slices.Equal(values, walkedValues) {
			t.Fatalf("%s: EachMember %v %q %q, MembersAt %d %q %q", b, isObj, names, values, end, walked, walkedValues)
		}
		var elems, walkedElems []string
		isArr := EachElement(b, func(v []byte) bool { elems = append(elems, string(v)); return true })
		aend := ElementsAt(b, 0, func(at int) int {
			e := SkipValue(b, at)
			walkedElems = append(walkedElems, string(b[at:e]))
			return e
		})
		if isArr != (aend >= 0) || !slices.Equal(elems, walkedElems) {
			t.Fatalf("%s: EachElement %v %q, ElementsAt %d %q", b, isArr, elems, aend, walkedElems)
		}
		if isObj || isArr {
			want := SkipValue(b, start)
			if got := max(end, aend); got != want {
				t.Fatalf("%s: the walk ends at %d, SkipValue at %d", b, got, want)
			}
			if got := descend(b, start); got != want {
				t.Fatalf("%s: descending ends at %d, SkipValue at %d", b, got, want)
			}
		}
	})
}

// descend walks the value at b[at] into every object and array, and
// returns the index after it.
func descend(b []byte, at int) int {
	switch b[at] {
	case '{':
		return MembersAt(b, at, func(_ []byte, v int) int { return descend(b, v) })
	case '[':
		return ElementsAt(b, at, func(v int) int { return descend(b, v) })
	}
	return SkipValue(b, at)
}

// A walk stops when fn returns -1.
func TestWalkAtStops(t *testing.T) {
	b := []byte(`{"a":1,"b":2}`)
	n := 0
	if end := MembersAt(b, 0, func(_ []byte, at int) int { n++; return -1 }); end != -1 || n != 1 {
		t.Errorf("MembersAt went on: %d after %d members", end, n)
	}
	if end := ElementsAt([]byte(`[1,2]`), 0, func(int) int { return -1 }); end != -1 {
		t.Errorf("ElementsAt went on: %d", end)
	}
}

// FieldsAt hands over the members named exactly, skips the others, and
// refuses what encoding/json would read otherwise: a name matched only
// without regard to case, a name given twice, a value set refuses, and
// anything but an object. ValueAt hands a value over whole and ends after
// it.
func TestFieldsAt(t *testing.T) {
	names := []string{"code", "status"}
	read := func(b string) (int, map[string]string) {
		got := map[string]string{}
		end := FieldsAt([]byte(b), 0, names, func(i, at int) int {
			return ValueAt([]byte(b), at, func(v []byte) error {
				if string(v) == `"refused"` {
					return errTest
				}
				got[names[i]] = string(v)
				return nil
			})
		})
		return end, got
	}
	b := `{"code":"A1","other":{"x":[1,2]},"status":3}`
	end, got := read(b)
	if end != len(b) || got["code"] != `"A1"` || got["status"] != "3" || len(got) != 2 {
		t.Fatalf("FieldsAt(%s) = %d %q", b, end, got)
	}
	for _, b := range []string{`{"Code":"A1"}`, `{"code":"A1","code":"B2"}`, `{"code":"refused"}`, `["code"]`, `"code"`} {
		if end, got := read(b); end != -1 {
			t.Errorf("FieldsAt(%s) = %d %q, want -1", b, end, got)
		}
	}
}

var errTest = errors.New("refused")
