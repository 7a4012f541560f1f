package transport

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/token"
)

// A fictional vendor that takes an access token: in the X-Token header, or
// (tokenInParams) inside the body the frame writes. It answers EXPIRED to
// any token but the current one, and each answer's body is scripted per
// request for the faults.

// tokenVendor is the fictional vendor's server.
type tokenVendor struct {
	mu      sync.Mutex
	current string   // the token it accepts
	script  []string // answers to the next requests before the token check ("" checks the token)
	seen    []string // the token of each request
}

func (v *tokenVendor) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	tok := r.Header.Get("X-Token")
	if tok == "" {
		_, tok, _ = strings.Cut(string(b), "tok=")
	}
	v.mu.Lock()
	v.seen = append(v.seen, tok)
	var answer string
	if len(v.script) > 0 {
		answer, v.script = v.script[0], v.script[1:]
	}
	current := v.current
	v.mu.Unlock()
	switch {
	case answer == "500":
		w.WriteHeader(http.StatusInternalServerError)
		return
	case answer != "":
	case tok != current:
		answer = `{"ok":false,"code":"EXPIRED"}`
	default:
		answer = `{"ok":true,"data":{"n":1}}`
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, answer)
}

func (v *tokenVendor) tokens() []string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return append([]string(nil), v.seen...)
}

// renewing is a token source that renews by asking the vendor for its
// current token.
type renewing struct {
	mu      sync.Mutex
	tok     string
	v       *tokenVendor
	renews  int
	fail    error
	noRenew bool
}

func (s *renewing) Token() (*oauth2.Token, error) { return s.TokenContext(context.Background()) }

func (s *renewing) TokenContext(context.Context) (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return nil, s.fail
	}
	return &oauth2.Token{AccessToken: s.tok}, nil
}

func (s *renewing) Renew(_ context.Context, expired *oauth2.Token) (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.renews++
	if s.fail != nil {
		return nil, s.fail
	}
	if expired.AccessToken == s.tok && !s.noRenew {
		s.v.mu.Lock()
		s.tok = s.v.current
		s.v.mu.Unlock()
	}
	return &oauth2.Token{AccessToken: s.tok}, nil
}

type tokenReq struct {
	params []byte
	tok    string
}

// tokenEndpoint returns the fictional vendor's Typed adapter with src as its
// Auth source; inParams puts the token in the body instead of X-Token.
func tokenEndpoint(t *testing.T, v *tokenVendor, src oauth2.TokenSource, inParams bool) *Typed[*tokenReq] {
	t.Helper()
	clock := couponkittest.NewClock(time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC))
	c := New("fiction", couponkit.ResolveOptions(couponkit.WithTransport(couponkittest.HandlerTransport(v)), couponkit.WithClock(clock),
		couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 3})))
	t.Cleanup(c.Close)
	open := jsonEndpoint(c, "").Open
	ep := &Endpoint[*tokenReq]{
		Client: c,
		Base:   "http://fiction.test",
		Frame: func(_ *Op, _ int, key string, r *tokenReq) (Payload, error) {
			b := `{"key":"` + key + `","params":` + string(r.params) + `}`
			if inParams {
				b += " tok=" + r.tok
			}
			return Payload{Body: []byte(b), ContentType: "application/json"}, nil
		},
		Open: func(op *Op, key string, r *tokenReq, resp *Response) ([]byte, error) {
			return open(op, key, string(r.params), resp)
		},
	}
	ep.Auth = &Auth[*tokenReq]{Source: src, Expired: func(e *couponkit.Error) bool { return e.Code == "EXPIRED" }}
	if inParams {
		ep.Auth.Set = func(r *tokenReq, tok string) { r.tok = tok }
	} else {
		ep.Auth.Header = "X-Token"
	}
	return &Typed[*tokenReq]{Endpoint: ep, Wrap: func(_ *Op, _ string, p []byte) (*tokenReq, error) { return &tokenReq{params: p}, nil }}
}

