package suning

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/grant"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/internal/wiretype"
	"github.com/couponkit/couponkit/token"
)

// This file is Suning's OAuth token endpoint (the authorization_code and
// refresh_token grants), and the access token a client's TokenSource gives
// each call.

// DefaultOAuthTokenURL is Suning's OAuth token endpoint, the default
// Config.OAuthTokenURL [likely]: the URL Suning's public clients post the
// grants to (open.suning.com/api/oauth/authorize is the page the user
// grants access on).
const DefaultOAuthTokenURL = "https://open.suning.com/api/oauth/token"

// The Operation names of the token calls, as errors and observers report
// them: the endpoint and the grant.
const (
	// OperationTokenCreate is the authorization_code grant.
	OperationTokenCreate = "oauth/token authorization_code"
	// OperationTokenRefresh is the refresh_token grant.
	OperationTokenRefresh = "oauth/token refresh_token"
)

// Both grants are Unsafe writes without a key: an authorization code works
// once, and a refresh may consume its refresh token [likely], so a resend
// after a lost answer would present a used one and the tokens of the lost
// answer would be gone. An answer that may have been applied is reported as
// an unknown outcome at once.
var (
	opTokenCreate  = &transport.Op{Name: OperationTokenCreate, Class: transport.Unsafe}
	opTokenRefresh = &transport.Op{Name: OperationTokenRefresh, Class: transport.Unsafe}
)

var (
	_ = registry.Add(transport.Describe(Vendor, opTokenCreate, (*Client).CreateToken, "an OAuth access token from an authorization code"))
	_ = registry.Add(transport.Describe(Vendor, opTokenRefresh, (*Client).RefreshToken, "a new OAuth access token from a refresh token"))
)

// CreateTokenRequest exchanges an authorization code for an access token
// (grant_type=authorization_code).
type CreateTokenRequest struct {
	// Code is the authorization code Suning's authorize page handed to the
	// app's redirect URI (code). Required. It works once.
	Code string
}

// RefreshTokenRequest asks for a new access token (grant_type=refresh_token).
type RefreshTokenRequest struct {
	// RefreshToken is the refresh token of the last access token
	// (refresh_token). Required.
	RefreshToken string
}

// TokenResult is an access token Suning issued.
type TokenResult struct {
	// AccessToken is the token sent as the access_token header
	// (Config.AccessToken, or what a TokenSource gives).
	AccessToken string
	// TokenType is the token's type (token_type).
	TokenType string
	// RefreshToken is the refresh token (refresh_token): the one sent to
	// RefreshToken when the answer has none.
	RefreshToken string
	// Expiry is when the access token expires: the client's clock when the
	// answer arrived plus expires_in, read as seconds [likely]; zero when
	// the answer has no expires_in.
	Expiry time.Time
	// UserName is the authorizing user's name (suning_user_name).
	UserName string
	// CustNum is the user's customer number (custnum).
	CustNum string
	// VendorCode is the merchant's vendor code (vendorCode).
	VendorCode string
	// Meta describes the HTTP exchange. Its Raw is empty: the body holds
	// the tokens.
	Meta couponkit.Meta `json:"-"`
}

// Token returns the result as an oauth2.Token (AccessToken, TokenType,
// RefreshToken, Expiry): what a token.Store keeps.
func (r *TokenResult) Token() *oauth2.Token {
	return &oauth2.Token{AccessToken: r.AccessToken, TokenType: r.TokenType, RefreshToken: r.RefreshToken, Expiry: r.Expiry}
}

// CreateToken exchanges an authorization code for an access token: a POST
// of grant_type=authorization_code, client_id (AppKey), client_secret
// (AppSecret), code and, when set, redirect_uri (Config.OAuthRedirectURL)
// to Config.OAuthTokenURL. It is an Unsafe write: a code works once, so an
// answer that may have been applied is an unknown outcome at once and is
// not sent again; get a new code.
func (c *Client) CreateToken(ctx context.Context, req *CreateTokenRequest) (*TokenResult, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	return c.tokenCall(ctx, opTokenCreate, &oauthParams{GrantType: "authorization_code", Code: req.Code}, "")
}

