package transport

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// listAnswer is data that comes as an array or as {"list": […]}: it
// unmarshals itself, by its shape.
type listAnswer struct {
	Items []int
	got   string // the bytes UnmarshalJSON was given
}

func (a *listAnswer) UnmarshalJSON(b []byte) error {
	a.got = string(b)
	if b[0] == '[' {
		return json.Unmarshal(b, &a.Items)
	}
	var o struct{ List []int }
	err := json.Unmarshal(b, &o)
	a.Items = o.List
	return err
}

// An answer that unmarshals itself is given the data member as it stands
// (no surrounding space), in each of its shapes; data that it refuses is
// unreadable.
func TestSendAnswerThatUnmarshalsItself(t *testing.T) {
	t.Parallel()
	for body, want := range map[string][]int{
		`{"ok":true,"data": [1,2] }`:              {1, 2},
		`{"ok":true,"data":{"list":[3]}}`:         {3},
		`{"ok":true,"data":{"list":[4]} , "x":1}`: {4},
	} {
		typed, _ := typedVendor(t, body)
		var a listAnswer
		_, err := Send(context.Background(), typed, opTypedRead, "", nil, &a)
		require.NoError(t, err, body)
		assert.Equal(t, want, a.Items, body)
		assert.Equal(t, strings.TrimSpace(a.got), a.got, "no surrounding space")
	}
	typed, s := typedVendor(t, `{"ok":true,"data":{"list":"x"}}`)
	var a listAnswer
	_, err := Send(context.Background(), typed, opTypedRead, "", nil, &a)
	assert.True(t, IsUnreadable(err), "%v", err)
	assert.Len(t, s.sent(), 3)
}

// askedAnswer is the answer of a read for one serial: it keeps the serial
// asked for across attempts, and refuses an answer about another.
type askedAnswer struct {
	redeemAnswer
	asked string
}

func (a *askedAnswer) Reset() { a.redeemAnswer = redeemAnswer{} }

func (a *askedAnswer) Complete() error {
	if a.Serial != a.asked {
		return errors.New("serial " + a.Serial + ", not " + a.asked)
	}
	return nil
}

// A Resetter keeps what its call asked for on every attempt: an answer to
// another request (a gateway that ignored a filter) is retried, and then
// the last error says why; nothing of an earlier attempt leaks.
func TestSendResetterRefusesAnotherRequestsAnswer(t *testing.T) {
	t.Parallel()
	typed, s := typedVendor(t, `{"ok":true,"data":{"serial":"S9","balance":150}}`, `{"ok":true,"data":{"serial":"S1"}}`)
	a := askedAnswer{asked: "S1"}
	meta, err := Send(context.Background(), typed, opTypedRead, "", nil, &a)
	require.NoError(t, err)
	assert.Equal(t, askedAnswer{redeemAnswer: redeemAnswer{Serial: "S1"}, asked: "S1"}, a, "the first attempt's balance is gone")
	assert.Equal(t, 2, meta.Attempts)
	assert.Len(t, s.sent(), 2)

	typed, s = typedVendor(t, `{"ok":true,"data":{"serial":"S9"}}`)
	a = askedAnswer{asked: "S1"}
	_, err = Send(context.Background(), typed, opTypedRead, "", nil, &a)
	assert.True(t, IsUnreadable(err))
	assert.Contains(t, err.Error(), "serial S9, not S1")
	assert.Len(t, s.sent(), 3)
}
