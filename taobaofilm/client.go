package taobaofilm

import (
	"maps"
	"slices"
	"strings"

	"github.com/google/go-querystring/query"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/sign"
	"github.com/couponkit/couponkit/internal/transport"
)

// Vendor is the vendor name reported in errors (couponkit.Error.Vendor).
const Vendor = "taobaofilm"

// TOP gateways (router URLs). Requests are POSTed to the URL as is.
const (
	// GatewayHTTPS is the production gateway over HTTPS (the default).
	GatewayHTTPS = "https://eco.taobao.com/router/rest"
	// GatewayHTTP is the production gateway over plain HTTP.
	GatewayHTTP = "http://gw.api.taobao.com/router/rest"
	// GatewaySandbox is the TOP sandbox.
	GatewaySandbox = "https://gw.api.tbsandbox.com/router/rest"
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
	// Gateway is the router URL; default [GatewayHTTPS].
	Gateway string
	// AppKey is the app's key (app_key). Required.
	AppKey string
	// AppSecret is the app's secret, used only to sign. Required. It never
	// appears in an error or a log line.
	AppSecret string
	// Session is the authorized user's session key, sent as "session" when
	// set (APIs that need authorization). It never appears in an error or a
	// log line.
	Session string
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
	// ReturnCodeFaults classifies business return codes (result.return_code,
	// as the vendor writes it). TOP documents none [open]: a return code not
	// listed has couponkit.FaultClient. The map is copied by NewClient.
	ReturnCodeFaults map[string]couponkit.Fault
}

// Client calls the TOP gateway for one app. It is immutable and safe for
// concurrent use by multiple goroutines.
type Client struct {
	tc           *transport.Client
	clock        couponkit.Clock
	gateway      string
	secret       string
	signMethod   sign.TOPMethod
	common       []sign.Param // sorted common params but method, timestamp and sign
	simplify     bool
	keepEmpty    bool
	cursor       CursorPlacement
	cursorName   string
	returnFaults map[string]couponkit.Fault
}

// commonParams are the TOP common parameters fixed for a client. They go
// through go-querystring once, in NewClient.
type commonParams struct {
	AppKey       string     `url:"app_key"`
	Format       string     `url:"format"`
	PartnerID    string     `url:"partner_id,omitempty"`
	Session      string     `url:"session,omitempty"`
	SignMethod   SignMethod `url:"sign_method"`
	Simplify     bool       `url:"simplify,omitempty"`
	TargetAppKey string     `url:"target_app_key,omitempty"`
	V            string     `url:"v"`
}

// reserved are the parameter names the client sets itself.
var reserved = map[string]bool{
	"method": true, "app_key": true, "session": true, "timestamp": true, "v": true,
	"sign_method": true, "sign": true, "format": true, "simplify": true,
	"partner_id": true, "target_app_key": true,
}

// exportParamNames are the export's own parameter names.
var exportParamNames = map[string]bool{"mix_id": true, "partner_code": true, "operate_type": true, "params": true}

// NewClient validates cfg and returns a client. A missing or malformed field
// is a *couponkit.ValidationError naming it (AppKey, AppSecret, Gateway,
// SignMethod, Cursor, CursorName). Options set the transport, retries,
// timeouts, logger and clock.
func NewClient(cfg Config, opts ...couponkit.Option) (*Client, error) {
	gw, err := transport.Gateway(cfg.Gateway, GatewayHTTPS, GatewayHTTPS)
	if err != nil {
		return nil, err
	}
	cfg.Gateway = gw
	if strings.TrimSpace(cfg.AppKey) == "" {
		return nil, couponkit.Invalid("AppKey", "required")
	}
	if cfg.AppSecret == "" {
		return nil, couponkit.Invalid("AppSecret", "required")
	}
	switch cfg.SignMethod {
	case "":
		cfg.SignMethod = SignHMACSHA256
	case SignMD5, SignHMAC, SignHMACSHA256:
	default:
		return nil, couponkit.Invalid("SignMethod", "want md5, hmac or hmac-sha256")
	}
	if cfg.Cursor != CursorInParams && cfg.Cursor != CursorParameter {
		return nil, couponkit.Invalid("Cursor", "want CursorInParams or CursorParameter")
	}
	if cfg.CursorName == "" {
		cfg.CursorName = DefaultCursorName
	}
	if strings.Trim(cfg.CursorName, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") != "" {
		return nil, couponkit.Invalid("CursorName", "want letters, digits, '_', '.' or '-'")
	}
	if cfg.Cursor == CursorParameter && (reserved[cfg.CursorName] || exportParamNames[cfg.CursorName]) {
		return nil, couponkit.Invalid("CursorName", "%q is a common parameter", cfg.CursorName)
	}
	vals, err := query.Values(commonParams{
		AppKey: cfg.AppKey, Format: "json", PartnerID: cfg.PartnerID, Session: cfg.Session,
		SignMethod: cfg.SignMethod, Simplify: cfg.Simplify, TargetAppKey: cfg.TargetAppKey, V: APIVersion,
	})
	if err != nil {
		return nil, err
	}
	common := make([]sign.Param, 0, len(vals))
	for _, k := range slices.Sorted(maps.Keys(vals)) {
		common = append(common, sign.Param{Key: k, Value: vals.Get(k)})
	}
	o := couponkit.ResolveOptions(opts...)
	return &Client{
		tc:           transport.New(Vendor, o, cfg.AppSecret, cfg.Session),
		clock:        o.Clock,
		gateway:      cfg.Gateway,
		secret:       cfg.AppSecret,
		signMethod:   sign.TOPMethod(cfg.SignMethod),
		common:       common,
		simplify:     cfg.Simplify,
		keepEmpty:    cfg.KeepEmptyParams,
		cursor:       cfg.Cursor,
		cursorName:   cfg.CursorName,
		returnFaults: maps.Clone(cfg.ReturnCodeFaults),
	}, nil
}

// Close releases idle connections of a transport the client created itself.
// It always returns nil.
func (c *Client) Close() error {
	c.tc.Close()
	return nil
}
