package wire

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/internal/sign"
)

// publishedBody is e-Buy's published signature example (PROTOCOLS.md) laid
// out as an envelope; the sign was reproduced there with sha256sum.
const (
	publishedKey  = "D6954F665B12A4318DF2DE43082858DE"
	publishedBody = `{"action":"refund","appId":"ebuyde43082858d1","content":{"outTradeNo":"202107071625649048080","refundTradeNo":"202107071625649048080"},"lang":"zh_CN","signType":"sha256","timestamp":1625649048115,"uuid":"20210707-cd28bed6332846979cf012223c981a14","sign":"cefb7347b73b2793a6d4a99993480500bd74752e7b983acedb9515166e22d271"}`
)

func TestFields(t *testing.T) {
	t.Parallel()
	fs, err := Fields([]byte(" {\"a\" : \"x\\\"y\", \"b\":[1,{\"c\":\"}\"}],\n\"k\\u0065y\":null,\"n\":-1.5e3,\"t\":true} "))
	require.NoError(t, err)
	require.Len(t, fs, 5)
	assert.Equal(t, "a", fs[0].Key)
	assert.Equal(t, `"x\"y"`, string(fs[0].Value))
	assert.Equal(t, `[1,{"c":"}"}]`, string(fs[1].Value))
	assert.Equal(t, "key", fs[2].Key)
	assert.Equal(t, "null", string(fs[2].Value))
	assert.Equal(t, "-1.5e3", string(fs[3].Value))
	assert.Equal(t, "x\"y", String(fs, "a"))
	assert.Equal(t, "", String(fs, "key"))
	assert.Equal(t, "", String(fs, "missing"))
	assert.True(t, Bool(fs, "t"))

	empty, err := Fields([]byte(`{}`))
	require.NoError(t, err)
	assert.Empty(t, empty)

	for _, bad := range []string{``, `[]`, `"s"`, `{"a":1`, `{"a":1,"a":2}`, `{"a":1,"\u0061":2}`, "{\"a\":\"\xff\"}", `{"a":1} x`} {
		_, err := Fields([]byte(bad))
		assert.Error(t, err, bad)
	}
}

func TestBool(t *testing.T) {
	t.Parallel()
	for v, want := range map[string]bool{`true`: true, `"true"`: true, `"Y"`: true, `1`: true, `false`: false, `"false"`: false, `0`: false, `null`: false, `{}`: false} {
		fs, err := Fields([]byte(`{"success":` + v + `}`))
		require.NoError(t, err)
		assert.Equal(t, want, Bool(fs, "success"), v)
	}
}

func TestParams(t *testing.T) {
	t.Parallel()
	fs, err := Fields([]byte(`{"sign":"x","e":"","n":null,"s":"a\u0026b","num":12,"o":{"b":1, "a":2}}`))
	require.NoError(t, err)
	ps, err := Params(fs)
	require.NoError(t, err)
	assert.Equal(t, []sign.Param{{Key: "e", Value: ""}, {Key: "s", Value: "a&b"}, {Key: "num", Value: "12"}, {Key: "o", Value: `{"b":1, "a":2}`}}, ps)
}

func TestVerifyPublishedVector(t *testing.T) {
	t.Parallel()
	fs, err := Fields([]byte(publishedBody))
	require.NoError(t, err)
	ok, signed := Verify(fs, publishedKey)
	assert.True(t, signed)
	assert.True(t, ok)
	ok, _ = Verify(fs, publishedKey+"0")
	assert.False(t, ok)

	// The sign was made over the canonical content text; the same object sent
	// with other key order and spacing verifies through the canonical fallback.
	reordered := strings.Replace(publishedBody, `{"outTradeNo":"202107071625649048080","refundTradeNo":"202107071625649048080"}`,
		`{ "refundTradeNo":"202107071625649048080", "outTradeNo":"202107071625649048080" }`, 1)
	fs, err = Fields([]byte(reordered))
	require.NoError(t, err)
	ok, _ = Verify(fs, publishedKey)
	assert.True(t, ok)

	// Upper-case hex is the same signature.
	fs, err = Fields([]byte(strings.Replace(publishedBody, "cefb7347b73b", "CEFB7347B73B", 1)))
	require.NoError(t, err)
	ok, _ = Verify(fs, publishedKey)
	assert.True(t, ok)

	fs, err = Fields([]byte(`{"action":"refund"}`))
	require.NoError(t, err)
	ok, signed = Verify(fs, publishedKey)
	assert.False(t, ok)
	assert.False(t, signed)
}

func TestSignedReproducesPublishedVector(t *testing.T) {
	t.Parallel()
	b, err := Signed([]Field{
		Str("uuid", "20210707-cd28bed6332846979cf012223c981a14"), Raw("timestamp", []byte("1625649048115")),
		Str("signType", "sha256"), Str("lang", "zh_CN"),
		Raw("content", []byte(`{"outTradeNo":"202107071625649048080","refundTradeNo":"202107071625649048080"}`)),
		Str("appId", "ebuyde43082858d1"), Str("action", "refund"),
	}, publishedKey)
	require.NoError(t, err)
	assert.Equal(t, `{"action":"refund","appId":"ebuyde43082858d1","content":{"outTradeNo":"202107071625649048080","refundTradeNo":"202107071625649048080"},"lang":"zh_CN","sign":"cefb7347b73b2793a6d4a99993480500bd74752e7b983acedb9515166e22d271","signType":"sha256","timestamp":1625649048115,"uuid":"20210707-cd28bed6332846979cf012223c981a14"}`, string(b))
}

