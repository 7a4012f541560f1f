// Package houcallertest is an in-memory fake of the Houcaller CRM gateway for
// tests, started like net/http/httptest. It decrypts param with the channel's
// DES key, sells 名牛卡 and issues coupon codes, de-duplicates sales by
// saleNo, keeps the coupons of each member, and injects faults on demand.
//
// The vendor documents no error code but 0, so the fake's error codes
// ([CodeBadRequest] …) are its own choice; the client classifies them all as
// couponkit.FaultUnknown, as it would any undocumented code.
package houcallertest

import (
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/couponkit/couponkit/houcaller"
	"github.com/couponkit/couponkit/internal/fakekit"
	"github.com/couponkit/couponkit/internal/sign"
)

// Defaults of Config.
const (
	// DefaultChannel is the channel of the vendor's request example.
	DefaultChannel = "hkl-test"
	// DefaultDESKey is the fake's DES key for DefaultChannel.
	DefaultDESKey = "hkDes#01"
	// DefaultCardInfoID is the card of the vendor's examples.
	DefaultCardInfoID = "L68F353AD0019"
	// GatewayPath is the path the fake's Gateway ends in.
	GatewayPath = "/htest/openapi/v1"
)

// Card is a 名牛卡 on sale.
type Card struct {
	// InfoID is the card's id (cardInfoId).
	InfoID string
	// ProductID and ProductName name its product (cardProductId, cardProductName).
	ProductID, ProductName string
	// CouponIDs are the coupon items one sale issues: each issues Count codes.
	// Default: the card's InfoID, as in the vendor's response example.
	CouponIDs []string
	// ValidDays is how long a sold card is in force from the sale. Default 365.
	ValidDays int
	// CycleDays and UsesPerCycle are the card's use cycle. Default 30 and 4.
	CycleDays, UsesPerCycle int
}

// DataShape is the shape of a sale's response data.
type DataShape int

const (
	// DataList answers {"list":[{"cpnId":…,"cpnCodes":[…]}]}, the vendor's
	// response example (the default).
	DataList DataShape = iota
	// DataCard answers the member-card record of the vendor's field table.
	DataCard
	// DataBoth answers the record with "list" beside its fields.
	DataBoth
)

// Config configures a fake gateway. The zero value is usable.
type Config struct {
	// Channel is the only channel the gateway knows. Default DefaultChannel.
	Channel string
	// DESKey is the channel's 8-byte key. Default DefaultDESKey.
	DESKey string
	// CipherMode, IV and Padding are the cipher options, as in houcaller.Config.
	CipherMode houcaller.CipherMode
	IV         string
	Padding    houcaller.Padding
	// Cards are the cards on sale. Default: one card, DefaultCardInfoID.
	Cards []Card
	// Shape is the shape of a sale's data. Default DataList.
	Shape DataShape
	// MisspellMsg answers "smg" instead of "msg", as one vendor example does.
	MisspellMsg bool
	// CodeAsString answers code as a JSON string ("0") instead of a number.
	CodeAsString bool
	// Now is the gateway's clock. Default time.Now.
	Now func() time.Time
}

// Server is a running fake gateway. Its methods are safe for concurrent use.
type Server struct {
	// URL is the server's root URL, such as http://127.0.0.1:1234.
	URL string
	// Gateway is the base URL a client uses: URL + GatewayPath.
	Gateway string

	fk     *fakekit.Server
	cfg    Config
	cipher *sign.DESCipher
	cards  map[string]Card
	replay fakekit.Replay

	mu      sync.Mutex
	sales   []Sale
	coupons []Coupon
	seq     int
}