// RefreshToken asks for a new access token with a refresh token: a POST
// of grant_type=refresh_token, client_id, client_secret, refresh_token and,
// when set, redirect_uri to Config.OAuthTokenURL. The result's RefreshToken
// is the answer's, or the one sent when the answer has none (whether Suning
// rotates it is not published [open]; a token.Refreshing source saves
// whichever comes back). It is an Unsafe write: an answer that may have
// been applied is an unknown outcome at once.
func (c *Client) RefreshToken(ctx context.Context, req *RefreshTokenRequest) (*TokenResult, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	return c.tokenCall(ctx, opTokenRefresh, &oauthParams{GrantType: "refresh_token", RefreshToken: req.RefreshToken}, req.RefreshToken)
}

// Refresher returns RefreshToken as a token.RefreshFunc, for a
// token.Refreshing source. Give the source to another client's
// Config.TokenSource: this one needs no access token to refresh.
func (c *Client) Refresher() token.RefreshFunc {
	return grant.Refresher(func(ctx context.Context, refreshToken string) (*TokenResult, error) {
		return c.RefreshToken(ctx, &RefreshTokenRequest{RefreshToken: refreshToken})
	})
}

// tokenCall posts a grant; sent is the refresh token sent, kept when the
// answer has none.
func (c *Client) tokenCall(ctx context.Context, op *transport.Op, params *oauthParams, sent string) (*TokenResult, error) {
	var a oauthAnswer
	meta, err := transport.Send(ctx, &c.oauth, op, "", params, &a)
	if err != nil {
		return nil, err
	}
	meta.Raw = nil
	r := &TokenResult{AccessToken: string(a.AccessToken), TokenType: string(a.TokenType), RefreshToken: string(a.RefreshToken),
		Expiry: grant.Expiry(c.clock.Now(), int64(a.ExpiresIn)), UserName: string(a.UserName), CustNum: string(a.CustNum),
		VendorCode: string(a.VendorCode), Meta: meta}
	if r.RefreshToken == "" {
		r.RefreshToken = sent
	}
	return r, nil
}

