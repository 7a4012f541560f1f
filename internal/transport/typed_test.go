package transport

import (
	"context"
	"errors"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/internal/wiretype"
)

// A fictional vendor with a typed call, declared as a vendor package
// declares one: its envelope is {"key":…,"params":…} and its answers
// {"ok":…,"code":…,"data":…} (jsonEndpoint's), and its call redeems a code.

// typedReq is the fictional vendor's endpoint request: the params, encoded once.
type typedReq struct{ params []byte }

// redeemParams is the call's wire params.
type redeemParams struct {
	Code   string            `json:"code"`
	Amount wiretype.Yuan     `json:"amount"`
	At     wiretype.Time     `json:"at,omitzero"`
	Card   wiretype.Digits   `json:"cardNo,omitempty"`
	Extra  map[string]string `json:"extra,omitempty"`
}

// redeemAnswer is the call's wire answer: a redemption exists for its serial.
type redeemAnswer struct {
	Serial     string        `json:"serial"`
	Balance    wiretype.Fen  `json:"balance"`
	Used       wiretype.Bool `json:"used"`
	ReturnCode string        `json:"returnCode"`
	ReturnMsg  string        `json:"returnMsg"`
}

func (a *redeemAnswer) Complete() error {
	if a.Serial == "" {
		return Missing("serial")
	}
	return nil
}

func (a *redeemAnswer) Failure() (code, message string, failed bool) {
	return a.ReturnCode, a.ReturnMsg, a.ReturnCode != "" && a.ReturnCode != "00"
}

// plainAnswer declares nothing: any success is complete.
type plainAnswer struct {
	N wiretype.Int `json:"n"`
}

var (
	opTypedRead  = &Op{Name: "detail", Path: "/detail", Class: Safe}
	opTypedKeyed = &Op{Name: "redeem", Path: "/redeem", Class: Keyed, KeyName: "bizId"}
	opTypedWrite = &Op{Name: "issue", Path: "/issue", Class: Unsafe, KeyName: "orderNo"}
)

// scripted answers each request with the next body of its script (the last
// one again when it runs out) and records the requests' bodies.
type scripted struct {
	mu     sync.Mutex
	script []string
	bodies []string
}

func (s *scripted) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.bodies = append(s.bodies, string(b))
	answer := s.script[min(len(s.bodies), len(s.script))-1]
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, answer)
}

func (s *scripted) sent() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.bodies...)
}

// typedVendor returns the fictional vendor's Typed adapter answering with
// script, and the script's recorder. Retries take no real time.
func typedVendor(t *testing.T, script ...string) (*Typed[*typedReq], *scripted) {
	t.Helper()
	s := &scripted{script: script}
	clock := couponkittest.NewClock(time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC))
	c := New("fiction", couponkit.ResolveOptions(couponkit.WithTransport(couponkittest.HandlerTransport(s)), couponkit.WithClock(clock),
		couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 3})))
	t.Cleanup(c.Close)
	ep := &Endpoint[*typedReq]{
		Client: c,
		Base:   "http://fiction.test",
		Frame: func(op *Op, _ int, key string, r *typedReq) (Payload, error) {
			b := append([]byte(`{"key":"`+key+`","params":`), r.params...)
			return Payload{Body: append(b, '}'), ContentType: "application/json"}, nil
		},
	}
	// jsonEndpoint's Open is for string requests; adapt it.
	open := jsonEndpoint(c, "").Open
	ep.Open = func(op *Op, key string, r *typedReq, resp *Response) ([]byte, error) {
		return open(op, key, string(r.params), resp)
	}
	return &Typed[*typedReq]{
		Endpoint: ep,
		Wrap:     func(_ *Op, _ string, params []byte) (*typedReq, error) { return &typedReq{params: params}, nil },
		Fault: func(code string) couponkit.Fault {
			if code == "LIMIT" {
				return couponkit.FaultThrottle
			}
			return couponkit.FaultClient
		},
	}, s
}

