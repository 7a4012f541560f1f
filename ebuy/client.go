package ebuy

import (
	"errors"
	"maps"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/transport"
)

// Vendor is the vendor name in errors and logs.
const Vendor = "ebuy"

// TestGateway is e-Buy's user-acceptance-test (UAT) gateway. e-Buy
// publishes no production gateway, so there is no ProductionGateway and no
// default: Config.Gateway must always be set, and a test setup can never
// reach production by accident.
const TestGateway = "https://uat-paas-gateway.e-buychina.com"

// apiPrefix is the path every 4.1 API lives under.
const apiPrefix = "/paas/micro/ecoupon/"

// DefaultMakeCodesPath is the API path of MakeCodes under
// /paas/micro/ecoupon/ when Config.MakeCodesPath is empty: makeCode, its
// action (e-Buy's signing page says the action is the API's path) [likely].
const DefaultMakeCodesPath = "makeCode"

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
	// Gateway is the base URL, such as TestGateway. Required; there is no
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
	// (UpdateCodeStatus over 20 codes; ActivateCodes and DeactivateCodes
	// over MaxCodesPerActivation) are in flight at once. Default
	// DefaultMaxBatchConcurrency; 1 sends them one after another.
	MaxBatchConcurrency int
	// MaxCodesPerActivation, when above 0, splits ActivateCodes and
	// DeactivateCodes into requests of at most this many codes, run like the
	// chunks of UpdateCodeStatus. e-Buy publishes no limit for
	// batchActivateCode or batchUnActivateCode (an open point), so the
	// default, 0, sends every code in one request.
	MaxCodesPerActivation int
	// Headers says whether the headers field is sent and signed. Default
	// HeadersSigned. The question is open: e-Buy documents the field but not
	// its place in the signature.
	Headers HeadersMode
	// PaasVersion is the paas-version inside headers. Default DefaultPaasVersion.
	PaasVersion string
	// Actions overrides the action sent for an API, keyed by API path (such as
	// "verify-syncVerifyNotify"). The defaults are listed in the package doc.
	Actions map[string]string
	// SyncVoidBrandKey is the content key the brand is sent under in
	// CancelSyncedRedemptions. Default DefaultSyncVoidBrandKey ("branId",
	// as e-Buy's page prints it); set "brandId" if the gateway wants the
	// spelling of its other APIs.
	SyncVoidBrandKey string
	// MakeCodesPath is the API path of MakeCodes under
	// /paas/micro/ecoupon/, one path segment. Default DefaultMakeCodesPath
	// ("makeCode"): e-Buy shows makeCode only as an action, and its signing
	// page says the action is the API's path.
	MakeCodesPath string
	// MakeCodesDeduplicates says the gateway answers a makeCode repeated with
	// the same outerOrderId with the earlier success instead of issuing again,
	// as e-Buy's 4.0 MakeCode documents for a repeated order number (4.1
	// publishes no such rule [open]). MakeCodes is then a Keyed write on
	// outerOrderId, retried with the same outerOrderId and uuid. False (the
	// default) sends makeCode once it may have left only once, and reports an
	// ambiguous answer as an unknown outcome. Set it only when e-Buy confirms
	// it for 4.1.
	MakeCodesDeduplicates bool
	// CodeFaults adds to or overrides the errorCode → Fault table of this
	// package (FaultFor), since e-Buy does not publish its codes.
	CodeFaults map[string]couponkit.Fault
	// NewKey returns the uuid of a call made without one (every read, and a
	// write whose request leaves UUID empty), given the client's clock.
	// Default: yyyyMMdd-<32 random hex digits>, the Beijing date, as in
	// e-Buy's examples. The uuid is the idempotency key of most writes (see
	// the package doc), so it must be unique per logical call.
	NewKey func(now time.Time) string
}

// Client calls the e-Buy 电子券 4.1 APIs. It is immutable and safe for
// concurrent use by multiple goroutines. Close it when done.
type Client struct {
	ep          *transport.Endpoint[*request]
	typed       transport.Typed[*request]
	clock       couponkit.Clock
	appID       string
	secret      string
	lang        string
	brandID     string
	concurrency int
	perActivate int
	headers     HeadersMode
	headersJSON string
	actions     map[string]string
	faults      map[string]couponkit.Fault
	// syncVoidBrandKey is the brand's key in CancelSyncedRedemptions.
	syncVoidBrandKey string
	// opMakeCodes is makeCode's Op, at Config.MakeCodesPath, Keyed with
	// Config.MakeCodesDeduplicates.
	opMakeCodes *transport.Op
}