func (r *CreateTokenRequest) validate() error {
	switch {
	case r == nil:
		return couponkit.Invalid("CreateTokenRequest", "is nil")
	case strings.TrimSpace(r.Code) == "":
		return couponkit.Invalid("Code", "is required: the authorization code from Suning's authorize page")
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

// oauthParams is a grant's params, sent as form fields with the client's
// credentials (see wrapOAuth).
type oauthParams struct {
	GrantType    string `json:"grant_type"`
	Code         string `json:"code,omitempty"`
	RefreshToken string `json:"refresh_token,omitempty"`
}

// oauthAnswer is the token endpoint's answer: RFC 6749's members and
// Suning's own (suning_user_name, custnum, vendorCode), scalars read as
// strings or numbers.
type oauthAnswer struct {
	AccessToken  wiretype.Text `json:"access_token"`
	TokenType    wiretype.Text `json:"token_type"`
	ExpiresIn    wiretype.Int  `json:"expires_in"`
	RefreshToken wiretype.Text `json:"refresh_token"`
	UserName     wiretype.Text `json:"suning_user_name"`
	CustNum      wiretype.Text `json:"custnum"`
	VendorCode   wiretype.Text `json:"vendorCode"`
}

// Complete reports an answer without an access token: the call exists to
// return one.
func (a *oauthAnswer) Complete() error {
	if a.AccessToken == "" {
		return transport.Missing("access_token")
	}
	return nil
}

// oauthRequest is one grant: its form body, and its own secrets (the code
// or the refresh token).
type oauthRequest struct {
	form    []byte
	secrets []string
}

// oauthContentType is the Content-Type of a grant.
const oauthContentType = "application/x-www-form-urlencoded"

// wrapOAuth is the Wrap of the token calls: the params' members and the
// client's credentials as form fields, in name order.
func (c *Client) wrapOAuth(_ *transport.Op, _ string, params []byte) (*oauthRequest, error) {
	form := url.Values{"client_id": {c.appKey}, "client_secret": {c.appSecret}}
	if c.redirectURL != "" {
		form.Set("redirect_uri", c.redirectURL)
	}
	r := &oauthRequest{}
	ok := jsonx.EachMember(params, func(k, v []byte) bool {
		var s string
		if json.Unmarshal(v, &s) != nil {
			return false
		}
		form.Set(string(k), s)
		if grant.Secret(string(k)) {
			r.secrets = append(r.secrets, s)
		}
		return true
	})
	if !ok {
		return nil, couponkit.Invalid("request", "the grant's params are not an object of strings")
	}
	r.form = []byte(form.Encode())
	return r, nil
}

// frameOAuth is the Frame of the token calls: the form, the same for every
// attempt.
func (c *Client) frameOAuth(_ *transport.Op, _ int, _ string, r *oauthRequest) (transport.Payload, error) {
	return transport.Payload{Body: r.form, ContentType: oauthContentType, Secrets: r.secrets}, nil
}

// oauthFailure is what the token endpoint's answers say of a failure: RFC
// 6749's error and error_description, or the gateway's sn_error.
type oauthFailure struct {
	Error       wiretype.Text `json:"error"`
	Description wiretype.Text `json:"error_description"`
	Content     *struct {
		Error *snError `json:"sn_error"`
	} `json:"sn_responseContent"`
}

// openOAuth is the Open of the token calls. Suning does not publish the
// endpoint's failures [open]: an object with error (RFC 6749: invalid_grant
// for a used or expired code or refresh token) is a *couponkit.Error with
// that Code, error_description its Message, and the fault oauthFault gives;
// an sn_error envelope is read as the gateway's. Anything that is not a
// JSON object is unreadable; the pipeline classifies the HTTP status of
// what is left.
func (c *Client) openOAuth(_ *transport.Op, _ string, _ *oauthRequest, resp *transport.Response) ([]byte, error) {
	body := resp.Body
	if t := strings.TrimSpace(string(body)); !strings.HasPrefix(t, "{") {
		return nil, transport.DecodeError(errNotAnObject, body)
	}
	var f oauthFailure
	if err := json.Unmarshal(body, &f); err != nil {
		return nil, transport.DecodeError(err, body)
	}
	switch {
	case f.Error != "":
		msg := string(f.Description)
		if msg == "" {
			msg = "OAuth error"
		}
		fault, ok := c.faults[string(f.Error)]
		if !ok {
			fault = oauthFault(string(f.Error))
		}
		return nil, &couponkit.Error{Vendor: Vendor, Code: string(f.Error), Message: msg, Fault: fault}
	case f.Content != nil && f.Content.Error != nil:
		return nil, c.vendorError(string(f.Content.Error.Code), string(f.Content.Error.Message))
	}
	return body, nil
}

var errNotAnObject = errors.New("want a JSON object")

// oauthFault classifies an RFC 6749 error code: a grant or client the
// endpoint refuses is FaultAuth (authorize again, or fix the credentials),
// a malformed request FaultClient, the endpoint's own trouble FaultServer;
// anything else is left to the HTTP status.
func oauthFault(code string) couponkit.Fault {
	switch code {
	case "invalid_grant", "invalid_client", "unauthorized_client", "access_denied":
		return couponkit.FaultAuth
	case "invalid_request", "unsupported_grant_type", "invalid_scope":
		return couponkit.FaultClient
	case "server_error", "temporarily_unavailable":
		return couponkit.FaultServer
	}
	return couponkit.FaultUnknown
}

// tokenConfig checks the token fields of cfg and returns the token URL.
func tokenConfig(cfg Config) (string, []error) {
	var errs []error
	if cfg.AccessToken != "" && cfg.TokenSource != nil {
		errs = append(errs, couponkit.Invalid("TokenSource", "set AccessToken or TokenSource, not both"))
	}
	u, err := transport.Gateway(cfg.OAuthTokenURL, DefaultOAuthTokenURL, DefaultOAuthTokenURL)
	if err != nil {
		errs = append(errs, couponkit.Invalid("OAuthTokenURL", "must be an absolute http or https URL such as %s", DefaultOAuthTokenURL))
	}
	if strings.ContainsAny(cfg.OAuthRedirectURL, "\r\n") {
		errs = append(errs, couponkit.Invalid("OAuthRedirectURL", "must not contain line breaks"))
	}
	return u, errs
}

// withTokens wires cfg's TokenSource into the endpoint (the access_token
// header of every call, renewed once when refused as overdue) and sets up
// the token endpoint at tokenURL.
func (c *Client) withTokens(cfg Config, tokenURL string) {
	c.redirectURL = cfg.OAuthRedirectURL
	if cfg.TokenSource != nil {
		c.ep.Auth = &transport.Auth[*request]{
			Source:  cfg.TokenSource,
			Header:  keyAccessToken,
			Expired: func(e *couponkit.Error) bool { return e.Code == CodeUserOverdue },
		}
	}
	ep := &transport.Endpoint[*oauthRequest]{Client: c.ep.Client, Base: tokenURL, Frame: c.frameOAuth, Open: c.openOAuth}
	c.oauth = transport.Typed[*oauthRequest]{Endpoint: ep, Wrap: c.wrapOAuth}
}
