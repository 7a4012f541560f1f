package suning

import (
	"strings"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/ids"
	"github.com/couponkit/couponkit/internal/transport"
)

// Vendor is the vendor name used in errors and logs.
const Vendor = "suning"

// Gateways of the Suning Open Platform. Both take every method on one URL; the
// method travels in the AppMethod header.
const (
	// GatewayProduction is the production gateway.
	GatewayProduction = "https://open.suning.com/api/http/sopRequest"
	// GatewayPreProduction is the pre-production (sandbox) gateway.
	GatewayPreProduction = "http://openpre.cnsuning.com/api/http/sopRequest"
)

// DefaultVersionNo is the API version sent in the VersionNo header unless
// Config.VersionNo says otherwise.
const DefaultVersionNo = "v1.2"

// Config holds the credentials and the protocol choices of a Client.
type Config struct {
	// Gateway is the full sopRequest URL. Default: GatewayProduction.
	Gateway string
	// AppKey is the application key (AppKey header). Required.
	AppKey string
	// AppSecret is the key's secret; it is only ever used to compute signInfo.
	// Required.
	AppSecret string
	// AccessToken is the OAuth access token, sent as the access_token header
	// when set (needed only by apps authorised through OAuth).
	AccessToken string
	// VersionNo is the API version header. Default: DefaultVersionNo ("v1.2").
	VersionNo string
	// AppendMethodToPath, when true, posts to Gateway + "/" + method, as
	// Suning's PHP SDK does. Default false: Suning's Python SDK and every
	// published example post to the bare sopRequest URL, and the gateway
	// routes on the AppMethod header. [open]
	AppendMethodToPath bool
	// MaxLengths overrides the maximum lengths (in characters) of request
	// fields, keyed by the vendor's field name ("actionName", "partName").
	// A value of 0 or less turns the check off for that field. Fields not
	// named keep DefaultMaxLengths. [open]: the vendor documents a
	// length-overlong error but no lengths.
	MaxLengths map[string]int
	// NewEnrollInfoCode returns the enrollInfoCode (the idempotency key) of a
	// write whose request did not set one; now is the client clock's time.
	// Default: DefaultEnrollInfoCode.
	NewEnrollInfoCode func(now time.Time) string
}

// Client calls the Suning Open Platform. It is immutable and safe for
// concurrent use by multiple goroutines.
type Client struct {
	tc        *transport.Client
	clock     couponkit.Clock
	gateway   string
	appendURL bool
	appKey    string
	appSecret string
	token     string
	version   string
	limits    map[string]int
	newKey    func(time.Time) string
}

// NewClient validates cfg and returns a Client. A missing credential or a bad
// gateway URL is a *couponkit.ValidationError naming the Config field.
func NewClient(cfg Config, opts ...couponkit.Option) (*Client, error) {
	if cfg.AppKey == "" {
		return nil, couponkit.Invalid("AppKey", "required")
	}
	if cfg.AppSecret == "" {
		return nil, couponkit.Invalid("AppSecret", "required")
	}
	if strings.ContainsAny(cfg.AppKey, "\r\n") {
		return nil, couponkit.Invalid("AppKey", "must not contain line breaks")
	}
	if strings.ContainsAny(cfg.AccessToken, "\r\n") {
		return nil, couponkit.Invalid("AccessToken", "must not contain line breaks")
	}
	gw, err := transport.Gateway(cfg.Gateway, GatewayProduction, GatewayProduction)
	if err != nil {
		return nil, err
	}
	version := cfg.VersionNo
	if version == "" {
		version = DefaultVersionNo
	}
	limits := DefaultMaxLengths()
	for k, v := range cfg.MaxLengths {
		limits[k] = v
	}
	newKey := cfg.NewEnrollInfoCode
	if newKey == nil {
		newKey = DefaultEnrollInfoCode
	}
	o := couponkit.ResolveOptions(opts...)
	return &Client{
		tc:        transport.New(Vendor, o, cfg.AppSecret, cfg.AccessToken),
		clock:     o.Clock,
		gateway:   strings.TrimRight(gw, "/"),
		appendURL: cfg.AppendMethodToPath,
		appKey:    cfg.AppKey,
		appSecret: cfg.AppSecret,
		token:     cfg.AccessToken,
		version:   version,
		limits:    limits,
		newKey:    newKey,
	}, nil
}

// Close releases the idle connections of a transport the client created.
func (c *Client) Close() error {
	c.tc.Close()
	return nil
}

// DefaultEnrollInfoCode returns a new enrollInfoCode: "SU", the Beijing time
// of now as yyMMddHHmmss, and 18 random decimal digits (32 characters). The
// vendor's own example ("SU191028101810140135") has the same prefix and time
// but only 6 more digits, too few to stay unique under load. [open]: the
// vendor's maximum length is not documented; set Config.NewEnrollInfoCode or
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

// endpoint returns the URL a method is posted to.
func (c *Client) endpoint(method string) string {
	if c.appendURL {
		return c.gateway + "/" + method
	}
	return c.gateway
}

// now returns the client clock's time.
func (c *Client) now() time.Time { return c.clock.Now() }
