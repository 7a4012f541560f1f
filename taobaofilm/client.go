package taobaofilm

import (
	"errors"
	"maps"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/sign"
	"github.com/couponkit/couponkit/internal/transport"
)

// Vendor is the vendor name reported in errors (couponkit.Error.Vendor).
const Vendor = "taobaofilm"

// TOP gateways (router URLs). Requests are POSTed to the URL as is.
const (
	// ProductionGateway is TOP's production router over HTTPS, the default
	// Config.Gateway. TOP also serves https://gw.api.taobao.com/router/rest,
	// which newer TOP pages name; both accept the same requests.
	ProductionGateway = "https://eco.taobao.com/router/rest"
	// TestGateway is the TOP sandbox (沙箱环境), with its own app keys.
	TestGateway = "https://gw.api.tbsandbox.com/router/rest"
)

// APIVersion is the TOP protocol version sent as "v".
const APIVersion = "2.0"

// SignMethod is a TOP sign_method: how the request signature is computed.
type SignMethod string

const (
	// SignMD5 signs with MD5(secret + s + secret).
	SignMD5 SignMethod = "md5"
	// SignHMAC signs with HMAC-MD5 keyed by the app secret.
	SignHMAC SignMethod = "hmac"
	// SignHMACSHA256 signs with HMAC-SHA256 keyed by the app secret (the default).
	SignHMACSHA256 SignMethod = "hmac-sha256"
)

// String returns the sign_method value sent on the wire.
func (m SignMethod) String() string { return string(m) }

// CursorPlacement says where the export cursor (the previous page's
// last_sequence) is sent. TOP documents no request field for it [open].
type CursorPlacement int

const (
	// CursorInParams sends the cursor as a JSON number member of the "params"
	// extension JSON, such as params={"last_sequence":100} (the default).
	CursorInParams CursorPlacement = iota
	// CursorParameter sends the cursor as a top-level request parameter,
	// such as last_sequence=100.
	CursorParameter
)

// String returns "params" or "parameter".
func (p CursorPlacement) String() string {
	if p == CursorParameter {
		return "parameter"
	}
	return "params"
}

// DefaultCursorName is the name the export cursor is sent under unless
// Config.CursorName says otherwise: the response's own field name.
const DefaultCursorName = "last_sequence"

// Config holds an app's credentials and the protocol points TOP leaves open.
type Config struct {
	// Gateway is the router URL. Default: [ProductionGateway], so a Config
	// that leaves it empty reaches production with real credentials; tests
	// set it (taobaofilmtest's ClientConfig does).
	Gateway string
	// AppKey is the app's key (app_key). Required.
	AppKey string
	// AppSecret is the app's secret, used only to sign. Required. It never
	// appears in an error or a log line.
	AppSecret string
	// Session is the authorized user's session key, sent as "session" when
	// set (APIs that need authorization). The export most likely needs one
	// [likely]: its page's sample passes a sessionKey. It never appears in
	// an error or a log line. It is a fixed token (token.Static): set
	// TokenSource instead for a session that is refreshed.
	Session string
	// TokenSource gives each call its session (the token's AccessToken),
	// in place of Session (set one of them): a token.Refreshing whose
	// Refresh is another client's Refresher keeps it refreshed. A call
	// refused with an expired session (SessionExpiredCodes) renews it once
	// and is sent once more; see "Sessions" in the package doc. The
	// session never appears in an error or a log line.
	TokenSource oauth2.TokenSource
	// SessionExpiredCodes are the error_response codes and sub_codes that
	// say the session expired. Default [DefaultSessionExpiredCodes]
	// [likely].
	SessionExpiredCodes []string
	// SignMethod is the sign_method; default [SignHMACSHA256].
	SignMethod SignMethod
	// PartnerID is sent as "partner_id" when set.
	PartnerID string
	// TargetAppKey is sent as "target_app_key" when set.
	TargetAppKey string
	// Simplify asks for the simplified JSON (simplify=true): no
	// "<method>_response" wrapper and lists as plain arrays. Both shapes are
	// decoded whatever this says.
	Simplify bool
	// KeepEmptyParams sends (and signs) business parameters whose value is
	// empty. By default they are left out of the request and of the signature,
	// as TOP's official SDKs do [likely].
	KeepEmptyParams bool
	// Cursor is where the export cursor goes; default [CursorInParams] [open].
	Cursor CursorPlacement
	// CursorName is the name the export cursor is sent under; default
	// [DefaultCursorName] [open].
	CursorName string
	// CodeFaults overrides the Fault of a code, as the vendor writes it: an
	// error_response sub_code or code (the sub_code is looked up first), or
	// a business return_code. A code not listed gets [FaultFor] for
	// error_response, and couponkit.FaultClient for a return_code, of which
	// TOP documents none [open]. The map is copied by NewClient.
	CodeFaults map[string]couponkit.Fault
	// NewKey makes the ext_order_id of an issue call (SendCodes,
	// MerchantSendCodes) sent without one, from the client's clock. Default:
	// the Beijing time as yyyyMMddHHmmss and 16 random hex digits; TOP
	// publishes no format or length for it [open].
	NewKey func(now time.Time) string
	// SendCodesUnsafe sends SendCodes as an Unsafe write (once; an ambiguous
	// answer is an unknown outcome at once) instead of Keyed on
	// ext_order_id. Keyed is the default [likely]: TOP requires
	// ext_order_id as the caller's order number but its page states no
	// de-duplication in words.
	SendCodesUnsafe bool
}