func TestSendEncodesParamsAndDecodesTheAnswer(t *testing.T) {
	t.Parallel()
	typed, s := typedVendor(t, `{"ok":true,"data":{"serial":"S1","balance":"150","used":"true"}}`)
	p := &redeemParams{Code: "C<1>&", Amount: 1122, At: wiretype.Time(time.Date(2026, 12, 1, 2, 3, 4, 0, time.UTC)), Card: "383933091455959041"}
	var a redeemAnswer
	meta, err := Send(context.Background(), typed, opTypedKeyed, "K1", p, &a)
	require.NoError(t, err)
	// The params as encoding/json writes them without HTML escaping, in the
	// vendor's envelope, with the wire types' forms.
	assert.Equal(t, []string{`{"key":"K1","params":{"code":"C<1>&","amount":"11.22","at":"2026-12-01 10:03:04","cardNo":383933091455959041}}`}, s.sent())
	assert.Equal(t, redeemAnswer{Serial: "S1", Balance: 150, Used: true}, a)
	assert.Equal(t, 1, meta.Attempts)
	assert.Equal(t, 200, meta.HTTPStatus)
	assert.Contains(t, string(meta.Raw), `"serial":"S1"`)
}

func TestSendWithoutParamsSendsAnEmptyObject(t *testing.T) {
	t.Parallel()
	typed, s := typedVendor(t, `{"ok":true}`)
	var a plainAnswer
	_, err := Send(context.Background(), typed, opTypedRead, "", nil, &a)
	require.NoError(t, err)
	assert.Equal(t, []string{`{"key":"","params":{}}`}, s.sent())
	assert.Equal(t, plainAnswer{}, a, "no data: a zero answer")
}

// The one rule: a success whose answer lacks what the call exists for is not
// a definite answer.
func TestSendIncompleteSuccess(t *testing.T) {
	t.Parallel()
	incomplete := `{"ok":true,"data":{"balance":150}}`
	t.Run("a keyed write ends as an unknown outcome with its key", func(t *testing.T) {
		t.Parallel()
		typed, s := typedVendor(t, incomplete)
		var a redeemAnswer
		_, err := Send(context.Background(), typed, opTypedKeyed, "K1", &redeemParams{Code: "C1"}, &a)
		require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
		var ue *couponkit.UnknownOutcomeError
		require.ErrorAs(t, err, &ue)
		assert.Equal(t, "bizId", ue.KeyName)
		assert.Equal(t, "K1", ue.Key)
		assert.Equal(t, 3, ue.Attempts)
		assert.Len(t, s.sent(), 3, "retried with the same key")
		assert.True(t, IsUnreadable(err))
		assert.Contains(t, err.Error(), "no serial in the answer")
		key, ok := couponkit.IdempotencyKey(err)
		assert.True(t, ok)
		assert.Equal(t, "K1", key)
	})
	t.Run("an unsafe write is an unknown outcome at once", func(t *testing.T) {
		t.Parallel()
		typed, s := typedVendor(t, incomplete)
		var a redeemAnswer
		_, err := Send(context.Background(), typed, opTypedWrite, "O1", &redeemParams{Code: "C1"}, &a)
		var ue *couponkit.UnknownOutcomeError
		require.ErrorAs(t, err, &ue)
		assert.Equal(t, "orderNo", ue.KeyName)
		assert.Equal(t, "O1", ue.Key)
		assert.Len(t, s.sent(), 1)
	})
	t.Run("a read is retried, and the earlier answer does not leak", func(t *testing.T) {
		t.Parallel()
		typed, s := typedVendor(t, `{"ok":true,"data":{"balance":150,"used":true}}`, `{"ok":true,"data":{"serial":"S2"}}`)
		var a redeemAnswer
		meta, err := Send(context.Background(), typed, opTypedRead, "", &redeemParams{Code: "C1"}, &a)
		require.NoError(t, err)
		assert.Len(t, s.sent(), 2)
		assert.Equal(t, 2, meta.Attempts)
		assert.Equal(t, redeemAnswer{Serial: "S2"}, a, "the first attempt's balance and used are gone")
	})
	t.Run("a read that never completes fails, not an unknown outcome", func(t *testing.T) {
		t.Parallel()
		typed, s := typedVendor(t, `{"ok":true,"data":null}`)
		var a redeemAnswer
		_, err := Send(context.Background(), typed, opTypedRead, "", nil, &a)
		require.Error(t, err)
		assert.NotErrorIs(t, err, couponkit.ErrUnknownOutcome)
		var ce *couponkit.Error
		require.ErrorAs(t, err, &ce)
		assert.Equal(t, "fiction", ce.Vendor)
		assert.Equal(t, "detail", ce.Operation)
		assert.Len(t, s.sent(), 3)
	})
}

