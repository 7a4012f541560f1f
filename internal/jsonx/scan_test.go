package jsonx

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheck(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{`{}`, ` [1, "a", {"b": null}] `, `"x"`, `-1.5e3`, `true`, "\n null \t"} {
		assert.NoError(t, Check([]byte(ok)), ok)
	}
	for in, offset := range map[string]int64{
		`{"a":1,}`:  8,
		`[1 2]`:     4,
		`{"a":1} x`: 9,
		``:          0,
		`{"a":`:     5,
	} {
		err := Check([]byte(in))
		var se *json.SyntaxError
		require.True(t, errors.As(err, &se), "%q: %v", in, err)
		assert.Equal(t, offset, se.Offset, in)
	}
	deep := strings.Repeat("[", 10001) + strings.Repeat("]", 10001)
	assert.Error(t, Check([]byte(deep)), "nesting beyond encoding/json's limit")
}

func TestEachElement(t *testing.T) {
	t.Parallel()
	var got []string
	ok := EachElement([]byte(` [ 1 , "a]\"" ,{"b":[2,"]"]} , null,true, [] ] `), func(v []byte) bool {
		got = append(got, string(v))
		return true
	})
	require.True(t, ok)
	assert.Equal(t, []string{"1", `"a]\""`, `{"b":[2,"]"]}`, "null", "true", "[]"}, got)

	assert.False(t, EachElement([]byte(`{"a":1}`), func([]byte) bool { return true }))
	assert.True(t, EachElement([]byte(` [ ] `), func([]byte) bool { t.Fatal("no element"); return true }))
	n := 0
	EachElement([]byte(`[1,2,3]`), func([]byte) bool { n++; return n < 2 })
	assert.Equal(t, 2, n, "stops when fn returns false")
}

func TestScalar(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		`"abc"`:              "abc",
		`"a\"b\u00e9\/"`:     `a"bé/`,
		"\"\xff\"":           "\uFFFD",
		`""`:                 "",
		`-12.5e3`:            "-12.5e3",
		`0`:                  "0",
		`true`:               "true",
		`false`:              "false",
		` "padded" `:         "padded",
		`"\ud83d\ude00 end"`: "😀 end",
	} {
		got, ok := Scalar([]byte(in))
		assert.True(t, ok, in)
		assert.Equal(t, want, string(got), in)
	}
	got, ok := Scalar([]byte(`null`))
	assert.True(t, ok)
	assert.Nil(t, got)
	for _, in := range []string{`{"a":1}`, `[1]`, ` []`} {
		_, ok := Scalar([]byte(in))
		assert.False(t, ok, in)
	}
	in := []byte(`"plain"`)
	got, _ = Scalar(in)
	assert.Same(t, &in[1], &got[0], "a string without escapes is a slice of its input")
}

func TestFieldIndex(t *testing.T) {
	t.Parallel()
	names := []string{"status", "Code", "code", "data"}
	for in, want := range map[string]int{
		"status": 0, "STATUS": 0, "code": 2, "Code": 1, "cODE": 1, "data": 3, "dat": -1, "": -1,
	} {
		assert.Equal(t, want, FieldIndex([]byte(in), names), in)
	}
}

// FuzzScan walks any valid JSON with EachMember, EachElement and Scalar and
// compares what they yield with encoding/json's decoding of the same text.
func FuzzScan(f *testing.F) {
	f.Add([]byte(`[1,"a\"",{"b":[null,true]},"\u00e9"]`))
	f.Add([]byte(`{"a":"\ud800","b":-0.5E+2}`))
	f.Add([]byte("\"\xff\xfe\""))
	f.Fuzz(func(t *testing.T, b []byte) {
		if err := Check(b); (err == nil) != json.Valid(b) {
			t.Fatalf("%q: Check %v, Valid %v", b, err, json.Valid(b))
		}
		if !json.Valid(b) {
			return
		}
		var walk func(v []byte)
		walk = func(v []byte) {
			var want any
			require.NoError(t, json.Unmarshal(v, &want))
			switch w := want.(type) {
			case []any:
				n := 0
				require.True(t, EachElement(v, func(e []byte) bool { n++; walk(e); return true }))
				require.Equal(t, len(w), n)
				_, ok := Scalar(v)
				require.False(t, ok)
			case map[string]any:
				require.True(t, EachMember(v, func(_, m []byte) bool { walk(m); return true }))
				require.False(t, EachElement(v, func([]byte) bool { return true }))
				_, ok := Scalar(v)
				require.False(t, ok)
			case string:
				got, ok := Scalar(v)
				require.True(t, ok)
				require.Equal(t, w, string(got))
			case nil:
				got, ok := Scalar(v)
				require.True(t, ok)
				require.Nil(t, got)
			default: // a number or a bool: its text
				got, ok := Scalar(v)
				require.True(t, ok)
				require.Equal(t, strings.TrimSpace(string(v)), string(got))
			}
		}
		walk(b)
	})
}
