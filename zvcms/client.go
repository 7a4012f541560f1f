package zvcms

import (
	"context"
	"maps"
	"math"
	"strconv"
	"strings"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/ids"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/sign"
	"github.com/couponkit/couponkit/internal/transport"
)

// Vendor is the vendor name reported in errors (couponkit.Error.Vendor).
const Vendor = "zvcms"

// Gateway is the documented zvcms open API gateway, the default
// Config.Gateway. The V3 coupon endpoints live under /v3/crm/coupon/.
const Gateway = "http://openapi.zvcms.com"

// couponPath is the path prefix of the V3 coupon endpoints.
const couponPath = "/v3/crm/coupon/"

// TokenFunc computes a request's token from the credentials, the 10-digit
// timestamp and the nonce, exactly as they are sent. The result is sent as the
// "token" field as is (so it must already be URL-escaped if the vendor wants
// it escaped).
type TokenFunc func(openKey, openID, grantCode, timestamp, nonce string) string

// DefaultToken is the token algorithm used when Config.TokenFunc is nil
// [likely]:
//
//	url.QueryEscape(Base64(HMAC-SHA1(key = openKey, "grantCode=<g>&nonce=<n>&openId=<o>&timestamp=<t>")))
//
// The vendor's page on its token (《数字签名sign》) is not public; this is the
// algorithm of the same vendor family's public CLI, and the vendor's example
// token decodes to 20 bytes, an HMAC-SHA1's length. params is not signed.
func DefaultToken(openKey, openID, grantCode, timestamp, nonce string) string {
	return sign.ZvcmsToken(openKey, openID, grantCode, timestamp, nonce)
}

// DefaultNonce returns the nonce used when Config.NonceFunc is nil: a random
// integer in [1, 2^31-1] in decimal. The vendor asks for a "random positive
// integer" (随机正整数) and shows a 6-digit one; the range is kept within a
// Java int [likely], as a vendor parsing it with Integer.parseInt would need.
func DefaultNonce() string {
	return strconv.FormatInt(ids.PositiveInt63()%math.MaxInt32+1, 10)
}

// Config holds a zvcms application's credentials and the protocol points the
// vendor leaves open.
type Config struct {
	// Gateway is the base URL, such as [Gateway] (the default when empty). The
	// endpoint path (/v3/crm/coupon/<api>) is appended to it.
	Gateway string
	// OpenID is the application's key id (openId, 密钥Id). Required.
	OpenID string
	// OpenKey is the application's secret key, the HMAC key of the token.
	// Required. It is never sent and never appears in an error or a log line.
	OpenKey string
	// GrantCode is the authorisation code (grantCode, 授权code). Required. It
	// is sent in every request body and kept out of errors and log lines.
	GrantCode string
	// TokenFunc replaces the token algorithm, which the vendor does not
	// publish [likely]; nil means [DefaultToken].
	TokenFunc TokenFunc
	// NonceFunc returns a fresh nonce for each attempt, as the decimal text of
	// a positive integer; nil means [DefaultNonce] (31-bit). Replace it to use
	// a wider range if your gateway accepts 64-bit nonces [open].
	NonceFunc func() string
	// CodeFaults classifies vendor error codes (as the vendor writes them),
	// which the vendor does not document [open]. A listed code takes
	// precedence over the built-in rules described in the package doc
	// (Errors). The map is copied by NewClient.
	CodeFaults map[string]couponkit.Fault
}

// Client calls one zvcms application. It is immutable and safe for
// concurrent use by multiple goroutines.
type Client struct {
	tc        *transport.Client
	clock     couponkit.Clock
	base      string // Gateway without a trailing "/"
	openID    string
	openKey   string
	grantCode string
	prefix    []byte // `{"openId":<openId>,"grantCode":<grantCode>,"timestamp":"`
	token     TokenFunc
	nonce     func() string
	faults    map[string]couponkit.Fault
	queryURL  string
	redeemURL string
}