// NewServer starts a fake gateway. It panics when cfg's key or IV has the
// wrong length (the key itself is never printed).
func NewServer(cfg Config) *Server {
	if cfg.Channel == "" {
		cfg.Channel = DefaultChannel
	}
	if cfg.DESKey == "" {
		cfg.DESKey = DefaultDESKey
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if len(cfg.Cards) == 0 {
		cfg.Cards = []Card{{InfoID: DefaultCardInfoID, ProductID: "P68F353AD0001", ProductName: "名牛卡 月享"}}
	}
	mode, pad := sign.DESECB, sign.PKCS5
	if cfg.CipherMode == houcaller.CBC {
		mode = sign.DESCBC
	}
	if cfg.Padding == houcaller.ZeroPadding {
		pad = sign.ZeroPadding
	}
	var iv []byte
	if cfg.IV != "" {
		iv = []byte(cfg.IV)
	}
	ciph, err := sign.NewDES([]byte(cfg.DESKey), mode, iv, pad)
	if err != nil {
		panic("houcallertest: " + err.Error())
	}
	s := &Server{cfg: cfg, cipher: ciph, cards: make(map[string]Card, len(cfg.Cards))}
	for _, c := range cfg.Cards {
		if len(c.CouponIDs) == 0 {
			c.CouponIDs = []string{c.InfoID}
		}
		if c.ValidDays == 0 {
			c.ValidDays = 365
		}
		if c.CycleDays == 0 {
			c.CycleDays = 30
		}
		if c.UsesPerCycle == 0 {
			c.UsesPerCycle = 4
		}
		s.cards[c.InfoID] = c
	}
	s.fk = fakekit.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.fk.URL
	s.Gateway = s.fk.URL + GatewayPath
	return s
}

// Close stops the server, releasing delayed requests, and waits for its
// handlers to return.
func (s *Server) Close() { s.fk.Close() }

// Client returns an http.Client that reaches the server.
func (s *Server) Client() *http.Client { return s.fk.Client() }

// ClientConfig returns a houcaller.Config that talks to this server.
func (s *Server) ClientConfig() houcaller.Config {
	return houcaller.Config{
		Gateway:    s.Gateway,
		Channel:    s.cfg.Channel,
		DESKey:     s.cfg.DESKey,
		CipherMode: s.cfg.CipherMode,
		IV:         s.cfg.IV,
		Padding:    s.cfg.Padding,
	}
}

// Request is a request the server received.
type Request struct {
	// Endpoint is the last path element, such as "sendMncardForSale".
	Endpoint string
	// Body is the request body as received.
	Body []byte
}

// Requests returns the requests received so far, in order.
func (s *Server) Requests() []Request {
	raw := s.fk.Requests()
	out := make([]Request, len(raw))
	for i, r := range raw {
		out[i] = Request{Endpoint: r.Path[strings.LastIndexByte(r.Path, '/')+1:], Body: r.Body}
	}
	return out
}

// RequestCount returns how many requests were received.
func (s *Server) RequestCount() int { return s.fk.RequestCount() }

// Decrypt decrypts a param with the server's key, as the gateway does.
func (s *Server) Decrypt(param string) ([]byte, error) { return s.cipher.DecryptHex(param) }

// FailNext answers the next request with the vendor envelope {code, msg} and
// HTTP 200, without acting on it.
func (s *Server) FailNext(code int, msg string) {
	body := s.envelope(code, msg, nil)
	s.fk.Inject(fakekit.Fault{Respond: func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, http.StatusOK, body) }})
}

// FailNextHTTP answers the next request with an HTTP status (a 5xx, 429 …)
// and a short text body, without acting on it.
func (s *Server) FailNextHTTP(status int) {
	s.fk.Inject(fakekit.Fault{Status: status, Body: []byte(http.StatusText(status))})
}

// DelayNext holds the next request for d before handling it (or until the
// client gives up or the server closes).
func (s *Server) DelayNext(d time.Duration) { s.fk.Inject(fakekit.Fault{Delay: d}) }

// DropNext reads the next request and closes the connection without acting
// on it or answering.
func (s *Server) DropNext() { s.fk.Inject(fakekit.Fault{Drop: true}) }

// DropNextAfterWrite acts on the next request (a sale takes effect) and
// then closes the connection without answering: the client cannot know the
// outcome.
func (s *Server) DropNextAfterWrite() { s.fk.Inject(fakekit.Fault{Drop: true, AfterHandler: true}) }