func TestAuthSendsTheSourcesToken(t *testing.T) {
	t.Parallel()
	for _, inParams := range []bool{false, true} {
		v := &tokenVendor{current: "t1"}
		typed := tokenEndpoint(t, v, &renewing{tok: "t1", v: v}, inParams)
		var a plainAnswer
		_, err := Send(context.Background(), typed, opTypedRead, "", nil, &a)
		require.NoError(t, err)
		assert.Equal(t, []string{"t1"}, v.tokens())
	}
}

// The vendor refuses the token as expired: renewed once, and the call sent
// once more with the new token, whatever its class, since nothing of it was
// applied.
func TestAuthRenewsAnExpiredTokenAndSendsOnceMore(t *testing.T) {
	t.Parallel()
	for _, op := range []*Op{opTypedRead, opTypedKeyed, opTypedWrite} {
		for _, inParams := range []bool{false, true} {
			v := &tokenVendor{current: "t2"}
			src := &renewing{tok: "t1", v: v}
			typed := tokenEndpoint(t, v, src, inParams)
			var a plainAnswer
			meta, err := Send(context.Background(), typed, op, "K1", nil, &a)
			require.NoError(t, err, op.Name)
			assert.Equal(t, []string{"t1", "t2"}, v.tokens(), op.Name)
			assert.Equal(t, 1, src.renews, op.Name)
			assert.Equal(t, 1, meta.Attempts, "the second logical call's attempts")
		}
	}
}

// A write whose outcome is unknown is never sent again on this path: an
// Unsafe write whose first attempt may have been applied, and a Keyed
// write refused as expired on a retry after such an attempt.
func TestAuthNeverResendsAWriteWhoseOutcomeIsUnknown(t *testing.T) {
	t.Parallel()
	t.Run("unsafe", func(t *testing.T) {
		v := &tokenVendor{current: "t2", script: []string{"500"}}
		src := &renewing{tok: "t1", v: v}
		typed := tokenEndpoint(t, v, src, false)
		var a plainAnswer
		_, err := Send(context.Background(), typed, opTypedWrite, "O1", nil, &a)
		require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
		assert.Equal(t, []string{"t1"}, v.tokens())
		assert.Zero(t, src.renews)
	})
	t.Run("keyed", func(t *testing.T) {
		v := &tokenVendor{current: "t2", script: []string{"500"}}
		src := &renewing{tok: "t1", v: v}
		typed := tokenEndpoint(t, v, src, false)
		var a plainAnswer
		_, err := Send(context.Background(), typed, opTypedKeyed, "K1", nil, &a)
		require.ErrorIs(t, err, couponkit.ErrUnknownOutcome, "a retry refused after an ambiguous attempt")
		key, _ := couponkit.IdempotencyKey(err)
		assert.Equal(t, "K1", key)
		assert.Equal(t, []string{"t1", "t1"}, v.tokens())
		assert.Zero(t, src.renews)
	})
	t.Run("a read is retried as always, then renewed", func(t *testing.T) {
		v := &tokenVendor{current: "t2", script: []string{"500"}}
		src := &renewing{tok: "t1", v: v}
		typed := tokenEndpoint(t, v, src, false)
		var a plainAnswer
		_, err := Send(context.Background(), typed, opTypedRead, "", nil, &a)
		require.NoError(t, err)
		assert.Equal(t, []string{"t1", "t1", "t2"}, v.tokens())
	})
}

// The renewed token is refused too: the refusal is the caller's, with no
// third send.
func TestAuthSendsOnceMoreOnly(t *testing.T) {
	t.Parallel()
	v := &tokenVendor{current: "t3"}
	src := &renewing{tok: "t1", v: v}
	src.v = &tokenVendor{current: "t2"} // renews to t2, which the vendor refuses too
	typed := tokenEndpoint(t, v, src, false)
	var a plainAnswer
	_, err := Send(context.Background(), typed, opTypedKeyed, "K1", nil, &a)
	var ce *couponkit.Error
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "EXPIRED", ce.Code)
	assert.NotErrorIs(t, err, couponkit.ErrUnknownOutcome)
	assert.Equal(t, []string{"t1", "t2"}, v.tokens())
}