// NewClient validates cfg and returns a client. A missing or malformed field
// is a *couponkit.ValidationError naming it (Gateway, OpenID, OpenKey,
// GrantCode); credentials are never echoed. Options set the transport,
// retries, timeouts, logger and clock (the clock also gives the timestamps).
func NewClient(cfg Config, opts ...couponkit.Option) (*Client, error) {
	base, err := transport.Gateway(cfg.Gateway, Gateway, Gateway)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(cfg.OpenID) == "" {
		return nil, couponkit.Invalid("OpenID", "is required")
	}
	if cfg.OpenKey == "" {
		return nil, couponkit.Invalid("OpenKey", "is required")
	}
	if strings.TrimSpace(cfg.GrantCode) == "" {
		return nil, couponkit.Invalid("GrantCode", "is required")
	}
	o := couponkit.ResolveOptions(opts...)
	c := &Client{
		tc:        transport.New(Vendor, o, cfg.OpenKey, cfg.GrantCode),
		clock:     o.Clock,
		base:      base,
		openID:    cfg.OpenID,
		openKey:   cfg.OpenKey,
		grantCode: cfg.GrantCode,
		token:     cfg.TokenFunc,
		nonce:     cfg.NonceFunc,
		queryURL:  base + couponPath + opQuery,
		redeemURL: base + couponPath + opWriteOff,
	}
	if c.token == nil {
		c.token = DefaultToken
	}
	if c.nonce == nil {
		c.nonce = DefaultNonce
	}
	p := make([]byte, 0, 64+len(cfg.OpenID)+len(cfg.GrantCode))
	p = append(p, `{"openId":`...)
	p = jsonx.AppendString(p, cfg.OpenID)
	p = append(p, `,"grantCode":`...)
	p = jsonx.AppendString(p, cfg.GrantCode)
	c.prefix = append(p, `,"timestamp":"`...)
	c.faults = maps.Clone(cfg.CodeFaults) // the caller may change its map later
	return c, nil
}

// Close releases the client's idle connections. The client must not be used
// afterwards.
func (c *Client) Close() error {
	c.tc.Close()
	return nil
}

// do sends one logical call: params (serialized once by the caller) goes out
// unchanged on every attempt, each with a fresh timestamp, nonce and token.
// onOK, when not nil, receives the envelope of a successful response and may
// still reject it (a data field that does not decode).
func (c *Client) do(ctx context.Context, op, url string, class transport.Class, keyName, key string, params []byte, onOK func(*envelope) error) (*transport.Response, error) {
	return c.tc.Do(ctx, &transport.Call{
		Operation: op,
		URL:       url,
		Class:     class,
		KeyName:   keyName,
		Key:       key,
		Build: func(int) (transport.Payload, error) {
			return transport.Payload{Body: c.body(params), ContentType: "application/json"}, nil
		},
		Check: func(r *transport.Response) error {
			env, err := c.decodeEnvelope(r.Body)
			if err != nil {
				return err
			}
			if onOK != nil {
				return onOK(env)
			}
			return nil
		},
	})
}

// body is one attempt's request body, with the fields in the order of the
// vendor's example: openId, grantCode, timestamp, nonce, token, params.
func (c *Client) body(params []byte) []byte {
	ts := strconv.AppendInt(make([]byte, 0, 20), c.clock.Now().Unix(), 10)
	nonce := c.nonce()
	token := c.token(c.openKey, c.openID, c.grantCode, string(ts), nonce)
	b := make([]byte, 0, len(c.prefix)+len(ts)+len(nonce)+len(token)+len(params)+48)
	b = append(b, c.prefix...)
	b = append(b, ts...)
	b = append(b, `","nonce":`...)
	b = jsonx.AppendString(b, nonce)
	b = append(b, `,"token":`...)
	b = jsonx.AppendString(b, token)
	b = append(b, `,"params":`...)
	b = append(b, params...)
	return append(b, '}')
}
