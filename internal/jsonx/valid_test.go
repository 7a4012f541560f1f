package jsonx

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

var validCases = []string{
	`{}`, `[]`, ` {"a":1} `, `"x"`, `0`, `-0.5e+10`, `true`, `false`, `null`, `{"a":[1,{"b":null}],"c":"\u00e9\n"}`,
	`[1,2,]`, `{"a":1,}`, `{"a" 1}`, `{a:1}`, `01`, `-`, `1.`, `1e`, `.5`, `+1`, `"\x"`, `"\u12g4"`, "\"a\x01\"", `tru`, `nul`,
	`{"a":1}}`, `[[]`, ``, ` `, `{"a":1} {}`, `"\ud800"`, "\"\xff\"", `[1 2]`, `{"a":}`, `{,}`, `[,1]`, `1 2`, "\t[\r\n]\n",
	strings.Repeat("[", 10000) + strings.Repeat("]", 10000), strings.Repeat("[", 10001) + strings.Repeat("]", 10001),
	strings.Repeat(`{"a":`, 10000) + "{}" + strings.Repeat("}", 10000), strings.Repeat(`{"a":`, 9999) + "{}" + strings.Repeat("}", 9999),
}

func TestValidMatchesEncodingJSON(t *testing.T) {
	t.Parallel()
	for _, c := range validCases {
		assert.Equal(t, json.Valid([]byte(c)), valid([]byte(c)), "%.40q", c)
	}
}

func TestValidAllocatesNothing(t *testing.T) {
	b := []byte(`{"a":[1,{"b":null}],"c":"x"}`)
	assert.Equal(t, 0.0, testing.AllocsPerRun(10, func() { valid(b) }))
}

func FuzzValid(f *testing.F) {
	for _, c := range validCases {
		if len(c) < 200 {
			f.Add([]byte(c))
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := valid(b), json.Valid(b); got != want {
			t.Fatalf("valid(%q) = %v, json.Valid says %v", b, got, want)
		}
	})
}
