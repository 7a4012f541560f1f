package zvcms

import (
	"cmp"
	"errors"
	"maps"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/ids"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/sign"
	"github.com/couponkit/couponkit/internal/transport"
)

// Vendor is the vendor name reported in errors (couponkit.Error.Vendor).
const Vendor = "zvcms"

// ProductionGateway is the only gateway URL the vendor publishes. It is plain
// HTTP: the grantCode, the openId and every token travel in clear over it.
// Whether the vendor also serves HTTPS is not published [open]; use an https
// URL if your account manager gives you one. The client has no default
// gateway: Config.Gateway must name one, so that credentials never go to
// production over plain HTTP without the caller saying so. The vendor
// publishes no test gateway.
const ProductionGateway = "http://openapi.zvcms.com"

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

// newBizID is the bizId generator when Config.NewKey is nil: 32 random
// lowercase hex digits.
func newBizID(time.Time) string { return ids.Hex(16) }

// Config holds a zvcms application's credentials and the protocol points the
// vendor leaves open.
type Config struct {
	// Gateway is the base URL, such as [ProductionGateway]. Required: there is
	// no default (the only published gateway is plain HTTP). Each call's
	// path (such as /v3/crm/coupon/getCustomerCoupons; see Paths) is
	// appended to it.
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
	// V2TokenFunc replaces the token algorithm of the V2 calls
	// (Client.Reconciliation); nil means TokenFunc's [likely]: the V2 pages'
	// example token is the V3 page's for the same inputs.
	V2TokenFunc TokenFunc
	// V2PageParam is the name of the page number in a paged V2 call's params
	// (Client.Reconciliation); empty means "page" [likely]: the vendor's
	// page names no page number, and its answer's total, perPage, lastPage
	// and currentPage are those of Laravel's paginator, which reads page.
	// A gateway that reads another name answers page 1 again, which
	// Reconciliation reports (couponkit.ErrPageRepeated) rather than
	// repeating rows.
	V2PageParam string
	// NonceFunc returns a fresh nonce for each attempt, as the decimal text of
	// a positive integer; nil means [DefaultNonce] (31-bit). Replace it to use
	// a wider range if your gateway accepts 64-bit nonces [open].
	NonceFunc func() string
	// NewKey returns a new bizId (the idempotency key of writeOffCoupon) for a
	// redemption whose WriteOffRequest.BizID is empty. now is the client's
	// clock (couponkit.WithClock). Nil means 32 random lowercase hex digits.
	NewKey func(now time.Time) string
	// CodeFaults classifies vendor error codes (as the vendor writes them),
	// which the vendor does not document [open]. A listed code takes
	// precedence over [FaultFor] and the rules described in the package doc
	// (Errors). The map is copied by NewClient.
	CodeFaults map[string]couponkit.Fault
	// Paths moves calls to other paths than their defaults, by the vendor's
	// API name (couponkit.API.Operation, as [APIs] lists it) → a path
	// appended to Gateway, such as
	//
	//	Paths: map[string]string{"couponReverse": "/v3/crm/coupon/reverseCoupon"}
	//
	// Every call is listed with its default path in the package doc (Calls);
	// those not on the vendor's public pages are [likely] (the vendor
	// family's public CLI's) and this is how to change one. A name that is
	// no API of the package, or a path that is not absolute or has a query,
	// is refused by NewClient. The map is copied by NewClient.
	Paths map[string]string
	// IssueDeduplicates says the gateway applies an issue's bizId once
	// [open]: IssueCoupons is then retried with the same bizId like a read.
	// False (the default) sends an issue once it may have left only once,
	// and reports an ambiguous answer as an unknown outcome.
	IssueDeduplicates bool
}