// FuzzFields feeds arbitrary bodies to the envelope splitter: it never
// panics, and what it accepts is a JSON object whose members it returns
// exactly.
func FuzzFields(f *testing.F) {
	f.Add([]byte(publishedBody))
	f.Add([]byte(`{"a":{"b":[1,"]}"]},"c":"\"}"}`))
	f.Add([]byte(`{"a":1,"a":2}`))
	f.Add([]byte(` { } `))
	f.Add([]byte(`{"a":`))
	f.Fuzz(func(t *testing.T, body []byte) {
		fs, err := Fields(body)
		if err != nil {
			return
		}
		var m map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(body, &m))
		require.Len(t, fs, len(m))
		for _, f := range fs {
			require.True(t, json.Valid(f.Value))
			var a, b any
			require.NoError(t, json.Unmarshal(f.Value, &a))
			require.NoError(t, json.Unmarshal(m[f.Key], &b))
			require.Equal(t, b, a)
		}
	})
}

// FuzzVerify checks that a body made by Signed verifies under its secret and
// under no other, and that Verify never panics on what Fields accepts.
func FuzzVerify(f *testing.F) {
	f.Add("refund", `{"b":1,"a":"中<>"}`, "secret", []byte(publishedBody))
	f.Add("", `{}`, "k", []byte(`{"sign":"00","x":null}`))
	f.Fuzz(func(t *testing.T, action, content, secret string, other []byte) {
		if fs, err := Fields(other); err == nil {
			Verify(fs, secret)
		}
		if !utf8.ValidString(action) || !json.Valid([]byte(content)) || secret == "" {
			return
		}
		b, err := Signed([]Field{Str("action", action), Raw("content", []byte(content)), Raw("success", []byte("true"))}, secret)
		require.NoError(t, err)
		fs, err := Fields(b)
		require.NoError(t, err)
		ok, signed := Verify(fs, secret)
		require.True(t, signed)
		require.True(t, ok)
		ok, _ = Verify(fs, secret+"x")
		require.False(t, ok)
	})
}

func TestFlag(t *testing.T) {
	t.Parallel()
	for in, want := range map[string][2]bool{
		`true`: {true, true}, `false`: {false, true}, `"true"`: {true, true}, `"FALSE"`: {false, true},
		`"Y"`: {true, true}, `"n"`: {false, true}, `1`: {true, true}, `0`: {false, true}, `"0"`: {false, true},
		`null`: {false, false}, `"maybe"`: {false, false}, `""`: {false, false}, `{}`: {false, false},
	} {
		fs, err := Fields([]byte(`{"success":` + in + `}`))
		require.NoError(t, err, in)
		v, known := Flag(fs, "success")
		assert.Equal(t, want, [2]bool{v, known}, in)
	}
	fs, err := Fields([]byte(`{}`))
	require.NoError(t, err)
	_, known := Flag(fs, "success")
	assert.False(t, known, "absent")
}

// TestCheckSeparatorsRefusesCollidingAnswers builds two different answers
// whose signed texts are the same, so one sign covers both: the check
// refuses the one with a separator inside a value.
func TestCheckSeparatorsRefusesCollidingAnswers(t *testing.T) {
	t.Parallel()
	real, err := Fields([]byte(`{"errorMessage":"x&success=true","success":false,"uuid":"u"}`))
	require.NoError(t, err)
	forged, err := Fields([]byte(`{"errorMessage":"x","success":"true&success=false","uuid":"u"}`))
	require.NoError(t, err)
	pr, err := Params(real)
	require.NoError(t, err)
	pf, err := Params(forged)
	require.NoError(t, err)
	require.Equal(t, sign.EbuySign(pr, "k"), sign.EbuySign(pf, "k"), "the same signed text")

	assert.ErrorContains(t, CheckSeparators(real), `"errorMessage"`)
	assert.ErrorContains(t, CheckSeparators(forged), `"success"`)
	escaped, err := Fields([]byte(`{"a":"x\u003dy"}`))
	require.NoError(t, err)
	assert.Error(t, CheckSeparators(escaped), "checked after unescaping")
	key, err := Fields([]byte(`{"a=b":1}`))
	require.NoError(t, err)
	assert.Error(t, CheckSeparators(key))
	clean, err := Fields([]byte(`{"action":"batchActivateCode","content":{"a":"x&y=z"},"success":true,"timestamp":1,"uuid":"20240517-x"}`))
	require.NoError(t, err)
	assert.NoError(t, CheckSeparators(clean), "content is an object, signed as its JSON text")
}

func TestMember(t *testing.T) {
	obj := []byte(`{"a":{"b":1},"n":null,"s":"x\u0041","num":1031000000010741,"list":[1]}`)
	assert.Equal(t, `{"b":1}`, string(Member(obj, "a")))
	assert.Nil(t, Member(obj, "missing"))
	assert.Equal(t, "xA", ScalarMember(obj, "s"))
	assert.Equal(t, "1031000000010741", ScalarMember(obj, "num"))
	for _, name := range []string{"n", "a", "list", "missing"} {
		assert.Equal(t, "", ScalarMember(obj, name), name)
	}
}
