package suningtest

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"golang.org/x/oauth2"

	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/internal/fakekit"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/suning"
)

// Access tokens: the fake issues them as Suning's OAuth token endpoint does
// (POST OAuthTokenPath, grant_type authorization_code for a code from
// IssueCode, or refresh_token), each living Config.TokenTTL on the fake's
// clock; a request with an expired one is answered
// sys.check.user-permission:overdue (suning.CodeUserOverdue), as the
// vendor's table says, and one with an unknown one
// sys.check.user-permission:inexistence. A refresh token works once: used
// again, or after Config.RefreshTTL, the grant is refused, so that a client
// refreshing twice is caught. Suning does not publish its endpoint's
// answers [open]: the fake answers as RFC 6749 says, a JSON object with
// access_token, token_type, expires_in (seconds) and refresh_token, beside
// suning_user_name, custnum and vendorCode as Suning's public clients read
// them; a refusal is HTTP 400 with {"error":"invalid_grant",…} (401 with
// invalid_client for bad client credentials).

// OAuthTokenPath is the path of the fake's token endpoint, as on Suning's
// host; ClientConfig sets suning.Config.OAuthTokenURL to URL() followed by
// it.
const OAuthTokenPath = "/api/oauth/token"

// Defaults of the token lifetimes.
const (
	// DefaultTokenTTL is how long an access token the fake issues lives.
	DefaultTokenTTL = 24 * time.Hour
	// DefaultRefreshTTL is how long a refresh token the fake issues lives.
	DefaultRefreshTTL = 30 * 24 * time.Hour
)

// The user the fake's tokens are for.
const (
	// UserName is the suning_user_name of the fake's tokens.
	UserName = "couponkit测试"
	// CustNum is the custnum of the fake's tokens.
	CustNum = "7012345678"
)

// TokenStats counts what the fake did with access tokens: the counts every
// fake that issues tokens keeps.
type TokenStats = couponkittest.TokenStats

// IssueCode returns a new authorization code, as Suning's authorize page
// hands one to the app's redirect URI: it works once.
func (s *Server) IssueCode() string {
	return s.tokens.Code(func(n int) string { return fmt.Sprintf("sncode%06d", n) })
}

// IssueToken issues an access token and its refresh token at once, as if
// the app had exchanged a code.
func (s *Server) IssueToken() *oauth2.Token {
	a := s.issue(s.Clock().Now())
	return &oauth2.Token{AccessToken: a.AccessToken, TokenType: a.TokenType, RefreshToken: a.RefreshToken, Expiry: s.Clock().Now().Add(time.Duration(a.ExpiresIn) * time.Second)}
}

// Tokens returns what the fake did with tokens so far.
func (s *Server) Tokens() TokenStats {
	return s.tokens.Stats()
}

// tokenAnswer is the token endpoint's answer.
type tokenAnswer struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
	RefreshToken string `json:"refresh_token"`
	UserName     string `json:"suning_user_name"`
	CustNum      int64  `json:"custnum"`
	Module       int    `json:"module"`
	VendorCode   int64  `json:"vendorCode"`
}

func (s *Server) ttls() (time.Duration, time.Duration) {
	ttl, rttl := s.cfg.TokenTTL, s.cfg.RefreshTTL
	if ttl <= 0 {
		ttl = DefaultTokenTTL
	}
	if rttl <= 0 {
		rttl = DefaultRefreshTTL
	}
	return ttl, rttl
}

func (s *Server) issue(now time.Time) tokenAnswer {
	ttl, rttl := s.ttls()
	access, refresh := s.tokens.Issue(now, ttl, rttl, func(n int) (string, string) {
		return fmt.Sprintf("snat%012x", n), fmt.Sprintf("snrt%012x", n)
	})
	return tokenAnswer{AccessToken: access, TokenType: "bearer", ExpiresIn: int64(ttl / time.Second), RefreshToken: refresh,
		UserName: UserName, CustNum: 7012345678, Module: 1, VendorCode: 10000001}
}

// oauthToken answers a grant at OAuthTokenPath.
func (s *Server) oauthToken(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "read error", http.StatusBadRequest)
		return
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "the body is not a form")
		return
	}
	if form.Get("client_id") != s.cfg.AppKey || form.Get("client_secret") != s.cfg.AppSecret {
		oauthError(w, http.StatusUnauthorized, "invalid_client", "client_id or client_secret is wrong")
		return
	}
	now := s.Clock().Now()
	var refused string
	switch form.Get("grant_type") {
	case "authorization_code":
		if !s.tokens.Redeem(form.Get("code")) {
			refused = "the code is unknown or was used"
		}
	case "refresh_token":
		if !s.tokens.Rotate(form.Get("refresh_token"), now) {
			refused = "the refresh token is unknown, expired or was used"
		}
	default:
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "grant_type must be authorization_code or refresh_token")
		return
	}
	if refused != "" {
		oauthError(w, http.StatusBadRequest, "invalid_grant", refused)
		return
	}
	writeJSON(w, s.issue(now))
}

func oauthError(w http.ResponseWriter, status int, code, description string) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	b, _ := jsonx.Marshal(map[string]string{"error": code, "error_description": description})
	_, _ = w.Write(b)
}

// checkToken checks a request's access_token header: required when
// Config.AccessToken is set or the fake issued a token; then it must be
// Config.AccessToken or a token the fake issued that has not expired on its
// clock.
func (s *Server) checkToken(tok string) *fail {
	switch s.tokens.Check(tok, s.cfg.AccessToken, s.Clock().Now()) {
	case fakekit.TokenMissing, fakekit.TokenUnknown:
		return &fail{suning.CodeUserInexistence, "访问令牌不存在"}
	case fakekit.TokenExpired:
		return &fail{suning.CodeUserOverdue, "访问令牌已过期"}
	}
	return nil
}

// requestAPI names a request for the request log: the AppMethod header, or
// the grant of a request to the token endpoint.
func requestAPI(r *http.Request, body []byte) string {
	if r.URL.Path == OAuthTokenPath {
		form, _ := url.ParseQuery(string(body))
		if form.Get("grant_type") == "refresh_token" {
			return suning.OperationTokenRefresh
		}
		return suning.OperationTokenCreate
	}
	return r.Header.Get(suning.HeaderAppMethod)
}
