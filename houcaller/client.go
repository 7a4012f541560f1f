package houcaller

import (
	"cmp"
	"errors"
	"maps"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/sign"
	"github.com/couponkit/couponkit/internal/transport"
)

// Vendor is the vendor name reported in errors (couponkit.Error.Vendor).
const Vendor = "houcaller"

// TestGateway is Houcaller's documented test gateway. It is plain HTTP, as
// the vendor publishes it; whether Houcaller serves it, or any gateway, over
// HTTPS is not documented [open]. The production gateway is not published
// [open], so there is no ProductionGateway and Config.Gateway has no
// default: set it to the base URL Houcaller gives you (ending in
// /openapi/v1), https:// wherever they offer it.
const TestGateway = "http://crm.houcaller.com/htest/openapi/v1"

// CipherMode is the DES block mode used to encrypt param. The vendor does not
// state it [likely]: the default is ECB.
type CipherMode int

const (
	// ECB encrypts each 8-byte block on its own, with no IV (the default,
	// Java's "DES/ECB/PKCS5Padding").
	ECB CipherMode = iota
	// CBC chains blocks from Config.IV.
	CBC
)

// String returns "ECB" or "CBC".
func (m CipherMode) String() string {
	switch m {
	case ECB:
		return "ECB"
	case CBC:
		return "CBC"
	default:
		return "CipherMode(" + strconv.Itoa(int(m)) + ")"
	}
}

// Padding is the block padding of the DES plaintext. The vendor does not
// state it [likely]: the default is PKCS5.
type Padding int

const (
	// PKCS5 appends n bytes of value n, 1 ≤ n ≤ 8 (the default).
	PKCS5 Padding = iota
	// ZeroPadding appends 0x00 bytes up to the next multiple of 8.
	ZeroPadding
)

// String returns "PKCS5" or "ZeroPadding".
func (p Padding) String() string {
	switch p {
	case PKCS5:
		return "PKCS5"
	case ZeroPadding:
		return "ZeroPadding"
	default:
		return "Padding(" + strconv.Itoa(int(p)) + ")"
	}
}

// Config holds a channel's credentials and the protocol points the vendor
// leaves open.
type Config struct {
	// Gateway is the base URL, http:// or https://, ending in /openapi/v1,
	// such as [TestGateway] (plain HTTP). Required: the production gateway is
	// not published, so there is no default. The endpoint name is appended
	// after a "/".
	Gateway string
	// Channel is the channel name Houcaller assigned (渠道名), sent in clear
	// as "channel". Required.
	Channel string
	// DESKey is the channel's DES key: exactly 8 bytes, used as is (not hex
	// decoded). Required. It never appears in an error or a log line, nor do
	// its hex and Base64 forms.
	DESKey string
	// CipherMode is the DES mode; default ECB [likely].
	CipherMode CipherMode
	// IV is the 8-byte CBC initialisation vector, used as is; it must be empty
	// in ECB mode.
	IV string
	// Padding is the plaintext padding; default PKCS5 [likely].
	Padding Padding
	// SaleNoDedup declares that the gateway de-duplicates sales by saleNo, so
	// that a sale whose outcome is unknown may be sent again with the same
	// saleNo (a Keyed write). The vendor does not document such
	// de-duplication [open], so by default (false) a sale is an Unsafe write:
	// sent again only when it provably never left or the gateway throttled
	// it, and an unknown outcome is reported as couponkit.ErrUnknownOutcome
	// with the saleNo. Set it only when Houcaller confirms it.
	SaleNoDedup bool
	// SerialCodeDedup declares that the gateway de-duplicates consumption
	// records (recordMemberCons) by serialCode, so that a record whose
	// outcome is unknown may be sent again with the same serialCode (a Keyed
	// write). The vendor calls serialCode unique (唯一业务号) but does not say
	// whether a repeat is refused, answered as the first, or recorded twice
	// [open], so by default (false) a record is an Unsafe write, like a sale
	// without SaleNoDedup. Set it only when Houcaller confirms it.
	SerialCodeDedup bool
	// BizDateLayout is the Go time layout of a consumption's bizDate, written
	// in Beijing time. The vendor's field table says only "业务日期" (a
	// string) [open]; default [DefaultBizDateLayout], "yyyy-MM-dd 00:00:00",
	// the form its response example echoes. Use "2006-01-02" for the day
	// alone, or "2006-01-02 15:04:05" for the time too.
	BizDateLayout string
	// MonthLayout is the Go time layout of the month a points-ledger query
	// names (queryMemberScoRecordForShop's month), written in Beijing time.
	// The vendor's field table says only "查询月份" (a string) [open];
	// default [DefaultMonthLayout], "yyyy-MM". Use "200601" for "yyyyMM".
	MonthLayout string
	// CodeFaults overrides [FaultFor] for vendor error codes (as the vendor
	// writes them, such as "500"). The vendor documents no code but 0
	// [open]. The map is copied by NewClient.
	CodeFaults map[string]couponkit.Fault
	// NewKey makes the saleNo of a sale whose SellCardRequest.SaleNo is
	// empty, and the serialCode of a consumption whose
	// ConsumptionRequest.SerialCode is empty, from now, the client's clock
	// (couponkit.WithClock). Default: the Beijing date "yyyyMMdd" followed by
	// 16 random hex digits.
	NewKey func(now time.Time) string
}

