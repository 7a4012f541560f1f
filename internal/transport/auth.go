package transport

import (
	"context"
	"errors"
	"net/http"

	"golang.org/x/oauth2"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/token"
)

// Auth gives every logical call of an Endpoint an access token from Source
// (TOP's session, Suning's OAuth access_token), and renews it once when the
// vendor refuses it as expired.
//
// The token is taken once per logical call, with the call's context (from
// TokenContext when Source is a token.ContextSource), before anything is
// sent; every attempt of the call carries it, and it is one of the
// attempt's secrets, redacted from errors in every spelling. A source that
// fails ends the call with a *couponkit.Error of FaultAuth wrapping a
// *token.Unavailable, and nothing is sent.
//
// When the call ends in a definite refusal that Expired recognizes, and
// Source is a token.Renewer, the token is renewed (one refresh however many
// calls were refused with it) and the logical call is sent once more, with
// the same key and params and the new token. The pipeline ends a write with
// a plain refusal only when none of its attempts may have been applied (see
// [Client.Do]): an expired token is refused before the vendor acts, so the
// call is sent again whatever its class. A write that ended as an unknown
// outcome is never sent again on this path, nor is a call refused with the
// renewed token.
type Auth[R any] struct {
	// Source gives the tokens.
	Source oauth2.TokenSource
	// Set puts the access token in the request, for Frame to send (and
	// sign): TOP's session parameter. Nil when Header says where it goes.
	Set func(req R, accessToken string)
	// Header, when not empty, is the request header (canonical key) the
	// access token is sent in, added to every attempt's payload after Frame:
	// Suning's access_token.
	Header string
	// Expired reports whether a definite refusal says the token expired
	// (TOP's code 27, Suning's sys.check.user-permission:overdue).
	Expired func(*couponkit.Error) bool
}

// do runs call through the pipeline with the Endpoint's Auth, if any.
func (e *Endpoint[R]) do(ctx context.Context, call *Call, req R) (*Response, error) {
	a := e.Auth
	if a == nil {
		return e.Client.Do(ctx, call)
	}
	tok, err := a.token(ctx)
	if err != nil {
		return nil, e.Client.noToken(ctx, call, nil, err)
	}
	a.carry(call, req, tok.AccessToken)
	resp, err := e.Client.Do(ctx, call)
	refused, ok := err.(*couponkit.Error)
	if !ok || a.Expired == nil || !a.Expired(refused) {
		return resp, err
	}
	rn, ok := a.Source.(token.Renewer)
	if !ok {
		return resp, err
	}
	fresh, rerr := rn.Renew(ctx, tok)
	if rerr == nil && (fresh == nil || fresh.AccessToken == "") {
		rerr = errEmptyToken
	}
	if rerr != nil {
		return nil, e.Client.noToken(ctx, call, refused, rerr)
	}
	if fresh.AccessToken == tok.AccessToken {
		return resp, err
	}
	a.carry(call, req, fresh.AccessToken)
	return e.Client.Do(ctx, call)
}

var errEmptyToken = errors.New("the token source gave an empty access token")

// token returns the source's token, with ctx when the source takes one.
func (a *Auth[R]) token(ctx context.Context) (*oauth2.Token, error) {
	var (
		tok *oauth2.Token
		err error
	)
	if cs, ok := a.Source.(token.ContextSource); ok {
		tok, err = cs.TokenContext(ctx)
	} else {
		tok, err = a.Source.Token()
	}
	if err == nil && (tok == nil || tok.AccessToken == "") {
		err = errEmptyToken
	}
	return tok, err
}

// carry makes every attempt of call send accessToken.
func (a *Auth[R]) carry(call *Call, req R, accessToken string) {
	call.authToken, call.authHeader = accessToken, a.Header
	if a.Set != nil {
		a.Set(req, accessToken)
	}
}

// withAuth returns p with the call's access token among its secrets and,
// when the call names a header, in that header.
func (c *Call) withAuth(p Payload) Payload {
	if c.authToken == "" {
		return p
	}
	secrets := make([]string, 0, len(p.Secrets)+1)
	p.Secrets = append(append(secrets, p.Secrets...), c.authToken)
	if c.authHeader != "" {
		h := make(http.Header, len(p.Header)+1)
		for k, v := range p.Header {
			h[k] = v
		}
		h[c.authHeader] = []string{c.authToken}
		p.Header = h
	}
	return p
}

// noToken is the error of a call that was not sent (again) because no
// access token could be had: FaultAuth, with the vendor's refusal of the
// expired token when there was one. The caller's own cancellation stays
// reachable with errors.Is; the source's error is a *token.Unavailable.
func (c *Client) noToken(ctx context.Context, call *Call, refused *couponkit.Error, err error) *couponkit.Error {
	e := &couponkit.Error{Vendor: c.vendor, Operation: call.Operation, Fault: couponkit.FaultAuth}
	msg := "not sent: no access token: " + err.Error()
	if refused != nil {
		e.Code, e.SubCode, e.RequestID, e.HTTPStatus = refused.Code, refused.SubCode, refused.RequestID, refused.HTTPStatus
		msg = refused.Message + "; not sent again: no new access token: " + err.Error()
	}
	e.Message = c.redact.replace(msg, nil)
	if cerr := ctx.Err(); cerr != nil && errors.Is(err, cerr) {
		e.Err = err
	} else {
		e.Err = &token.Unavailable{Cause: err}
	}
	return e
}