// Client calls the TOP gateway for one app. It is immutable and safe for
// concurrent use by multiple goroutines.
type Client struct {
	ep         *transport.Endpoint[*topRequest]
	typed      transport.Typed[*topRequest]
	clock      couponkit.Clock
	signer     *sign.TOPSigner
	common     []sign.Param // the common params but method, timestamp and sign
	simplify   bool
	keepEmpty  bool
	cursor     CursorPlacement
	cursorName string
	faults     map[string]couponkit.Fault
	opSend     *transport.Op                // opSendCodes, or opSendCodesUnsafe
	tokens     oauth2.TokenSource           // Config.TokenSource, or nil
	expired    map[string]bool              // Config.SessionExpiredCodes
	tokenCalls transport.Typed[*topRequest] // the token calls, without a session
}

// reserved are the parameter names the client sets itself.
var reserved = map[string]bool{
	"method": true, "app_key": true, "session": true, "timestamp": true, "v": true,
	"sign_method": true, "sign": true, "format": true, "simplify": true,
	"partner_id": true, "target_app_key": true,
}

// exportParamNames are the export's own parameter names.
var exportParamNames = map[string]bool{"mix_id": true, "partner_code": true, "operate_type": true, "params": true}

// NewClient validates cfg and returns a client. Every missing or malformed
// field is reported at once, as errors.Join of *couponkit.ValidationError
// naming it, in the order Gateway, AppKey, AppSecret, SignMethod, Cursor,
// CursorName; credentials are never echoed. Options set the transport,
// retries, timeouts, logger and clock (the clock also gives the timestamps).
func NewClient(cfg Config, opts ...couponkit.Option) (*Client, error) {
	var errs []error
	gw, err := transport.Gateway(cfg.Gateway, ProductionGateway, ProductionGateway)
	if err != nil {
		errs = append(errs, err)
	}
	if strings.TrimSpace(cfg.AppKey) == "" {
		errs = append(errs, couponkit.Invalid("AppKey", "is required"))
	}
	if cfg.AppSecret == "" {
		errs = append(errs, couponkit.Invalid("AppSecret", "is required"))
	}
	switch cfg.SignMethod {
	case "":
		cfg.SignMethod = SignHMACSHA256
	case SignMD5, SignHMAC, SignHMACSHA256:
	default:
		errs = append(errs, couponkit.Invalid("SignMethod", "want md5, hmac or hmac-sha256"))
	}
	if cfg.Cursor != CursorInParams && cfg.Cursor != CursorParameter {
		errs = append(errs, couponkit.Invalid("Cursor", "want CursorInParams or CursorParameter"))
	}
	if cfg.CursorName == "" {
		cfg.CursorName = DefaultCursorName
	}
	switch {
	case strings.Trim(cfg.CursorName, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") != "":
		errs = append(errs, couponkit.Invalid("CursorName", "want letters, digits, '_', '.' or '-'"))
	case cfg.Cursor == CursorParameter && (reserved[cfg.CursorName] || exportParamNames[cfg.CursorName]):
		errs = append(errs, couponkit.Invalid("CursorName", "%q is a common parameter", cfg.CursorName))
	}
	if cfg.Session != "" && cfg.TokenSource != nil {
		errs = append(errs, couponkit.Invalid("TokenSource", "set Session or TokenSource, not both"))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	signer, err := sign.NewTOPSigner(sign.TOPMethod(cfg.SignMethod), cfg.AppSecret)
	if err != nil {
		return nil, err
	}
	common := []sign.Param{{Key: "app_key", Value: cfg.AppKey}, {Key: "format", Value: "json"},
		{Key: "sign_method", Value: string(cfg.SignMethod)}, {Key: "v", Value: APIVersion}}
	for _, p := range []sign.Param{{Key: "partner_id", Value: cfg.PartnerID}, {Key: "session", Value: cfg.Session}, {Key: "target_app_key", Value: cfg.TargetAppKey}} {
		if p.Value != "" {
			common = append(common, p)
		}
	}
	if cfg.Simplify {
		common = append(common, sign.Param{Key: "simplify", Value: "true"})
	}
	o := couponkit.ResolveOptions(opts...)
	c := &Client{
		clock:      o.Clock,
		signer:     signer,
		common:     common,
		simplify:   cfg.Simplify,
		keepEmpty:  cfg.KeepEmptyParams,
		cursor:     cfg.Cursor,
		cursorName: cfg.CursorName,
		faults:     maps.Clone(cfg.CodeFaults),
		opSend:     opSendCodes,
	}
	if cfg.SendCodesUnsafe {
		c.opSend = opSendCodesUnsafe
	}
	// The session travels query-escaped in the form body; the pipeline
	// redacts every spelling of it (raw, URL- and JSON-escaped), should a
	// gateway echo a request.
	secrets := []string{cfg.AppSecret}
	if cfg.Session != "" {
		secrets = append(secrets, cfg.Session)
	}
	c.ep = &transport.Endpoint[*topRequest]{
		Client: transport.New(Vendor, o, secrets...),
		Base:   gw,
		Frame:  c.frame,
		Open:   c.open,
		NewKey: cfg.NewKey,
	}
	c.typed = transport.Typed[*topRequest]{Endpoint: c.ep, Wrap: c.wrap, Fault: c.returnCodeFault}
	c.withTokens(cfg)
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
