package jsonx

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var envelopeNames = []string{"code", "msg", "data"}

func TestScan(t *testing.T) {
	t.Parallel()
	body := []byte(" {\"msg\" : \"成功\", \"x\":[1,{\"code\":9}], \"CODE\":\"7\",\"data\":\t{\"list\":[\"}\\\"\"]} ,\"code\": 0 }\n")
	var v [3][]byte
	require.NoError(t, Scan(body, envelopeNames, v[:]))
	assert.Equal(t, []string{"0", `"成功"`, `{"list":["}\""]}`}, []string{string(v[0]), string(v[1]), string(v[2])},
		"values without white space; a repeated name's last value; names in any case; nested members not taken")

	require.NoError(t, Scan([]byte(`{"\u0063ode":1,"Msg":null}`), envelopeNames, v[:]))
	assert.Equal(t, "1", string(v[0]), "a name with an escape is unescaped")
	assert.Equal(t, "null", string(v[1]))
	assert.Nil(t, v[2], "an absent member is nil")

	require.NoError(t, Scan([]byte(` { } `), envelopeNames, v[:]))
	assert.Equal(t, [3][]byte{}, v)

	for _, in := range []string{`[]`, `null`, `"x"`, `1`, ` true `} {
		assert.ErrorIs(t, Scan([]byte(in), envelopeNames, v[:]), ErrNotObject, in)
	}
}

// TestScanSyntaxErrors: every malformed or truncated body is encoding/json's
// syntax error at the offset Check gives, deferred or not.
func TestScanSyntaxErrors(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		``, ` `, `{`, `{"code":0`, `{"code":0,`, `{"code":0,"data":{"list":[1,2`, `{"code":0,"data":{"a":"}"}`,
		`{"code":0,"data":"x`, `{"code":0,"data":}`, `{"code":0,"data"}`, `{"code":0 "data":{}}`, `{"code":0,,"data":{}}`,
		`{"code":tru,"data":{}}`, `{"code":01,"data":{}}`, `{"msg":"a` + "\x01" + `","data":{}}`, `{"code":0,"data":{}} x`,
		`{"code":0,"data":{}}}`, `{code:0}`, `{"code":0,"data":[]]`, `{"data":{}`, `[1,`, `nul`,
		`{"data":{"a":1}},`, `{"data":` + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + `}`,
	} {
		want := Check([]byte(in))
		require.Error(t, want, in)
		for _, deferred := range []bool{false, true} {
			var v [3][]byte
			var err error
			if deferred {
				err = ScanDeferred([]byte(in), envelopeNames, 2, v[:])
			} else {
				err = Scan([]byte(in), envelopeNames, v[:])
			}
			var se *json.SyntaxError
			require.True(t, errors.As(err, &se), "%.60q deferred=%v: %v", in, deferred, err)
			assert.Equal(t, want, err, "%.60q deferred=%v", in, deferred)
		}
	}
}

// TestScanDeferred: the deferred member is delimited, not checked, and
// everything else is checked.
func TestScanDeferred(t *testing.T) {
	t.Parallel()
	var v [3][]byte
	for in, data := range map[string]string{
		`{"code":0,"data":{"a":tru}}`:          `{"a":tru}`,
		`{"code":0,"data":[1 2],"msg":"ok"}`:   `[1 2]`,
		`{"code":0,"data":"a` + "\x01" + `"}`:  "\"a\x01\"",
		`{"code":0,"data":{"a":[1}},"msg":""}`: `{"a":[1}}`,
		`{"code":0,"data":{"a":1]}`:            `{"a":1]`, // the brackets are counted, not matched
	} {
		require.NoError(t, ScanDeferred([]byte(in), envelopeNames, 2, v[:]), in)
		assert.Equal(t, data, string(v[2]), in)
		assert.Error(t, Check(v[2]), "%s: the data is for its reader to check", in)
		assert.Error(t, Check([]byte(in)), in)
	}
	for _, in := range []string{
		`{"code":0,"data":tru}`,                        // a scalar is checked
		`{"code":0,"data":{"a":1}]`,                    // the object still closes
		`{"data":{"a":tru},"data":{}}`,                 // an overridden value is checked
		`{"DATA":"\u00zz","data":null}`,                // whichever spelling overrides it
		`{"code":0,"data":{"a":"b\"}}`,                 // the string ends at the first quote not escaped
		`{"data":"\\\"}`,                               // …and must end
		`{"code":0,"data":{"a":{"b":[1]}}`,             // truncated
		`{"code":0,"data":{"a":{"b":[1]}}}  ,`,         // after the object
		`{"code":0,"data":{"a":1},"msg":"ok"` + "\x00", // after the object
	} {
		assert.Error(t, ScanDeferred([]byte(in), envelopeNames, 2, v[:]), in)
	}
	require.NoError(t, ScanDeferred([]byte(`{"data":{"a":"\"]\\"}}`), envelopeNames, 2, v[:]))
	assert.Equal(t, `{"a":"\"]\\"}`, string(v[2]), "quotes and brackets inside strings")
	deep := `{"data":` + strings.Repeat("[", 9999) + strings.Repeat("]", 9999) + `}`
	require.NoError(t, ScanDeferred([]byte(deep), envelopeNames, 2, v[:]))
	assert.NoError(t, Check([]byte(deep)))
	assert.Panics(t, func() { _ = ScanDeferred([]byte(`{}`), envelopeNames, 3, v[:]) })
}