// Client calls one Houcaller channel. It is immutable and safe for concurrent
// use by multiple goroutines.
type Client struct {
	ep      *transport.Endpoint[sealed]
	typed   transport.Typed[sealed]
	clock   couponkit.Clock
	cipher  *sign.DESCipher
	middle  []byte // `","channel":<channel>,"timestamp":"`
	zeroPad bool
	faults  map[string]couponkit.Fault

	// opSale and opConsumption are the package's operations of the two
	// writes, Keyed when Config.SaleNoDedup or SerialCodeDedup says so.
	opSale, opConsumption *transport.Op
	bizDateLayout         string
	monthLayout           string
}

// NewClient validates cfg and returns a client. Every missing or malformed
// field is reported at once: the error joins (errors.Join) one
// *couponkit.ValidationError per field, in the order Gateway, Channel,
// DESKey, IV, CipherMode, Padding; key material is never echoed. Options set
// the transport, retries, timeouts, logger and clock.
func NewClient(cfg Config, opts ...couponkit.Option) (*Client, error) {
	var errs []error
	base, err := transport.Gateway(cfg.Gateway, "", TestGateway)
	if err != nil {
		errs = append(errs, err)
	}
	switch {
	case strings.TrimSpace(cfg.Channel) == "":
		errs = append(errs, couponkit.Invalid("Channel", "is required"))
	case !utf8.ValidString(cfg.Channel):
		errs = append(errs, couponkit.Invalid("Channel", "is not valid UTF-8"))
	}
	switch {
	case cfg.DESKey == "":
		errs = append(errs, couponkit.Invalid("DESKey", "is required"))
	case len(cfg.DESKey) != 8:
		errs = append(errs, couponkit.Invalid("DESKey", "must be 8 bytes, got %d", len(cfg.DESKey)))
	}
	var mode sign.DESMode
	switch cfg.CipherMode {
	case ECB:
		mode = sign.DESECB
		if cfg.IV != "" {
			errs = append(errs, couponkit.Invalid("IV", "must be empty in ECB mode"))
		}
	case CBC:
		mode = sign.DESCBC
		if len(cfg.IV) != 8 {
			errs = append(errs, couponkit.Invalid("IV", "must be 8 bytes in CBC mode, got %d", len(cfg.IV)))
		}
	default:
		errs = append(errs, couponkit.Invalid("CipherMode", "unknown mode %d", int(cfg.CipherMode)))
	}
	var pad sign.Padding
	switch cfg.Padding {
	case PKCS5:
		pad = sign.PKCS5
	case ZeroPadding:
		pad = sign.ZeroPadding
	default:
		errs = append(errs, couponkit.Invalid("Padding", "unknown padding %d", int(cfg.Padding)))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	var iv []byte
	if cfg.IV != "" {
		iv = []byte(cfg.IV)
	}
	ciph, err := sign.NewDES([]byte(cfg.DESKey), mode, iv, pad)
	if err != nil {
		return nil, couponkit.Invalid("DESKey", "rejected by DES")
	}
	middle := append([]byte(`","channel":`), jsonx.AppendString(nil, cfg.Channel)...)
	middle = append(middle, `,"timestamp":"`...)

	o := couponkit.ResolveOptions(opts...)
	// The vendor sees the key as raw bytes; its hex and Base64 spellings are
	// redacted too, should a gateway or a log ever print them.
	secrets := append([]string{cfg.DESKey}, transport.EncodedForms([]byte(cfg.DESKey))...)
	c := &Client{
		clock:   o.Clock,
		cipher:  ciph,
		middle:  middle,
		zeroPad: cfg.Padding == ZeroPadding,
		faults:  maps.Clone(cfg.CodeFaults), // the caller may change its map later

		opSale:        keyedIf(opSale, opSaleKeyed, cfg.SaleNoDedup),
		opConsumption: keyedIf(opConsumption, opConsumptionKeyed, cfg.SerialCodeDedup),
		bizDateLayout: cfg.BizDateLayout,
	}
	if c.bizDateLayout == "" {
		c.bizDateLayout = DefaultBizDateLayout
	}
	c.monthLayout = cmp.Or(cfg.MonthLayout, DefaultMonthLayout)
	c.ep = &transport.Endpoint[sealed]{
		Client: transport.New(Vendor, o, secrets...),
		Base:   base + "/",
		Frame:  c.frame,
		Open:   c.open,
		// open checks data only for a failure: a success's data is checked
		// by encoding/json's decode (Send, Call's out) or by the pipeline.
		DataDeferred: true,
		NewKey:       cfg.NewKey,
	}
	// wrap seals the params: it keeps nothing of them.
	c.typed = transport.Typed[sealed]{Endpoint: c.ep, Wrap: c.wrap, WrapCopies: true}
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

// sealed is one logical call's request: the fixed part of its body, in the
// key order of the vendor's example,
//
//	{"param":"<HEX>","channel":"<channel>","timestamp":"
//
// with room for the timestamp each attempt appends (see frame).
type sealed []byte

// wrap is the typed calls' Wrap: params, the business JSON transport.Send
// encoded from the call's wire params, sealed once for every attempt.
func (c *Client) wrap(_ *transport.Op, _ string, params []byte) (sealed, error) {
	return c.seal(params), nil
}

// seal encrypts the business JSON plain once per logical call and returns
// the fixed part of the body (see sealed). plain is never kept, logged or
// put into an error.
func (c *Client) seal(plain []byte) sealed {
	fixed := make([]byte, 0, len(`{"param":"`)+c.hexLen(len(plain))+len(c.middle)+len(`1623893916291"}`))
	fixed = append(fixed, `{"param":"`...)
	fixed = c.cipher.AppendEncryptHex(fixed, plain)
	return append(fixed, c.middle...)
}

// frame is one attempt's body: the sealed fixed part and a fresh 13-digit
// millisecond timestamp from the client's clock. There is no signature, so
// the attempt has no secret of its own (param is ciphertext).
func (c *Client) frame(_ *transport.Op, attempt int, _ string, fixed sealed) (transport.Payload, error) {
	b := fixed // the first attempt appends into fixed's spare capacity
	if attempt > 1 {
		b = make([]byte, len(fixed), cap(fixed))
		copy(b, fixed)
	}
	b = strconv.AppendInt(b, c.clock.Now().UnixMilli(), 10)
	b = append(b, '"', '}')
	return transport.Payload{Body: b, ContentType: "application/json"}, nil
}

// hexLen is the length of the hex ciphertext of n plaintext bytes.
func (c *Client) hexLen(n int) int {
	if c.zeroPad {
		return 2 * ((n + 7) / 8 * 8)
	}
	return 2 * (n/8 + 1) * 8
}
