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
