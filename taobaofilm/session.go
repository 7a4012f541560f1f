package taobaofilm

import (
	"errors"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/sign"
	"github.com/couponkit/couponkit/internal/transport"
)

// This file is the session a client's TokenSource gives each call: where
// it goes in a request, and which answers say it expired.

// DefaultSessionExpiredCodes are the error_response code and sub_codes
// that say the session expired [likely]: code 27 (Invalid Session), which
// TOP answers with sub_code invalid-sessionkey ("SessionKey非法") for an
// expired or revoked session, and the sub_codes session-expired and
// invalid-sessionkey under any code (partner gateways in front of TOP
// answer them under code 15). TOP's pages name no other.
var DefaultSessionExpiredCodes = []string{CodeInvalidSession, SubCodeInvalidSessionKey, SubCodeSessionExpired}

// The sub_codes of an expired session.
const (
	// SubCodeInvalidSessionKey is the sub_code of code 27: the session is
	// expired, revoked or unknown.
	SubCodeInvalidSessionKey = "invalid-sessionkey"
	// SubCodeSessionExpired is a sub_code of an expired session.
	SubCodeSessionExpired = "session-expired"
)

// isAuthMethod reports the token methods: they are sent without a
// session, and never renew one.
func isAuthMethod(method string) bool {
	return method == MethodTokenCreate || method == MethodTokenRefresh
}

// sessionParam returns params with the session as the method needs it: no
// session for a token method; a slot for the call's session with a
// TokenSource (frame fills it); Config.Session is already among the common
// params.
func (c *Client) sessionParam(params []sign.Param, method string) []sign.Param {
	if isAuthMethod(method) {
		for i, p := range params {
			if p.Key == "session" {
				return append(params[:i], params[i+1:]...)
			}
		}
		return params
	}
	if c.tokens != nil {
		params = append(params, sign.Param{Key: "session"})
	}
	return params
}

// withTokens wires cfg's TokenSource into the endpoint and sets up the
// endpoint of the token calls, which send no session.
func (c *Client) withTokens(cfg Config) {
	codes := cfg.SessionExpiredCodes
	if codes == nil {
		codes = DefaultSessionExpiredCodes
	}
	c.expired = make(map[string]bool, len(codes))
	for _, code := range codes {
		c.expired[code] = true
	}
	if cfg.TokenSource != nil {
		c.tokens = cfg.TokenSource
		c.ep.Auth = &transport.Auth[*topRequest]{
			Source:  cfg.TokenSource,
			Set:     func(r *topRequest, session string) { r.session = session },
			Expired: c.sessionExpired,
		}
	}
	plain := &transport.Endpoint[*topRequest]{Client: c.ep.Client, Base: c.ep.Base, Frame: c.ep.Frame, Open: c.ep.Open}
	c.tokenCalls = transport.Typed[*topRequest]{Endpoint: plain, Wrap: c.wrap}
}

// sessionExpired reports whether an error_response says the session
// expired: its code or sub_code is one of Config.SessionExpiredCodes. A
// business failure (a return_code) never does.
func (c *Client) sessionExpired(e *couponkit.Error) bool {
	if errors.Is(e, ErrBusiness) {
		return false
	}
	return c.expired[e.Code] || (e.SubCode != "" && c.expired[e.SubCode])
}

// wrap is the Wrap of the typed calls: each top-level member of the wire
// params becomes a form parameter, a string as its value, anything else as
// its JSON text, null left out.
func (c *Client) wrap(op *transport.Op, _ string, params []byte) (*topRequest, error) {
	biz, err := jsonParams(params)
	if err != nil {
		return nil, err
	}
	if err := checkParams("request", biz); err != nil {
		return nil, err
	}
	r := c.newRequest(op.Name, biz)
	if isAuthMethod(op.Name) {
		for _, p := range biz {
			if p.Key == "code" || p.Key == "refresh_token" {
				r.secrets = append(r.secrets, p.Value)
			}
		}
	}
	return r, nil
}
