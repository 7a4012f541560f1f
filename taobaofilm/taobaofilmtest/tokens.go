package taobaofilmtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"golang.org/x/oauth2"

	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/internal/fakekit"
	"github.com/couponkit/couponkit/taobaofilm"
)

// Sessions: the fake issues them as TOP does, from an authorization code
// (taobao.top.auth.token.create) or a refresh token
// (taobao.top.auth.token.refresh), each living Config.SessionTTL on the
// fake's clock; a request with an expired one is answered code 27, sub_code
// invalid-sessionkey, as TOP answers it. A refresh token works once (TOP
// rotates it): used again, or after Config.RefreshTTL, it is refused with
// SubCodeInvalidRefreshToken, so that a client refreshing twice is caught.
// A session stays valid until its own expiry when it is refreshed [open]:
// TOP does not say what becomes of it.

// Defaults of the token lifetimes.
const (
	// DefaultSessionTTL is how long a session the fake issues lives.
	DefaultSessionTTL = 24 * time.Hour
	// DefaultRefreshTTL is how long a refresh token the fake issues lives.
	DefaultRefreshTTL = 30 * 24 * time.Hour
)

// The sub_codes of a refused token call, under code 15 (the fake's own:
// TOP publishes none; isv.* makes them client faults).
const (
	// SubCodeInvalidCode refuses an authorization code that is unknown or
	// was used.
	SubCodeInvalidCode = "isv.invalid-parameter:code"
	// SubCodeInvalidRefreshToken refuses a refresh token that is unknown,
	// expired, or was used (rotated) before.
	SubCodeInvalidRefreshToken = "isv.invalid-parameter:refresh_token"
)

// The user the fake's sessions are for.
const (
	// UserID is the taobao_user_id of the fake's sessions.
	UserID = "2206890150985"
	// UserNick is the taobao_user_nick of the fake's sessions (sent
	// URL-escaped, as TOP sends it).
	UserNick = "couponkit测试店"
)

// TokenStats counts what the fake did with sessions (access tokens): the
// counts every fake that issues tokens keeps.
type TokenStats = couponkittest.TokenStats

// IssueCode returns a new authorization code, as TOP's OAuth page hands one
// to the app's redirect URI after the user granted access: it works once,
// with taobao.top.auth.token.create.
func (s *Server) IssueCode() string {
	return s.tokens.Code(func(n int) string { return fmt.Sprintf("fakecode%06d", n) })
}

// IssueToken issues a session and its refresh token at once, as if the app
// had exchanged a code, and returns them with the session's expiry.
func (s *Server) IssueToken() *oauth2.Token {
	w := s.issueSession(s.Clock().Now())
	return &oauth2.Token{AccessToken: w.AccessToken, TokenType: w.TokenType, RefreshToken: w.RefreshToken, Expiry: time.UnixMilli(w.ExpireTime)}
}

// Tokens returns what the fake did with tokens so far.
func (s *Server) Tokens() TokenStats {
	return s.tokens.Stats()
}

// tokenResult is token_result's object as TOP prints it.
type tokenResult struct {
	W1ExpiresIn  int64  `json:"w1_expires_in"`
	RefreshValid int64  `json:"refresh_token_valid_time"`
	UserNick     string `json:"taobao_user_nick"`
	ReExpiresIn  int64  `json:"re_expires_in"`
	ExpireTime   int64  `json:"expire_time"`
	TokenType    string `json:"token_type"`
	AccessToken  string `json:"access_token"`
	OpenUID      string `json:"taobao_open_uid"`
	W1Valid      int64  `json:"w1_valid"`
	RefreshToken string `json:"refresh_token"`
	W2ExpiresIn  int64  `json:"w2_expires_in"`
	W2Valid      int64  `json:"w2_valid"`
	R1ExpiresIn  int64  `json:"r1_expires_in"`
	R2ExpiresIn  int64  `json:"r2_expires_in"`
	R2Valid      int64  `json:"r2_valid"`
	R1Valid      int64  `json:"r1_valid"`
	UserID       string `json:"taobao_user_id"`
	ExpiresIn    int64  `json:"expires_in"`
}

