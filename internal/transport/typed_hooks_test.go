package transport

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
)

// countAnswer is an answer that must hold as many codes as the call asked
// for: want survives each attempt's Reset, so Complete can compare.
type countAnswer struct {
	Codes []string `json:"codes"`
	want  int
}

func (a *countAnswer) Reset() { *a = countAnswer{want: a.want} }

func (a *countAnswer) Complete() error {
	if len(a.Codes) != a.want {
		return Missing("every code asked for")
	}
	return nil
}

// A Resetter keeps what the call put in it across attempts, and loses the
// earlier attempt's answer.
func TestSendResetsAResetter(t *testing.T) {
	t.Parallel()
	typed, s := typedVendor(t, `{"ok":true,"data":{"codes":["A"]}}`, `{"ok":true,"data":{"codes":["B","C"]}}`)
	a := countAnswer{want: 2}
	meta, err := Send(context.Background(), typed, opTypedRead, "", nil, &a)
	require.NoError(t, err)
	assert.Equal(t, 2, meta.Attempts, "one code for two is incomplete: retried")
	assert.Len(t, s.sent(), 2)
	assert.Equal(t, countAnswer{Codes: []string{"B", "C"}, want: 2}, a)

	// A keyed write short of its codes every time ends as an unknown outcome.
	typed, _ = typedVendor(t, `{"ok":true,"data":{"codes":["A"]}}`)
	a = countAnswer{want: 2}
	_, err = Send(context.Background(), typed, opTypedKeyed, "K1", nil, &a)
	require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
	assert.Contains(t, err.Error(), "no every code asked for in the answer")
}

// codecAnswer decodes itself: it records the bytes it was handed.
type codecAnswer struct {
	got   []string
	fail  bool
	Value string
}

func (a *codecAnswer) UnmarshalJSON(b []byte) error {
	a.got = append(a.got, string(b))
	if a.fail {
		return errors.New("codec refuses")
	}
	var v struct{ Value string }
	err := json.Unmarshal(b, &v)
	a.Value = v.Value
	return err
}

func (a *codecAnswer) Reset() { *a = codecAnswer{got: a.got, fail: a.fail} }

// An answer that is a json.Unmarshaler is handed the data member itself,
// once an attempt, and its error makes the answer unreadable.
func TestSendHandsDataToAnUnmarshaler(t *testing.T) {
	t.Parallel()
	typed, _ := typedVendor(t, `{"ok":true,"data": {"value":"v1"} }`)
	var a codecAnswer
	_, err := Send(context.Background(), typed, opTypedRead, "", nil, &a)
	require.NoError(t, err)
	assert.Equal(t, []string{`{"value":"v1"}`}, a.got)
	assert.Equal(t, "v1", a.Value)

	typed, s := typedVendor(t, `{"ok":true,"data":{"value":"v1"}}`)
	a = codecAnswer{fail: true}
	_, err = Send(context.Background(), typed, opTypedKeyed, "K1", nil, &a)
	require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
	assert.True(t, IsUnreadable(err))
	assert.Contains(t, err.Error(), "codec refuses")
	assert.Len(t, s.sent(), 3)
	assert.Len(t, a.got, 3, "each attempt's data decoded")
}