func TestSendBusinessFailureInsideData(t *testing.T) {
	t.Parallel()
	typed, s := typedVendor(t, `{"ok":true,"data":{"returnCode":"E42","returnMsg":"code used"}}`)
	var a redeemAnswer
	_, err := Send(context.Background(), typed, opTypedKeyed, "K1", &redeemParams{Code: "C1"}, &a)
	var ce *couponkit.Error
	require.ErrorAs(t, err, &ce)
	assert.NotErrorIs(t, err, couponkit.ErrUnknownOutcome, "a definite refusal: not applied")
	assert.Equal(t, "E42", ce.Code)
	assert.Equal(t, "code used", ce.Message)
	assert.Equal(t, couponkit.FaultClient, ce.Fault)
	assert.Len(t, s.sent(), 1)

	// Typed.Fault decides: a throttle code inside data is retried.
	typed, s = typedVendor(t, `{"ok":true,"data":{"returnCode":"LIMIT"}}`, `{"ok":true,"data":{"serial":"S3","returnCode":"00"}}`)
	_, err = Send(context.Background(), typed, opTypedKeyed, "K1", &redeemParams{Code: "C1"}, &a)
	require.NoError(t, err)
	assert.Equal(t, "S3", a.Serial)
	assert.Len(t, s.sent(), 2)
}

func TestSendDataThatDoesNotDecodeIsUnreadable(t *testing.T) {
	t.Parallel()
	typed, s := typedVendor(t, `{"ok":true,"data":{"serial":"S1","balance":"12.5"}}`)
	var a redeemAnswer
	_, err := Send(context.Background(), typed, opTypedKeyed, "K1", &redeemParams{Code: "C1"}, &a)
	require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
	assert.True(t, IsUnreadable(err))
	assert.Contains(t, err.Error(), "not an integer of fen")
	assert.Len(t, s.sent(), 3)
}

func TestSendParamsThatDoNotEncodeSendNothing(t *testing.T) {
	t.Parallel()
	typed, s := typedVendor(t, `{"ok":true}`)
	var a redeemAnswer
	_, err := Send(context.Background(), typed, opTypedKeyed, "K1", &redeemParams{Card: "0123"}, &a)
	var ve *couponkit.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Contains(t, ve.Reason, "redeem")
	assert.Empty(t, s.sent())
}

func TestSendWrapErrorSendsNothing(t *testing.T) {
	t.Parallel()
	typed, s := typedVendor(t, `{"ok":true}`)
	boom := couponkit.Invalid("Node", "is required")
	typed.Wrap = func(*Op, string, []byte) (*typedReq, error) { return nil, boom }
	var a plainAnswer
	_, err := Send(context.Background(), typed, opTypedRead, "", nil, &a)
	assert.True(t, errors.Is(err, boom))
	assert.Empty(t, s.sent())
}

func TestSendVendorRefusal(t *testing.T) {
	t.Parallel()
	typed, s := typedVendor(t, `{"ok":false,"code":"NOPE"}`)
	var a redeemAnswer
	_, err := Send(context.Background(), typed, opTypedKeyed, "K1", &redeemParams{Code: "C1"}, &a)
	var ce *couponkit.Error
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "NOPE", ce.Code)
	assert.NotErrorIs(t, err, couponkit.ErrUnknownOutcome)
	assert.Len(t, s.sent(), 1)
}

