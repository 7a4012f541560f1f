package taobaofilm

import (
	"errors"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/transport"
)

// This file is the session a client's TokenSource gives each call: how it
// reaches the Endpoint's Auth (top.go's setSession puts it in a request's
// slot), and which answers say it expired.

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
			Set:     (*topRequest).setSession,
			Expired: c.sessionExpired,
		}
	}
	plain := &transport.Endpoint[*topRequest]{Client: c.ep.Client, Base: c.ep.Base, Frame: c.ep.Frame, Open: c.ep.Open}
	c.tokenCalls = transport.Typed[*topRequest]{Endpoint: plain, Wrap: c.wrap, Fault: c.returnCodeFault}
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