// NewClient checks cfg and returns a Client. Every missing or malformed
// field is reported at once: the error joins one *couponkit.ValidationError
// per field, in the order of Config's fields. opts are the options every
// couponkit client takes (HTTP client, timeout, retry policy, logger, clock,
// rate limit).
func NewClient(cfg Config, opts ...couponkit.Option) (*Client, error) {
	var errs []error
	gw, err := transport.Gateway(cfg.Gateway, "", TestGateway)
	if err != nil {
		errs = append(errs, err)
	}
	if cfg.AppID == "" {
		errs = append(errs, couponkit.Invalid("AppID", "required"))
	}
	if cfg.AppSecret == "" {
		errs = append(errs, couponkit.Invalid("AppSecret", "required"))
	}
	// In the order of Config's fields, so the joined error reads the same every time.
	for _, f := range [...]struct{ name, v string }{
		{"AppID", cfg.AppID}, {"AppSecret", cfg.AppSecret}, {"Lang", cfg.Lang}, {"BrandID", cfg.BrandID}, {"PaasVersion", cfg.PaasVersion},
	} {
		if !utf8.ValidString(f.v) {
			errs = append(errs, couponkit.Invalid(f.name, "is not valid UTF-8"))
		}
	}
	for _, f := range [...]struct{ name, v string }{{"SyncVoidBrandKey", cfg.SyncVoidBrandKey}, {"MakeCodesPath", cfg.MakeCodesPath}} {
		if strings.ContainsAny(f.v, "/?#%\"& ") || !utf8.ValidString(f.v) {
			errs = append(errs, couponkit.Invalid(f.name, "must be a single path segment or key, without /?#%%\"& or spaces"))
		}
	}
	if cfg.MaxBatchConcurrency < 0 {
		errs = append(errs, couponkit.Invalid("MaxBatchConcurrency", "must not be negative"))
	}
	if cfg.MaxCodesPerActivation < 0 {
		errs = append(errs, couponkit.Invalid("MaxCodesPerActivation", "must not be negative"))
	}
	if cfg.Headers < HeadersSigned || cfg.Headers > HeadersOmitted {
		errs = append(errs, couponkit.Invalid("Headers", "unknown mode %d", int(cfg.Headers)))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	c := &Client{
		appID:       cfg.AppID,
		secret:      cfg.AppSecret,
		lang:        cfg.Lang,
		brandID:     cfg.BrandID,
		concurrency: cfg.MaxBatchConcurrency,
		perActivate: cfg.MaxCodesPerActivation,
		headers:     cfg.Headers,
		actions:     maps.Clone(cfg.Actions),
		faults:      maps.Clone(cfg.CodeFaults),
	}
	if c.lang == "" {
		c.lang = DefaultLang
	}
	c.syncVoidBrandKey = cfg.SyncVoidBrandKey
	if c.syncVoidBrandKey == "" {
		c.syncVoidBrandKey = DefaultSyncVoidBrandKey
	}
	var paths transport.Paths
	makeOp, makePath := opMakeCodes, ""
	if cfg.MakeCodesDeduplicates {
		makeOp = opMakeCodesKeyed
	}
	if cfg.MakeCodesPath != "" {
		makePath = apiPrefix + cfg.MakeCodesPath
	}
	c.opMakeCodes = paths.At(makeOp, "MakeCodesPath", makePath)
	if err := paths.Err(); err != nil {
		return nil, err
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
	c.ep = &transport.Endpoint[*request]{
		Client: transport.New(Vendor, o, cfg.AppSecret),
		Base:   gw,
		Frame:  c.frame,
		Open:   c.open,
		NewKey: cfg.NewKey,
	}
	c.typed = transport.Typed[*request]{Endpoint: c.ep, Wrap: c.wrap, Fault: c.fault}
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

// actionTable maps an API (an Op's Name) to the action sent for it.
type actionTable map[string]string

// add records action as the action of op's API, as its page prints it, and
// returns nothing of use: its result lets a call's file declare the action
// beside its Op (var _ = pageActions.add(opX, "action")). It panics, as the
// package's programming error, on an API added twice.
func (t actionTable) add(op *transport.Op, action string) struct{} {
	if _, ok := t[op.Name]; ok {
		panic("ebuy: the action of " + op.Name + " is added twice")
	}
	t[op.Name] = action
	return struct{}{}
}

// pageActions are the actions of the APIs whose action is not their path,
// as e-Buy's pages print them: each call's file adds its own beside its Op.
// The typed calls send it, and so does Call for the same API.
var pageActions = actionTable{}

// action returns the action sent for api: Config.Actions', else its page's
// (pageActions), else the API path itself.
func (c *Client) action(api string) string {
	if a, ok := c.actions[api]; ok {
		return a
	}
	if a, ok := pageActions[api]; ok {
		return a
	}
	return api
}