// A refusal with one of op's AppliedCodes is marked AlreadyApplied on the
// typed path as on Invoke's.
func TestSendMarksAppliedCodes(t *testing.T) {
	t.Parallel()
	typed, s := typedVendor(t, `{"ok":false,"code":"DUP"}`)
	op := &Op{Name: "void", Path: "/void", Class: Keyed, KeyName: "requestId", AppliedCodes: []string{"DUP"}}
	var a redeemAnswer
	_, err := Send(context.Background(), typed, op, "R1", &redeemParams{Code: "C1"}, &a)
	var ce *couponkit.Error
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "DUP", ce.Code)
	assert.True(t, couponkit.AlreadyApplied(err))
	assert.NotErrorIs(t, err, couponkit.ErrUnknownOutcome, "a refusal of the first attempt")
	assert.Len(t, s.sent(), 1)

	typed, _ = typedVendor(t, `{"ok":false,"code":"DUP"}`)
	_, err = Send(context.Background(), typed, opTypedKeyed, "K1", &redeemParams{Code: "C1"}, &a)
	assert.False(t, couponkit.AlreadyApplied(err), "an op without AppliedCodes marks nothing")
}

// EncodedParams, a hand encoder's text, is sent as it is: not re-encoded,
// not compacted.
func TestSendEncodedParamsAsTheyAre(t *testing.T) {
	t.Parallel()
	typed, s := typedVendor(t, `{"ok":true,"data":{"serial":"S1"}}`)
	var a redeemAnswer
	_, err := Send(context.Background(), typed, opTypedKeyed, "K1", EncodedParams(`{"code":"C<1>&","amount":"1.00"}`), &a)
	require.NoError(t, err)
	assert.Equal(t, []string{`{"key":"K1","params":{"code":"C<1>&","amount":"1.00"}}`}, s.sent())
	assert.Equal(t, "S1", a.Serial)
}

// detailAnswer is a read's answer whose one rule compares it with the
// request: the serial asked for must be the one answered. It keeps the
// serial asked for across attempts (a Resetter).
type detailAnswer struct {
	detailData
	asked string
}

type detailData struct {
	Serial  string       `json:"serial"`
	Balance wiretype.Fen `json:"balance"`
}

func (a *detailAnswer) Reset() { a.detailData = detailData{} }

func (a *detailAnswer) Complete() error {
	if a.Serial != a.asked {
		return errors.New("an answer for serial " + a.Serial + ", not " + a.asked)
	}
	return nil
}

// A Resetter keeps what the call asked for on every attempt, and an earlier
// attempt's answer still does not leak into a later one.
func TestSendResetterKeepsWhatTheCallAskedFor(t *testing.T) {
	t.Parallel()
	typed, s := typedVendor(t, `{"ok":true,"data":{"serial":"OTHER","balance":150}}`, `{"ok":true,"data":{"serial":"S1"}}`)
	a := detailAnswer{asked: "S1"}
	meta, err := Send(context.Background(), typed, opTypedRead, "", &redeemParams{Code: "S1"}, &a)
	require.NoError(t, err)
	assert.Len(t, s.sent(), 2, "the answer about another serial is retried")
	assert.Equal(t, 2, meta.Attempts)
	assert.Equal(t, detailAnswer{detailData: detailData{Serial: "S1"}, asked: "S1"}, a, "the first attempt's balance is gone, the serial asked for stays")

	typed, s = typedVendor(t, `{"ok":true,"data":{"serial":"OTHER"}}`)
	a = detailAnswer{asked: "S1"}
	_, err = Send(context.Background(), typed, opTypedKeyed, "K1", &redeemParams{Code: "S1"}, &a)
	require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
	assert.Contains(t, err.Error(), "an answer for serial OTHER, not S1")
	assert.Len(t, s.sent(), 3)
}
