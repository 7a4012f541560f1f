package suning

import (
	"errors"
	"maps"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/ids"
	"github.com/couponkit/couponkit/internal/transport"
)

// Vendor is the vendor name used in errors and logs.
const Vendor = "suning"

// Gateways of the Suning Open Platform, by environment. Both take every
// method on one URL; the method travels in the AppMethod header (see
// Config.AppendMethodToPath). Both are served over HTTPS.
const (
	// ProductionGateway is the production gateway, the default.
	ProductionGateway = "https://open.suning.com/api/http/sopRequest"
	// TestGateway is the pre-production (sandbox) gateway.
	TestGateway = "https://openpre.cnsuning.com/api/http/sopRequest"
)

// DefaultVersionNo is the API version sent in the VersionNo header unless
// Config.VersionNo says otherwise.
const DefaultVersionNo = "v1.2"

// Config holds the credentials and the protocol choices of a Client.
type Config struct {
	// Gateway is the full sopRequest URL. Default: ProductionGateway, so a
	// Config that leaves it empty reaches production with real credentials;
	// tests set it (suningtest's ClientConfig does).
	Gateway string
	// AppKey is the application key (AppKey header). Required.
	AppKey string
	// AppSecret is the key's secret; it is only ever used to compute signInfo
	// and is never sent. Required. It never appears in an error or a log
	// line, nor does the signInfo of any attempt.
	AppSecret string
	// AccessToken is the OAuth access token, sent as the access_token header
	// when set (needed only by apps authorised through OAuth). It never
	// appears in an error or a log line. It is a fixed token
	// (token.Static): set TokenSource instead for one that is refreshed.
	AccessToken string
	// TokenSource gives each call its access token (the token's
	// AccessToken), in place of AccessToken (set one of them): a
	// token.Refreshing whose Refresh is another client's Refresher keeps
	// it refreshed. A call refused with CodeUserOverdue (the access token
	// expired) renews it once and is sent once more; see "Access tokens"
	// in the package doc. It never appears in an error or a log line.
	TokenSource oauth2.TokenSource
	// OAuthTokenURL is the OAuth token endpoint of CreateToken and
	// RefreshToken. Default [DefaultOAuthTokenURL].
	OAuthTokenURL string
	// OAuthRedirectURL is sent as redirect_uri with both grants when set:
	// the redirect URI the app registered, which Suning's public clients
	// send with both [likely].
	OAuthRedirectURL string
	// VersionNo is the API version header. Default: DefaultVersionNo ("v1.2").
	VersionNo string
	// AppendMethodToPath, when true, posts to Gateway + "/" + method, as
	// Suning's PHP SDK and several other clients do. Default false: the bare
	// sopRequest URL, as Suning's Python SDK posts; the gateway routes on the
	// AppMethod header and accepts both forms.
	AppendMethodToPath bool
	// MaxLengths overrides the maximum lengths (in characters) of request
	// fields, keyed by the vendor's field name ("actionName", "partName").
	// A value of 0 or less turns the check off for that field. Fields not
	// named keep DefaultMaxLengths. [open]: the vendor documents a
	// length-overlong error but no lengths.
	MaxLengths map[string]int
	// CodeFaults overrides the fault of vendor error codes (the error_code
	// of an sn_error), keyed by the whole code
	// ("biz.custom.createappoint.missing-parameter:actionName") or by the
	// code without its ":<suffix>" ("biz.custom.createappoint.missing-parameter");
	// the whole code wins. Codes not named keep FaultFor's fault.
	CodeFaults map[string]couponkit.Fault
	// NewKey returns the enrollInfoCode (the idempotency key) of a write
	// whose request did not set one; now is the client clock's time.
	// Default: DefaultEnrollInfoCode.
	NewKey func(now time.Time) string
}

// Client calls the Suning Open Platform. It is immutable and safe for
// concurrent use by multiple goroutines.
type Client struct {
	ep        *transport.Endpoint[*request]
	typed     transport.Typed[*request]
	clock     couponkit.Clock
	appendURL bool
	appKey    string
	appSecret string
	token     string
	version   string
	limits    map[string]int
	faults    map[string]couponkit.Fault
	// The operations as this client routes them (Path set when
	// AppendMethodToPath).
	opCreate, opQuery, opGoto, opBooking *transport.Op
	// oauth is the token endpoint's typed calls; redirectURL is
	// Config.OAuthRedirectURL.
	oauth       transport.Typed[*oauthRequest]
	redirectURL string
}