func TestScanAllocatesNothing(t *testing.T) {
	b := []byte(`{"code":0,"msg":"成功","data":{"list":[{"a":"x\"y","b":[1,2.5,true,null]}]}}`)
	var v [3][]byte
	assert.Equal(t, 0.0, testing.AllocsPerRun(10, func() { _ = Scan(b, envelopeNames, v[:]) }))
	assert.Equal(t, 0.0, testing.AllocsPerRun(10, func() { _ = ScanDeferred(b, envelopeNames, 2, v[:]) }))
	nested := []byte(`{"e":1,"body":{"err":null,"in":{"node":{"a":"x\"y","b":[1,2.5,true,null]}}}}`)
	var nv [3][2][]byte
	lv := nestedLevels(&nv)
	assert.Equal(t, 0.0, testing.AllocsPerRun(10, func() { _ = ScanNested(nested, lv) }))
}

// scanStruct is what encoding/json decodes of the members Scan looks for.
type scanStruct struct {
	Code json.RawMessage `json:"code"`
	Msg  json.RawMessage `json:"msg"`
	Data json.RawMessage `json:"data"`
}

// FuzzScanEnvelope holds Scan and ScanDeferred to encoding/json: the same
// verdict on every input (valid object, valid but not an object, invalid,
// with encoding/json's own error), and the same member values as a decode
// into json.RawMessage fields; ScanDeferred's deferred value is valid
// exactly when the whole input is.
func FuzzScanEnvelope(f *testing.F) {
	for _, s := range []string{
		`{"code":0,"msg":"ok","data":{"list":[{"a":"}\"]"}]}}`, `{"Code":"1","MSG":null,"data":[1,2,3],"data":"x"}`,
		`{"code":0,"data":{"a":tru}}`, `{"data":{"a":1]}`, `{"data":"\\\""}`, `{"\u0064ata":{}}`, ` {} `, `[]`, `nul`,
		`{"data":{},"data":[}`, `{"data":[{]}`, `{"code":0,"data":{}} `, "{\"msg\":\"\xff\"}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var v, d [3][]byte
		err := Scan(b, envelopeNames, v[:])
		derr := ScanDeferred(b, envelopeNames, 2, d[:])
		var want scanStruct
		jerr := json.Unmarshal(b, &want)
		switch {
		case !json.Valid(b):
			require.Error(t, err)
			require.Equal(t, Check(b), err, "Scan's error is Check's")
			if derr == nil {
				require.NotNil(t, d[2], "an invalid input passes ScanDeferred only by its deferred value")
				require.False(t, json.Valid(d[2]), "%q: deferred %q", b, d[2])
			} else {
				require.Equal(t, err, derr)
			}
		case strings.TrimLeft(string(b), " \t\r\n")[0] != '{':
			require.ErrorIs(t, err, ErrNotObject)
			require.ErrorIs(t, derr, ErrNotObject)
		default:
			require.NoError(t, jerr)
			require.NoError(t, err)
			require.NoError(t, derr)
			require.Equal(t, []string{string(want.Code), string(want.Msg), string(want.Data)},
				[]string{string(v[0]), string(v[1]), string(v[2])}, "%q", b)
			require.Equal(t, v, d)
			if d[2] != nil {
				require.True(t, json.Valid(d[2]))
			}
		}
	})
}

// nestedLevels are the levels of the ScanNested tests:
// {"e":…,"body":{"err":…,"in":{"node":…}}}.
func nestedLevels(v *[3][2][]byte) []Level {
	return []Level{
		{Names: []string{"e", "body"}, Deferred: 1, Values: v[0][:]},
		{Names: []string{"err", "in"}, Deferred: 1, Values: v[1][:]},
		{Names: []string{"node"}, Deferred: 0, Values: v[2][:]},
	}
}

