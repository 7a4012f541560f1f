package fakekit

import (
	"sync"
	"time"

	"github.com/couponkit/couponkit/couponkittest"
)

// Tokens is the OAuth state of a fake that acts for an authorized user
// (taobaofilmtest's sessions, suningtest's access tokens): the
// authorization codes it handed out, the access tokens and refresh tokens
// it issued with their expiries, and what it did with them. A code works
// once; a refresh token works once (the vendor rotates it) and until it
// expires; an access token until it expires, on the fake's clock. The fake
// keeps its vendor's wire: how a grant arrives, how its answer and its
// refusals are written, how the tokens are spelled. The zero value is
// ready to use; it is safe for concurrent use.
type Tokens struct {
	mu      sync.Mutex
	n       int                  // codes and tokens made, for their names
	codes   map[string]bool      // authorization codes not used yet
	access  map[string]time.Time // access token → expiry
	refresh map[string]refreshToken
	stats   TokenStats
}

type refreshToken struct {
	expiry time.Time
	used   bool
}

// TokenStats counts what a fake did with tokens.
type TokenStats = couponkittest.TokenStats

// TokenCheck is what [Tokens.Check] says of a request's access token.
type TokenCheck int

const (
	// TokenAccepted: the request may go on (no token is needed, it is the
	// fake's static one, or the fake issued it and it has not expired).
	TokenAccepted TokenCheck = iota
	// TokenMissing: a token is needed and the request has none.
	TokenMissing
	// TokenUnknown: the fake did not issue the token.
	TokenUnknown
	// TokenExpired: the fake issued the token, and it has expired.
	TokenExpired
)

// Code returns a new authorization code, named by name from a number that
// grows with every code and token: it works once, with [Tokens.Redeem].
func (t *Tokens) Code(name func(n int) string) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.n++
	code := name(t.n)
	if t.codes == nil {
		t.codes = map[string]bool{}
	}
	t.codes[code] = true
	return code
}

// Issue issues an access token living ttl and its refresh token living
// refreshTTL from now, named by name from a number that grows with every
// code and token.
func (t *Tokens) Issue(now time.Time, ttl, refreshTTL time.Duration, name func(n int) (access, refresh string)) (access, refresh string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.n++
	access, refresh = name(t.n)
	if t.access == nil {
		t.access, t.refresh = map[string]time.Time{}, map[string]refreshToken{}
	}
	t.access[access] = now.Add(ttl)
	t.refresh[refresh] = refreshToken{expiry: now.Add(refreshTTL)}
	return access, refresh
}

// Redeem uses up an authorization code that [Tokens.Code] made and reports
// whether it was one not used yet (counted as Created); the caller then
// issues the token.
func (t *Tokens) Redeem(code string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if code == "" || !t.codes[code] {
		return false
	}
	delete(t.codes, code)
	t.stats.Created++
	return true
}

// Rotate uses up a refresh token and reports whether it was one the fake
// issued, not used before and not expired at now (counted as Refreshed;
// otherwise as RefreshRefused). The caller then issues the new token.
func (t *Tokens) Rotate(refreshToken string, now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	st, ok := t.refresh[refreshToken]
	if !ok || st.used || !now.Before(st.expiry) {
		t.stats.RefreshRefused++
		return false
	}
	st.used = true
	t.refresh[refreshToken] = st
	t.stats.Refreshed++
	return true
}

// Check checks a request's access token at now. None is needed while the
// fake has no static token (static, the fake Config's) and has issued
// none; otherwise it must be the static token or one the fake issued that
// has not expired. An expired one is counted as Expired, an issued one
// accepted as Accepted.
func (t *Tokens) Check(token, static string, now time.Time) TokenCheck {
	t.mu.Lock()
	defer t.mu.Unlock()
	switch {
	case static == "" && len(t.access) == 0:
		return TokenAccepted
	case token == "":
		return TokenMissing
	case static != "" && token == static:
		return TokenAccepted
	}
	exp, ok := t.access[token]
	switch {
	case !ok:
		return TokenUnknown
	case !now.Before(exp):
		t.stats.Expired++
		return TokenExpired
	}
	t.stats.Accepted++
	return TokenAccepted
}

// Stats returns what the fake did with tokens so far.
func (t *Tokens) Stats() TokenStats {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.stats
}
