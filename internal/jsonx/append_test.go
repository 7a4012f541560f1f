package jsonx

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
)

func encodingJSON(t testing.TB, s string) string {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		t.Fatal(err)
	}
	return string(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}

func TestAppendStringMatchesEncodingJSON(t *testing.T) {
	for _, s := range []string{"", "plain", `q"b\s`, "<a&b>", "中文 éé", "\x00\x01\x1f\b\f\n\r\t", "bad\xffutf8\xc3", "\u2028\u2029", "\x7f"} {
		assert.Equal(t, encodingJSON(t, s), string(AppendString(nil, s)), "%q", s)
	}
	assert.Equal(t, `x"a\nb"`, string(AppendString([]byte("x"), "a\nb")))
	assert.Equal(t, `a\"b`, string(AppendStringBody(nil, `a"b`)))
}

func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "中文", "\u2028", "\xff", `"\`, "<&>", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := string(AppendString(nil, s)), encodingJSON(t, s); got != want {
			t.Fatalf("AppendString(%q) = %s, want %s", s, got, want)
		}
	})
}