// TestScanNested: every level is found in one pass, the last level's
// deferred value is only delimited, and everything else is checked.
func TestScanNested(t *testing.T) {
	t.Parallel()
	var v [3][2][]byte
	lv := nestedLevels(&v)
	in := `{"e":1,"body":{"ERR":null,"in":{"node":{"a":tru}},"x":[1]}}`
	require.NoError(t, ScanNested([]byte(in), lv))
	assert.Equal(t, "1", string(v[0][0]))
	assert.Equal(t, `{"ERR":null,"in":{"node":{"a":tru}},"x":[1]}`, string(v[0][1]))
	assert.Equal(t, "null", string(v[1][0]))
	assert.Equal(t, `{"node":{"a":tru}}`, string(v[1][1]))
	assert.Equal(t, `{"a":tru}`, string(v[2][0]), "the deferred value is for its reader to check")

	require.NoError(t, ScanNested([]byte(`{"body":{"in":{"node":1}},"body":{"in":"x"}}`), lv))
	assert.Equal(t, `"x"`, string(v[1][1]), "the last body counts")
	assert.Nil(t, v[2][0], "a level that is not an object has no deeper values")
	require.NoError(t, ScanNested([]byte(`{"body":7}`), lv))
	assert.Equal(t, "7", string(v[0][1]))
	assert.Nil(t, v[1][1])

	for _, in := range []string{
		`{"body":{"in":{"node":{}},"err":tru}}`,              // outside the node
		`{"body":{"in":{"node":{"a":tru}}},"body":null}`,     // an overridden node is checked
		`{"body":{"in":{"node":{"a":tru}},"in":{"node":1}}}`, // …at every level
		`{"body":{"in":{"node":[1}}}`,                        // truncated
		`{"body":{"in":{"node":{}}}} x`,                      // after the object
		`{"body":{"in":{"node":{}},}}`,                       // a stray comma
		`{"body":{"in":"\u00zz"}}`,                           // a level that is not an object is checked
	} {
		err := ScanNested([]byte(in), lv)
		require.Error(t, err, in)
		assert.Equal(t, Check([]byte(in)), err, "%s: the error and its offset are the whole input's", in)
	}
	assert.ErrorIs(t, ScanNested([]byte(`[1]`), lv), ErrNotObject)
	deep := `{"body":{"in":{"node":` + strings.Repeat("[", 9997) + strings.Repeat("]", 9997) + `}}}`
	require.NoError(t, ScanNested([]byte(deep), lv))
	assert.NoError(t, Check([]byte(deep)))
	deeper := `{"body":{"in":{"node":` + strings.Repeat("[", 9998) + strings.Repeat("]", 9998) + `}}}`
	assert.Error(t, ScanNested([]byte(deeper), lv))
	assert.Error(t, Check([]byte(deeper)))
	assert.Panics(t, func() { _ = ScanNested([]byte(`{}`), []Level{{Names: []string{"a"}, Deferred: 1, Values: v[0][:]}}) })
}

// FuzzScanNested holds ScanNested to encoding/json: the same verdict on
// every input, and at every level the member values a decode of the level's
// object into json.RawMessage fields finds (the last of a repeated name
// counting whole); the deferred value is valid exactly when the input is.
func FuzzScanNested(f *testing.F) {
	for _, s := range []string{
		`{"e":1,"body":{"err":null,"in":{"node":{"a":[1,"}"]}}}}`, `{"BODY":{"In":{"NODE":"x"}},"body":{"in":null}}`,
		`{"body":{"in":{"node":{"a":tru}}}}`, `{"body":{"in":{"node":{}},"in":{"node":[}}}`, `{"body":[]}`, `[]`, ` {} `,
		`{"body":{"in":{"node":1},"err":{"c":"\u00zz"}}}`, `{"body":{"in":{"node":{"a":1]}}}`, "{\"e\":\"\xff\"}",
	} {
		f.Add([]byte(s))
	}
	type pair struct {
		A json.RawMessage `json:"e"`
		B json.RawMessage `json:"body"`
	}
	type inner struct {
		A json.RawMessage `json:"err"`
		B json.RawMessage `json:"in"`
	}
	type leaf struct {
		N json.RawMessage `json:"node"`
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var v [3][2][]byte
		err := ScanNested(b, nestedLevels(&v))
		switch {
		case !json.Valid(b):
			if err == nil {
				require.NotNil(t, v[2][0], "an invalid input passes ScanNested only by its deferred value")
				require.False(t, json.Valid(v[2][0]), "%q: deferred %q", b, v[2][0])
			} else {
				require.Equal(t, Check(b), err)
			}
		case strings.TrimLeft(string(b), " \t\r\n")[0] != '{':
			require.ErrorIs(t, err, ErrNotObject)
		default:
			require.NoError(t, err)
			var p pair
			require.NoError(t, json.Unmarshal(b, &p))
			want := [3][2][]byte{{p.A, p.B}}
			if len(p.B) > 0 && p.B[0] == '{' {
				var in inner
				require.NoError(t, json.Unmarshal(p.B, &in))
				want[1] = [2][]byte{in.A, in.B}
				if len(in.B) > 0 && in.B[0] == '{' {
					var l leaf
					require.NoError(t, json.Unmarshal(in.B, &l))
					want[2][0] = l.N
				}
			}
			for i := range want {
				for j := range want[i] {
					require.Equal(t, string(want[i][j]), string(v[i][j]), "%q: level %d, value %d", b, i, j)
				}
			}
			if v[2][0] != nil {
				require.True(t, json.Valid(v[2][0]))
			}
		}
	})
}