// NewClient validates cfg and returns a Client. Every invalid field is
// reported at once: the error joins (errors.Join) one
// *couponkit.ValidationError per field, in the order of Config's fields.
func NewClient(cfg Config, opts ...couponkit.Option) (*Client, error) {
	var errs []error
	gw, err := transport.Gateway(cfg.Gateway, ProductionGateway, ProductionGateway)
	if err != nil {
		errs = append(errs, err)
	}
	switch {
	case cfg.AppKey == "":
		errs = append(errs, couponkit.Invalid("AppKey", "required"))
	case strings.ContainsAny(cfg.AppKey, "\r\n"):
		errs = append(errs, couponkit.Invalid("AppKey", "must not contain line breaks"))
	}
	if cfg.AppSecret == "" {
		errs = append(errs, couponkit.Invalid("AppSecret", "required"))
	}
	if strings.ContainsAny(cfg.AccessToken, "\r\n") {
		errs = append(errs, couponkit.Invalid("AccessToken", "must not contain line breaks"))
	}
	if strings.ContainsAny(cfg.VersionNo, "\r\n") {
		errs = append(errs, couponkit.Invalid("VersionNo", "must not contain line breaks"))
	}
	tokenURL, terrs := tokenConfig(cfg)
	errs = append(errs, terrs...)
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	version := cfg.VersionNo
	if version == "" {
		version = DefaultVersionNo
	}
	limits := DefaultMaxLengths()
	maps.Copy(limits, cfg.MaxLengths)
	o := couponkit.ResolveOptions(opts...)
	c := &Client{
		clock:     o.Clock,
		appendURL: cfg.AppendMethodToPath,
		appKey:    cfg.AppKey,
		appSecret: cfg.AppSecret,
		token:     cfg.AccessToken,
		version:   version,
		limits:    limits,
		faults:    maps.Clone(cfg.CodeFaults), // the caller may change its map later
	}
	c.ep = &transport.Endpoint[*request]{
		Client: transport.New(Vendor, o, cfg.AppSecret, cfg.AccessToken),
		Base:   gw,
		Frame:  c.frame,
		Open:   c.open,
		// open checks the node only for an sn_error: a success's node is
		// checked by encoding/json's decode (Send) or by the pipeline.
		DataDeferred: true,
		NewKey:       cfg.NewKey,
	}
	// wrap copies the params into the request's envelope: it keeps nothing
	// of them.
	c.typed = transport.Typed[*request]{Endpoint: c.ep, Wrap: wrap, WrapCopies: true, Fault: resultFault}
	c.opCreate, c.opQuery = c.route(opAppointCreate), c.route(opAppointQuery)
	c.opGoto, c.opBooking = c.route(opGotoAppoint), c.route(opBookingInfo)
	c.withTokens(cfg, tokenURL)
	return c, nil
}

// Close releases the idle connections of the transport the client created
// itself; a caller-supplied http.Client is left alone. Calls in flight are
// not interrupted, the client starts no goroutine, and Close may be called
// more than once.
func (c *Client) Close() error {
	c.ep.Client.Close()
	return nil
}

// DefaultEnrollInfoCode returns a new enrollInfoCode: "SU", the Beijing time
// of now as yyMMddHHmmss, and 18 random decimal digits (32 characters). The
// vendor's own example ("SU191028101810140135") has the same prefix and time
// but only 6 more digits, too few to stay unique under load. [open]: the
// vendor's maximum length is not documented; set Config.NewKey or
// the request's EnrollInfoCode if the gateway answers length-overlong.
func DefaultEnrollInfoCode(now time.Time) string {
	b := make([]byte, 0, 32)
	b = append(b, 'S', 'U')
	b = now.In(cntime.Location()).AppendFormat(b, "060102150405")
	r := uint64(ids.PositiveInt63()) % 1_000_000_000_000_000_000
	var digits [18]byte
	for i := len(digits) - 1; i >= 0; i-- {
		digits[i] = byte('0' + r%10)
		r /= 10
	}
	return string(append(b, digits[:]...))
}

// path returns the path a method is posted to, after the gateway URL.
func (c *Client) path(method string) string {
	if c.appendURL {
		return "/" + method
	}
	return ""
}

// route returns op as this client sends it.
func (c *Client) route(op *transport.Op) *transport.Op {
	if !c.appendURL {
		return op
	}
	cp := *op
	cp.Path = c.path(op.Name)
	return &cp
}
