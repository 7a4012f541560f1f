package taobaofilm

import (
	"context"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/grant"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/internal/wiretype"
	"github.com/couponkit/couponkit/token"
)

// The token methods: a session (access token) from an authorization code,
// and a new session from a refresh token. Both are sent without a session,
// over HTTPS only ([known]: TOP's pages mark them "https only"; the
// production gateways are HTTPS).
const (
	// MethodTokenCreate is taobao.top.auth.token.create (获取Access Token).
	MethodTokenCreate = "taobao.top.auth.token.create"
	// MethodTokenRefresh is taobao.top.auth.token.refresh (刷新Access Token).
	MethodTokenRefresh = "taobao.top.auth.token.refresh"
)

// Both token calls are Unsafe writes without a key: an authorization code
// works once, and a refresh consumes its refresh token (TOP rotates it), so
// a resend after a lost answer would present a used code or refresh token,
// and the tokens of the lost answer would be gone. An answer that may have
// been applied is reported as an unknown outcome at once: get a new code
// (create), or see whether another process saved a new token before asking
// the user to authorize again (refresh).
var (
	opTokenCreate  = &transport.Op{Name: MethodTokenCreate, Class: transport.Unsafe}
	opTokenRefresh = &transport.Op{Name: MethodTokenRefresh, Class: transport.Unsafe}
)

var (
	_ = registry.Add(transport.Describe(Vendor, opTokenCreate, (*Client).CreateToken, "a session (access token) from an authorization code"))
	_ = registry.Add(transport.Describe(Vendor, opTokenRefresh, (*Client).RefreshToken, "a new session from a refresh token, which TOP rotates"))
)

// CreateTokenRequest exchanges an authorization code for a session
// (taobao.top.auth.token.create).
type CreateTokenRequest struct {
	// Code is the authorization code TOP's OAuth page handed to the app's
	// redirect URI after the user granted access (code). Required. It works
	// once.
	Code string
	// UUID pairs the code with the device that asked for it (uuid), when
	// the code was made with one. Optional.
	UUID string
}

// RefreshTokenRequest asks for a new session (taobao.top.auth.token.refresh).
type RefreshTokenRequest struct {
	// RefreshToken is the refresh token of the last session (refresh_token).
	// Required. TOP rotates it: use the one this call returns next time.
	RefreshToken string
}

// TokenResult is a session TOP issued: the token_result of both token
// methods, a JSON object TOP sends as a string. Times are instants (their
// zone is Beijing time, UTC+8).
type TokenResult struct {
	// AccessToken is the session (access_token): Config.Session, or what a
	// TokenSource gives.
	AccessToken string
	// TokenType is the token's type (token_type), "Bearer".
	TokenType string
	// RefreshToken is the refresh token (refresh_token); empty when the app
	// may not refresh (TOP lets only apps sold on its service market
	// refresh, others get fixed-length sessions [likely]).
	RefreshToken string
	// Expiry is when the session expires: expire_time (epoch milliseconds)
	// when the answer has it, else the client's clock when the answer
	// arrived plus expires_in seconds.
	Expiry time.Time
	// RefreshExpiry is when the refresh token expires:
	// refresh_token_valid_time (epoch milliseconds), else the answer's time
	// plus re_expires_in seconds when that is positive; zero when neither
	// says.
	RefreshExpiry time.Time
	// UserID is the authorizing user's id (taobao_user_id).
	UserID string
	// UserNick is the user's nick (taobao_user_nick), URL-unescaped as TOP
	// escapes it.
	UserNick string
	// OpenUID is the user's open id (taobao_open_uid).
	OpenUID string
	// SubUserID and SubUserNick are the sub-account that authorized, when
	// one did (sub_taobao_user_id, sub_taobao_user_nick, unescaped).
	SubUserID, SubUserNick string
	// Meta describes the HTTP exchange. Its Raw is empty: the body holds
	// the tokens.
	Meta couponkit.Meta `json:"-"`
}

// Token returns the result as an oauth2.Token (AccessToken, TokenType,
// RefreshToken, Expiry): what a token.Store keeps.
func (r *TokenResult) Token() *oauth2.Token {
	return &oauth2.Token{AccessToken: r.AccessToken, TokenType: r.TokenType, RefreshToken: r.RefreshToken, Expiry: r.Expiry}
}

// CreateToken exchanges an authorization code for a session
// (taobao.top.auth.token.create), sent without a session. It is an Unsafe
// write: a code works once, so an answer that may have been applied is an
// unknown outcome at once and is not sent again; get a new code.
func (c *Client) CreateToken(ctx context.Context, req *CreateTokenRequest) (*TokenResult, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	return c.tokenCall(ctx, opTokenCreate, &createTokenParams{Code: req.Code, UUID: req.UUID})
}