// issueSession makes a session and a refresh token at now.
func (s *Server) issueSession(now time.Time) tokenResult {
	ttl, rttl := s.sessionTTLs()
	access, refresh := s.tokens.Issue(now, ttl, rttl, func(n int) (string, string) {
		return fmt.Sprintf("6201%012xZZ%s", n, UserID), fmt.Sprintf("6202%012xZZ%s", n, UserID)
	})
	exp, rexp := now.Add(ttl), now.Add(rttl)
	secs, rsecs := int64(ttl/time.Second), int64(rttl/time.Second)
	return tokenResult{
		W1ExpiresIn: secs, RefreshValid: rexp.UnixMilli(), UserNick: url.QueryEscape(UserNick), ReExpiresIn: rsecs,
		ExpireTime: exp.UnixMilli(), TokenType: "Bearer", AccessToken: access, OpenUID: "AAGyYCniAOGL3SARbugzJ7Gs",
		W1Valid: exp.UnixMilli(), RefreshToken: refresh, W2ExpiresIn: secs, W2Valid: exp.UnixMilli(),
		R1ExpiresIn: secs, R2ExpiresIn: secs, R2Valid: exp.UnixMilli(), R1Valid: exp.UnixMilli(), UserID: UserID, ExpiresIn: secs,
	}
}

func (s *Server) sessionTTLs() (time.Duration, time.Duration) {
	ttl, rttl := s.cfg.SessionTTL, s.cfg.RefreshTTL
	if ttl <= 0 {
		ttl = DefaultSessionTTL
	}
	if rttl <= 0 {
		rttl = DefaultRefreshTTL
	}
	return ttl, rttl
}

// tokenRoutes are the routes of the token methods.
func tokenRoutes(Config) []fakekit.Route[handler] {
	return []fakekit.Route[handler]{
		{API: taobaofilm.MethodTokenCreate, Handler: (*Server).token},
		{API: taobaofilm.MethodTokenRefresh, Handler: (*Server).token},
	}
}

var _ = areas.Add(tokenRoutes)

// token answers the token methods: a new session for a code the fake
// issued, or for a refresh token used once.
func (s *Server) token(w http.ResponseWriter, q *request) {
	var refuse *Error
	p := q.params
	now := s.Clock().Now()
	switch q.method {
	case taobaofilm.MethodTokenCreate:
		code := p.Get("code")
		if code == "" {
			s.writeError(w, Error{Code: 40, Message: "Missing required arguments:code", SubCode: "isv.missing-parameter", SubMessage: "code"})
			return
		}
		if !s.tokens.Redeem(code) {
			refuse = &Error{Code: 15, Message: "Remote service error", SubCode: SubCodeInvalidCode, SubMessage: "the code is unknown or was used"}
		}
	case taobaofilm.MethodTokenRefresh:
		rt := p.Get("refresh_token")
		if rt == "" {
			s.writeError(w, Error{Code: 40, Message: "Missing required arguments:refresh_token", SubCode: "isv.missing-parameter", SubMessage: "refresh_token"})
			return
		}
		if !s.tokens.Rotate(rt, now) {
			refuse = &Error{Code: 15, Message: "Remote service error", SubCode: SubCodeInvalidRefreshToken, SubMessage: "the refresh token is unknown, expired or was used"}
		}
	}
	if refuse != nil {
		s.writeError(w, *refuse)
		return
	}
	text, _ := json.Marshal(s.issueSession(now))
	s.writeResult(w, q.method, q.simplify, map[string]any{"token_result": string(text)})
}

// checkSession checks a request's session: none is needed by the token
// methods, nor, unless Config.Session is set or the fake issued a session,
// by any method; otherwise it must be Config.Session or a session the fake
// issued that has not expired on its clock.
func (s *Server) checkSession(p url.Values) (Error, bool) {
	method := p.Get("method")
	if method == taobaofilm.MethodTokenCreate || method == taobaofilm.MethodTokenRefresh {
		return Error{}, true
	}
	switch s.tokens.Check(p.Get("session"), s.cfg.Session, s.Clock().Now()) {
	case fakekit.TokenMissing:
		return Error{Code: 26, Message: "Missing Session"}, false
	case fakekit.TokenUnknown:
		return Error{Code: 27, Message: "Invalid Session", SubCode: taobaofilm.SubCodeInvalidSessionKey, SubMessage: "SessionKey非法"}, false
	case fakekit.TokenExpired:
		return Error{Code: 27, Message: "Invalid Session", SubCode: taobaofilm.SubCodeInvalidSessionKey, SubMessage: "SessionKey已过期"}, false
	}
	return Error{}, true
}
