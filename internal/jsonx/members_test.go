package jsonx

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEachMember(t *testing.T) {
	t.Parallel()
	body := []byte(` { "a" : 1 , "b\u0022c":"x\"}" , "d":{"e":[1,{"f":"}"}]},"g":null,"h":true, "i":-1.5e3 } `)
	var names, values []string
	ok := EachMember(body, func(n, v []byte) bool {
		names = append(names, string(n))
		values = append(values, string(v))
		return true
	})
	require.True(t, ok)
	assert.Equal(t, []string{"a", `b"c`, "d", "g", "h", "i"}, names)
	assert.Equal(t, []string{"1", `"x\"}"`, `{"e":[1,{"f":"}"}]}`, "null", "true", "-1.5e3"}, values)

	assert.False(t, EachMember([]byte(`[1]`), func(_, _ []byte) bool { return true }))
	assert.True(t, EachMember([]byte(`{}`), func(_, _ []byte) bool { t.Fatal("no member"); return true }))
	n := 0
	EachMember([]byte(`{"a":1,"b":2}`), func(_, _ []byte) bool { n++; return false })
	assert.Equal(t, 1, n, "stops when fn returns false")
}

func FuzzEachMember(f *testing.F) {
	f.Add([]byte(`{"a":1,"b":{"c":[1,2,"]"]}}`))
	f.Add([]byte(`{"\u00e9":"\\","x":""}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var want map[string]json.RawMessage
		if !json.Valid(b) || json.Unmarshal(b, &want) != nil {
			return
		}
		got := map[string]json.RawMessage{}
		require.True(t, EachMember(b, func(n, v []byte) bool {
			got[string(n)] = append(json.RawMessage(nil), v...)
			return true
		}))
		require.Len(t, got, len(want))
		for k, v := range want {
			assert.JSONEq(t, string(v), string(got[k]), k)
		}
	})
}
