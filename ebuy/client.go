package ebuy

import (
	"maps"
	"time"
	"unicode/utf8"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/transport"
)

// Vendor is the vendor name in errors and logs.
const Vendor = "ebuy"

// UATGateway is e-Buy's user-acceptance-test gateway. There is no default
// production gateway: Config.Gateway must always be set, so a test setup can
// never reach production by accident.
const UATGateway = "https://uat-paas-gateway.e-buychina.com"

// apiPrefix is the path every 4.1 API lives under.
const apiPrefix = "/paas/micro/ecoupon/"

// DefaultLang is the lang sent when Config.Lang is empty.
const DefaultLang = "zh_CN"

// DefaultPaasVersion is the paas-version sent in the headers field when
// Config.PaasVersion is empty.
const DefaultPaasVersion = "1.1.0"

// DefaultMaxBatchConcurrency is how many chunks of a split call run at once
// when Config.MaxBatchConcurrency is 0.
const DefaultMaxBatchConcurrency = 4

// MaxCodesPerUpdate is e-Buy's limit of codes in one batchUpdateCodeStatus
// request; UpdateCodeStatus splits longer lists.
const MaxCodesPerUpdate = 20

// HeadersMode says what the client does with the envelope's headers field
// ({"paas-version":"1.1.0"}), which e-Buy 4.1 documents without saying
// whether it is signed.
type HeadersMode int

const (
	// HeadersSigned sends headers and signs it like every other top-level
	// field (the default: "sign every field that is sent except sign").
	HeadersSigned HeadersMode = iota
	// HeadersUnsigned sends headers but leaves it out of the signature.
	HeadersUnsigned
	// HeadersOmitted does not send headers at all.
	HeadersOmitted
)

// Config is what a Client needs to reach e-Buy.
type Config struct {
	// Gateway is the base URL, such as UATGateway. Required; there is no
	// default. The API path (/paas/micro/ecoupon/<api>) is appended to it.
	Gateway string
	// AppID is the appId e-Buy issued. Required.
	AppID string
	// AppSecret is the key requests and responses are signed with. Required.
	// It never appears in an error or a log line.
	AppSecret string
	// Lang is the envelope's lang. Default DefaultLang ("zh_CN").
	Lang string
	// BrandID is the default brandId for calls that take one
	// (DeactivateCodes, UpdateCodeStatus, SyncRedemptions); a request's own
	// BrandID wins.
	BrandID string
	// MaxBatchConcurrency bounds how many chunks of a split call
	// (UpdateCodeStatus over 20 codes) are in flight at once. Default
	// DefaultMaxBatchConcurrency; 1 sends them one after another.
	MaxBatchConcurrency int
	// Headers says whether the headers field is sent and signed. Default
	// HeadersSigned. The question is open: e-Buy documents the field but not
	// its place in the signature.
	Headers HeadersMode
	// PaasVersion is the paas-version inside headers. Default DefaultPaasVersion.
	PaasVersion string
	// Actions overrides the action sent for an API, keyed by API path (such as
	// "verify-syncVerifyNotify"). The defaults are listed in the package doc.
	Actions map[string]string
	// NewUUID returns the uuid of a call made without one (every read, and a
	// write whose request leaves UUID empty), given the clock's time. Default:
	// yyyyMMdd-<32 random hex digits>, the Beijing date, as in e-Buy's examples.
	NewUUID func(now time.Time) string
	// ErrorFaults adds to or overrides the errorCode → Fault table of this
	// package (see errors.go), since e-Buy does not publish its codes.
	ErrorFaults map[string]couponkit.Fault
}

// Client calls the e-Buy 电子券 4.1 APIs. It is immutable and safe for
// concurrent use by multiple goroutines. Close it when done.
type Client struct {
	tc          *transport.Client
	clock       couponkit.Clock
	gateway     string
	appID       string
	secret      string
	lang        string
	brandID     string
	concurrency int
	headers     HeadersMode
	headersJSON string
	actions     map[string]string
	faults      map[string]couponkit.Fault
	uuidFunc    func(time.Time) string
}

// NewClient checks cfg and returns a Client. A missing or malformed field is
// a *couponkit.ValidationError naming it. opts are the options every couponkit
// client takes (HTTP client, timeout, retry policy, logger, clock, rate limit).
func NewClient(cfg Config, opts ...couponkit.Option) (*Client, error) {
	gw, err := transport.Gateway(cfg.Gateway, "", UATGateway)
	if err != nil {
		return nil, err
	}
	if cfg.AppID == "" {
		return nil, couponkit.Invalid("AppID", "required")
	}
	if cfg.AppSecret == "" {
		return nil, couponkit.Invalid("AppSecret", "required")
	}
	for field, v := range map[string]string{"AppID": cfg.AppID, "AppSecret": cfg.AppSecret, "Lang": cfg.Lang, "BrandID": cfg.BrandID, "PaasVersion": cfg.PaasVersion} {
		if !utf8.ValidString(v) {
			return nil, couponkit.Invalid(field, "is not valid UTF-8")
		}
	}
	if cfg.MaxBatchConcurrency < 0 {
		return nil, couponkit.Invalid("MaxBatchConcurrency", "must not be negative")
	}
	if cfg.Headers < HeadersSigned || cfg.Headers > HeadersOmitted {
		return nil, couponkit.Invalid("Headers", "unknown mode %d", int(cfg.Headers))
	}
	c := &Client{
		gateway:     gw,
		appID:       cfg.AppID,
		secret:      cfg.AppSecret,
		lang:        cfg.Lang,
		brandID:     cfg.BrandID,
		concurrency: cfg.MaxBatchConcurrency,
		headers:     cfg.Headers,
		actions:     maps.Clone(cfg.Actions),
		faults:      maps.Clone(cfg.ErrorFaults),
		uuidFunc:    cfg.NewUUID,
	}
	if c.lang == "" {
		c.lang = DefaultLang
	}
	if c.concurrency == 0 {
		c.concurrency = DefaultMaxBatchConcurrency
	}
	pv := cfg.PaasVersion
	if pv == "" {
		pv = DefaultPaasVersion
	}
	c.headersJSON = `{"paas-version":` + string(jsonx.AppendString(nil, pv)) + `}`
	o := couponkit.ResolveOptions(opts...)
	c.clock = o.Clock
	c.tc = transport.New(Vendor, o, cfg.AppSecret)
	return c, nil
}

// Close releases idle connections of a transport the client created itself.
// It always returns nil.
func (c *Client) Close() error {
	c.tc.Close()
	return nil
}

// action returns the action sent for api.
func (c *Client) action(api string) string {
	if a, ok := c.actions[api]; ok {
		return a
	}
	// The APIs whose action is not their path, as e-Buy's pages print them.
	switch api {
	case apiCancelRedemption:
		return "verifyCancel"
	case apiSyncRedemptions:
		return "codeVerifyNotify"
	}
	return api
}