// Client calls one zvcms application. It is immutable and safe for
// concurrent use by multiple goroutines.
type Client struct {
	ep        *transport.Endpoint[[]byte] // a call is its params, encoded once
	typed     transport.Typed[[]byte]     // the typed calls' adapter on ep
	v2        transport.Typed[[]byte]     // the V2 calls' adapter, on an endpoint of its own (v2.go)
	v2token   TokenFunc
	v2page    string // Config.V2PageParam, or "page"
	clock     couponkit.Clock
	openID    string
	openKey   string
	grantCode string
	prefix    []byte // `{"openId":<openId>,"grantCode":<grantCode>,"timestamp":"`
	token     TokenFunc
	nonce     func() string
	faults    map[string]couponkit.Fault
	opIssue   *transport.Op // issueCouponsToCustomer, keyed with Config.IssueDeduplicates
}

// NewClient validates cfg and returns a client. Every missing or malformed
// field is reported at once, as errors.Join of *couponkit.ValidationError
// naming it, in the order Gateway, OpenID, OpenKey, GrantCode, then each
// bad Paths entry as Paths["name"]; credentials are never echoed. Options set the transport, retries, timeouts, logger and
// clock (the clock also gives the timestamps and NewKey's now).
func NewClient(cfg Config, opts ...couponkit.Option) (*Client, error) {
	var errs []error
	base, err := transport.Gateway(cfg.Gateway, "", ProductionGateway)
	if err != nil {
		errs = append(errs, err)
	}
	if strings.TrimSpace(cfg.OpenID) == "" {
		errs = append(errs, couponkit.Invalid("OpenID", "is required"))
	}
	if cfg.OpenKey == "" {
		errs = append(errs, couponkit.Invalid("OpenKey", "is required"))
	}
	if strings.TrimSpace(cfg.GrantCode) == "" {
		errs = append(errs, couponkit.Invalid("GrantCode", "is required"))
	}
	switch cfg.V2PageParam {
	case "startDate", "endData", "multiMark", "perPage":
		errs = append(errs, couponkit.Invalid("V2PageParam", "%q is another member of the params", cfg.V2PageParam))
	}
	var paths transport.Paths
	var moved map[string]string
	if len(cfg.Paths) > 0 {
		moved = paths.Named("Paths", cfg.Paths, APIs())
	}
	if err := errors.Join(append(errs, paths.Err())...); err != nil {
		return nil, err
	}
	o := couponkit.ResolveOptions(opts...)
	c := &Client{
		clock:     o.Clock,
		openID:    cfg.OpenID,
		openKey:   cfg.OpenKey,
		grantCode: cfg.GrantCode,
		token:     cfg.TokenFunc,
		nonce:     cfg.NonceFunc,
		faults:    maps.Clone(cfg.CodeFaults), // the caller may change its map later
		opIssue:   issueOp(cfg.IssueDeduplicates),
		v2page:    cmp.Or(cfg.V2PageParam, "page"),
	}
	if c.token == nil {
		c.token = DefaultToken
	}
	if c.v2token = cfg.V2TokenFunc; c.v2token == nil {
		c.v2token = c.token
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
	c.ep = &transport.Endpoint[[]byte]{
		Client: transport.New(Vendor, o, cfg.OpenKey, cfg.GrantCode),
		Base:   base,
		Frame:  c.frame,
		Open:   c.open,
		NewKey: cfg.NewKey,
		Paths:  moved,
	}
	c.typed = transport.Typed[[]byte]{Endpoint: c.ep, Wrap: wrap}
	// The V2 calls: the same pipeline, gateway and paths, the V2 envelope.
	ep2 := &transport.Endpoint[[]byte]{Client: c.ep.Client, Base: base, Frame: c.frameV2, Open: c.open, Paths: moved}
	c.v2 = transport.Typed[[]byte]{Endpoint: ep2, Wrap: wrap}
	return c, nil
}

// Close releases the idle connections of the transport the client created
// itself; a caller-supplied http.Client is left alone. Calls in flight are not
// interrupted, the client starts no goroutine, and Close may be called more
// than once.
func (c *Client) Close() error {
	c.ep.Client.Close()
	return nil
}
