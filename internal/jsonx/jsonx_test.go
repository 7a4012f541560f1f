package jsonx

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMarshalNoHTMLEscape(t *testing.T) {
	b, err := Marshal(map[string]string{"a": "<x>&y", "b": "中文"})
	require.NoError(t, err)
	assert.Equal(t, `{"a":"<x>&y","b":"中文"}`, string(b))
}

func TestCanonicalSortsEveryLevel(t *testing.T) {
	type inner struct {
		Z int    `json:"z"`
		A string `json:"a"`
	}
	type outer struct {
		Y  []inner `json:"y"`
		B  int64   `json:"b"`
		Id int64   `json:"id"`
	}
	b, err := Canonical(outer{Y: []inner{{Z: 1, A: "&"}}, B: 2, Id: 1031000000010741})
	require.NoError(t, err)
	assert.Equal(t, `{"b":2,"id":1031000000010741,"y":[{"a":"&","z":1}]}`, string(b))
}

func TestFlex(t *testing.T) {
	var v struct {
		S, N, B, Z Flex
	}
	require.NoError(t, json.Unmarshal([]byte(`{"S":"true","N":0,"B":true,"Z":null}`), &v))
	assert.Equal(t, Flex("true"), v.S)
	assert.True(t, v.S.Bool())
	assert.Equal(t, "0", v.N.String())
	assert.False(t, v.N.Bool())
	assert.True(t, v.B.Bool())
	assert.Equal(t, Flex(""), v.Z)
	assert.Error(t, json.Unmarshal([]byte(`{"S":{}}`), &v))
	assert.Error(t, json.Unmarshal([]byte(`{"S":[1]}`), &v))
}

// FuzzFlex: a JSON string decodes to what encoding/json makes of it, whether
// or not it takes the no-escape fast path; other values never panic.
func FuzzFlex(f *testing.F) {
	for _, s := range []string{`"abc"`, `"a\"b"`, `"中文"`, `"\u4e2d"`, `1`, `-2.5`, `true`, `null`, `""`, `"`, `{}`, `"\ud800"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var v struct{ F Flex }
		doc := append(append([]byte(`{"F":`), b...), '}')
		err := json.Unmarshal(doc, &v)
		var want struct{ F string }
		if json.Unmarshal(doc, &want) == nil {
			if err != nil {
				t.Fatalf("%q: %v", b, err)
			}
			if string(v.F) != want.F {
				t.Fatalf("%q: got %q, encoding/json %q", b, v.F, want.F)
			}
		}
	})
}