// RefreshToken asks for a new session with a refresh token
// (taobao.top.auth.token.refresh), sent without a session. TOP rotates the
// refresh token: the result's RefreshToken replaces the one sent (the old
// one is kept when the answer has none). It is an Unsafe write: a resend
// after a lost answer would present a consumed refresh token, so an answer
// that may have been applied is an unknown outcome at once. A
// token.Refreshing source calls it through [Client.Refresher].
func (c *Client) RefreshToken(ctx context.Context, req *RefreshTokenRequest) (*TokenResult, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	res, err := c.tokenCall(ctx, opTokenRefresh, &refreshTokenParams{RefreshToken: req.RefreshToken})
	if err == nil && res.RefreshToken == "" {
		res.RefreshToken = req.RefreshToken
	}
	return res, err
}

// Refresher returns RefreshToken as a token.RefreshFunc, for a
// token.Refreshing source. Give the source to another client's
// Config.TokenSource: this one needs no session to refresh.
func (c *Client) Refresher() token.RefreshFunc {
	return grant.Refresher(func(ctx context.Context, refreshToken string) (*TokenResult, error) {
		return c.RefreshToken(ctx, &RefreshTokenRequest{RefreshToken: refreshToken})
	})
}

// tokenCall sends a token method with params, without a session; the code
// or refresh token sent is a secret of every attempt (see wrap).
func (c *Client) tokenCall(ctx context.Context, op *transport.Op, params any) (*TokenResult, error) {
	var a tokenAnswer
	meta, err := transport.Send(ctx, &c.tokenCalls, op, "", params, &a)
	if err != nil {
		return nil, err
	}
	meta.Raw = nil
	return a.result(c.clock.Now(), meta), nil
}

func (r *CreateTokenRequest) validate() error {
	switch {
	case r == nil:
		return couponkit.Invalid("CreateTokenRequest", "is nil")
	case strings.TrimSpace(r.Code) == "":
		return couponkit.Invalid("Code", "is required: the authorization code from TOP's OAuth page")
	}
	return nil
}

func (r *RefreshTokenRequest) validate() error {
	switch {
	case r == nil:
		return couponkit.Invalid("RefreshTokenRequest", "is nil")
	case strings.TrimSpace(r.RefreshToken) == "":
		return couponkit.Invalid("RefreshToken", "is required")
	}
	return nil
}

// createTokenParams is taobao.top.auth.token.create's params.
type createTokenParams struct {
	Code string `json:"code"`
	UUID string `json:"uuid,omitempty"`
}

// refreshTokenParams is taobao.top.auth.token.refresh's params.
type refreshTokenParams struct {
	RefreshToken string `json:"refresh_token"`
}

// tokenAnswer is the payload of both token methods: token_result, a JSON
// object written as a string.
type tokenAnswer struct {
	Result wiretype.Embedded[wireToken] `json:"token_result"`
}

// wireToken is token_result's object, as TOP prints it (the members read;
// TOP also sends r1/r2/w1/w2 validity members, ignored).
type wireToken struct {
	AccessToken  wiretype.Text   `json:"access_token"`
	TokenType    wiretype.Text   `json:"token_type"`
	ExpiresIn    wiretype.Int    `json:"expires_in"`
	ExpireTime   wiretype.Millis `json:"expire_time"`
	RefreshToken wiretype.Text   `json:"refresh_token"`
	ReExpiresIn  wiretype.Int    `json:"re_expires_in"`
	RefreshValid wiretype.Millis `json:"refresh_token_valid_time"`
	UserID       wiretype.Text   `json:"taobao_user_id"`
	UserNick     wiretype.Text   `json:"taobao_user_nick"`
	OpenUID      wiretype.Text   `json:"taobao_open_uid"`
	SubUserID    wiretype.Text   `json:"sub_taobao_user_id"`
	SubUserNick  wiretype.Text   `json:"sub_taobao_user_nick"`
}

// Complete reports an answer without a session: the call exists to
// return one.
func (a *tokenAnswer) Complete() error {
	if a.Result.V.AccessToken == "" {
		return transport.Missing("token_result.access_token")
	}
	return nil
}

// result converts the answer, received at now.
func (a *tokenAnswer) result(now time.Time, meta couponkit.Meta) *TokenResult {
	w := &a.Result.V
	r := &TokenResult{
		AccessToken: string(w.AccessToken), TokenType: string(w.TokenType), RefreshToken: string(w.RefreshToken),
		Expiry: time.Time(w.ExpireTime), RefreshExpiry: time.Time(w.RefreshValid),
		UserID: string(w.UserID), UserNick: unescape(string(w.UserNick)), OpenUID: string(w.OpenUID),
		SubUserID: string(w.SubUserID), SubUserNick: unescape(string(w.SubUserNick)), Meta: meta,
	}
	if r.Expiry.IsZero() {
		r.Expiry = grant.Expiry(now, int64(w.ExpiresIn))
	}
	if r.RefreshExpiry.IsZero() {
		r.RefreshExpiry = grant.Expiry(now, int64(w.ReExpiresIn))
	}
	return r
}

// unescape reads a nick TOP sends URL-escaped ("bagsmart%E6%97%97…"); text
// that does not unescape is kept as it is.
func unescape(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}
