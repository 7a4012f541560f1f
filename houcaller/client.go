package houcaller

import (
	"context"
	"encoding/hex"
	"maps"
	"strconv"
	"strings"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/sign"
	"github.com/couponkit/couponkit/internal/transport"
)

// Vendor is the vendor name reported in errors (couponkit.Error.Vendor).
const Vendor = "houcaller"

// TestGateway is Houcaller's documented test gateway. The production gateway
// is not published [open]: set Config.Gateway to the base URL Houcaller gives
// you (ending in /openapi/v1).
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
	// Gateway is the base URL, ending in /openapi/v1, such as [TestGateway].
	// Required: the production gateway is not published, so there is no
	// default. The endpoint name is appended after a "/".
	Gateway string
	// Channel is the channel name Houcaller assigned (渠道名), sent in clear
	// as "channel". Required.
	Channel string
	// DESKey is the channel's DES key: exactly 8 bytes, used as is (not hex
	// decoded). Required. It never appears in an error or a log line.
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
	// saleNo. The vendor does not document such de-duplication [open], so by
	// default (false) a sale is sent again only when it provably never left
	// or the gateway throttled it, and an unknown outcome is reported as
	// couponkit.ErrUnknownOutcome. Set it only when Houcaller confirms it.
	SaleNoDedup bool
	// CodeFaults classifies vendor error codes (as the vendor writes them,
	// such as "500") the vendor does not document [open]. A code not listed
	// has couponkit.FaultUnknown. The map is copied by NewClient.
	CodeFaults map[string]couponkit.Fault
}

// Client calls one Houcaller channel. It is immutable and safe for concurrent
// use by multiple goroutines.
type Client struct {
	tc        *transport.Client
	clock     couponkit.Clock
	cipher    *sign.DESCipher
	base      string // Gateway + "/"
	saleURL   string
	middle    []byte // `","channel":<channel>,"timestamp":"`
	zeroPad   bool
	saleClass transport.Class
	faults    map[string]couponkit.Fault
}

// NewClient validates cfg and returns a client. A missing or malformed field
// is a *couponkit.ValidationError naming it (Gateway, Channel, DESKey, IV,
// CipherMode, Padding); key material is never echoed. Options set the
// transport, retries, timeouts, logger and clock.
func NewClient(cfg Config, opts ...couponkit.Option) (*Client, error) {
	base, err := transport.Gateway(cfg.Gateway, "", TestGateway)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(cfg.Channel) == "" {
		return nil, couponkit.Invalid("Channel", "is required")
	}
	if cfg.DESKey == "" {
		return nil, couponkit.Invalid("DESKey", "is required")
	}
	if len(cfg.DESKey) != 8 {
		return nil, couponkit.Invalid("DESKey", "must be 8 bytes, got %d", len(cfg.DESKey))
	}
	var mode sign.DESMode
	switch cfg.CipherMode {
	case ECB:
		mode = sign.DESECB
		if cfg.IV != "" {
			return nil, couponkit.Invalid("IV", "must be empty in ECB mode")
		}
	case CBC:
		mode = sign.DESCBC
		if len(cfg.IV) != 8 {
			return nil, couponkit.Invalid("IV", "must be 8 bytes in CBC mode, got %d", len(cfg.IV))
		}
	default:
		return nil, couponkit.Invalid("CipherMode", "unknown mode %d", int(cfg.CipherMode))
	}
	var pad sign.Padding
	switch cfg.Padding {
	case PKCS5:
		pad = sign.PKCS5
	case ZeroPadding:
		pad = sign.ZeroPadding
	default:
		return nil, couponkit.Invalid("Padding", "unknown padding %d", int(cfg.Padding))
	}
	var iv []byte
	if cfg.IV != "" {
		iv = []byte(cfg.IV)
	}
	ciph, err := sign.NewDES([]byte(cfg.DESKey), mode, iv, pad)
	if err != nil {
		return nil, couponkit.Invalid("DESKey", "rejected by DES")
	}
	ch, err := jsonx.Marshal(cfg.Channel)
	if err != nil {
		return nil, couponkit.Invalid("Channel", "is not valid text")
	}
	middle := make([]byte, 0, len(`","channel":,"timestamp":"`)+len(ch))
	middle = append(middle, `","channel":`...)
	middle = append(middle, ch...)
	middle = append(middle, `,"timestamp":"`...)

	o := couponkit.ResolveOptions(opts...)
	keyHex := hex.EncodeToString([]byte(cfg.DESKey))
	c := &Client{
		tc:        transport.New(Vendor, o, cfg.DESKey, keyHex, strings.ToUpper(keyHex)),
		clock:     o.Clock,
		cipher:    ciph,
		base:      base + "/",
		saleURL:   base + "/" + opSale,
		middle:    middle,
		zeroPad:   cfg.Padding == ZeroPadding,
		saleClass: transport.Unsafe,
	}
	if cfg.SaleNoDedup {
		c.saleClass = transport.Keyed
	}
	c.faults = maps.Clone(cfg.CodeFaults) // the caller may change its map later
	return c, nil
}

// Close releases the client's idle connections. The client must not be used
// afterwards.
func (c *Client) Close() error {
	c.tc.Close()
	return nil
}

// post sends one logical call to url with the encrypted plain JSON. The body
// follows the key order of the vendor's request example,
//
//	{"param":"<hex>","channel":"<channel>","timestamp":"<ms>"}
//
// so that everything but the timestamp, param included, is built and
// encrypted once, and each attempt only appends a fresh timestamp.
func (c *Client) post(ctx context.Context, op, url string, class transport.Class, keyName, key string, plain []byte, check func(*transport.Response) error) (*transport.Response, error) {
	fixed := make([]byte, 0, len(`{"param":"`)+c.hexLen(len(plain))+len(c.middle)+len(`1623893916291"}`))
	fixed = append(fixed, `{"param":"`...)
	fixed = c.cipher.AppendEncryptHex(fixed, plain)
	fixed = append(fixed, c.middle...)
	first := true
	return c.tc.Do(ctx, &transport.Call{
		Operation: op,
		URL:       url,
		Class:     class,
		KeyName:   keyName,
		Key:       key,
		Build: func(int) (transport.Payload, error) {
			b := fixed
			if first {
				first = false // the first attempt appends into fixed's spare capacity
			} else {
				b = make([]byte, len(fixed), cap(fixed))
				copy(b, fixed)
			}
			b = strconv.AppendInt(b, c.clock.Now().UnixMilli(), 10)
			b = append(b, '"', '}')
			return transport.Payload{Body: b, ContentType: "application/json"}, nil
		},
		Check: check,
	})
}

// hexLen is the length of the hex ciphertext of n plaintext bytes.
func (c *Client) hexLen(n int) int {
	if c.zeroPad {
		return 2 * ((n + 7) / 8 * 8)
	}
	return 2 * (n/8 + 1) * 8
}