// A source that cannot renew (a static token), or renews to the same
// token: the refusal is returned as it is.
func TestAuthWithoutRenewal(t *testing.T) {
	t.Parallel()
	v := &tokenVendor{current: "t2"}
	typed := tokenEndpoint(t, v, token.Static("t1"), false)
	var a plainAnswer
	_, err := Send(context.Background(), typed, opTypedRead, "", nil, &a)
	var ce *couponkit.Error
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "EXPIRED", ce.Code)
	assert.Equal(t, []string{"t1"}, v.tokens())

	v = &tokenVendor{current: "t2"}
	src := &renewing{tok: "t1", v: v, noRenew: true}
	typed = tokenEndpoint(t, v, src, false)
	_, err = Send(context.Background(), typed, opTypedRead, "", nil, &a)
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "EXPIRED", ce.Code)
	assert.Equal(t, []string{"t1"}, v.tokens())
	assert.Equal(t, 1, src.renews)
}

// No token: nothing is sent, FaultAuth, and the source's failure is not the
// call's (an unknown outcome of a refresh is not one of this call).
func TestAuthSourceFailure(t *testing.T) {
	t.Parallel()
	v := &tokenVendor{current: "t1"}
	refreshLost := &couponkit.UnknownOutcomeError{Vendor: "fiction", Operation: "refresh", Err: errors.New("connection reset")}
	src := &renewing{tok: "t1", v: v, fail: refreshLost}
	typed := tokenEndpoint(t, v, src, false)
	var a plainAnswer
	_, err := Send(context.Background(), typed, opTypedKeyed, "K1", nil, &a)
	var ce *couponkit.Error
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, couponkit.FaultAuth, ce.Fault)
	assert.ErrorIs(t, err, token.ErrUnavailable)
	assert.NotErrorIs(t, err, couponkit.ErrUnknownOutcome, "the call was not sent")
	assert.Empty(t, v.tokens())

	// Renewal fails: the refusal's code stays, and the call is not sent again.
	v = &tokenVendor{current: "t2"}
	src = &renewing{tok: "t1", v: v}
	typed = tokenEndpoint(t, v, src, false)
	src.mu.Lock()
	src.fail = nil
	src.mu.Unlock()
	typed.Endpoint.Auth.Source = &failingRenew{renewing: src, err: errors.New("refresh refused")}
	_, err = Send(context.Background(), typed, opTypedRead, "", nil, &a)
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "EXPIRED", ce.Code)
	assert.Equal(t, couponkit.FaultAuth, ce.Fault)
	assert.ErrorIs(t, err, token.ErrUnavailable)
	assert.Contains(t, ce.Message, "refresh refused")
	assert.Equal(t, []string{"t1"}, v.tokens())

	// The caller's own cancellation while waiting for the token stays one.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	typed.Endpoint.Auth.Source = &renewing{v: v, fail: context.Canceled}
	_, err = Send(ctx, typed, opTypedRead, "", nil, &a)
	assert.ErrorIs(t, err, context.Canceled)
}

type failingRenew struct {
	*renewing
	err error
}

func (f *failingRenew) Renew(context.Context, *oauth2.Token) (*oauth2.Token, error) {
	return nil, f.err
}

// The token is a secret of every attempt: an echo of it in an error is
// redacted, wherever the token travelled.
func TestAuthTokenIsRedacted(t *testing.T) {
	t.Parallel()
	for _, inParams := range []bool{false, true} {
		v := &tokenVendor{current: "other", script: []string{"<html>bad token s3cr3t-t0ken</html>"}}
		typed := tokenEndpoint(t, v, token.Static("s3cr3t-t0ken"), inParams)
		var a plainAnswer
		_, err := Send(context.Background(), typed, opTypedWrite, "O1", nil, &a)
		require.ErrorIs(t, err, couponkit.ErrUnknownOutcome, "the answer quoted in the error")
		assert.Contains(t, err.Error(), "<html>bad token [redacted]")
		assert.NotContains(t, err.Error(), "s3cr3t-t0ken")
	}
}
