// Package houcallertest is a stateful fake of the Houcaller CRM gateway for
// tests. [NewServer] and [Start] listen on a loopback port, like
// net/http/httptest; with Config.InMemory they start no listener and the fake
// is reached in this process through Transport, Client or ClientOption, at
// http://[InMemoryHost]. It
// decrypts param with the channel's DES key, sells 名牛卡 and issues coupon
// codes, de-duplicates sales by saleNo, keeps the coupons of each member
// (listCpnItemByMember, getLastSendCpnItem; UseCoupon redeems one as a till
// would), records consumptions (recordMemberCons, a repeated serialCode
// refused or, with Config.DedupConsumptions, answered as the first), moves
// gifted coupons to the member with the phone number or to a pending gift
// (cpnShiftGift; AddMember registers phones), lists 豪礼卡 and promotions
// (listMemberStcard, listCpnForStcPro; AddStoredValueCard, SetPromotion)
// and a points ledger by month and page (queryMemberScoRecordForShop; every
// consumption recorded adds its record, AddPointsRecord others), and
// injects faults on demand through the control surface every couponkit
// fake shares (couponkittest.Fake).
//
// The vendor documents no error code but 0, so the fake's error codes
// ([CodeBadRequest] …, strings as FailNext takes them) are its own choice;
// the client classifies them all as couponkit.FaultUnknown, as it would any
// undocumented code.
package houcallertest

import (
	"net/http"
	"sync"
	"testing"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/houcaller"
	"github.com/couponkit/couponkit/internal/fakekit"
	"github.com/couponkit/couponkit/internal/sign"
)

// Defaults of Config.
const (
	// DefaultChannel is the channel of the vendor's request example
	// (Config.Channel).
	DefaultChannel = "hkl-test"
	// DefaultDESKey is the fake's 8-byte DES key for DefaultChannel
	// (Config.DESKey), used as is. It is a test value, not a secret.
	DefaultDESKey = "hkDes#01"
	// DefaultCardInfoID is the card of the vendor's examples, the one card on
	// sale when Config.Cards is empty.
	DefaultCardInfoID = "L68F353AD0019"
)

// GatewayPath is the path of the fake's gateway below its URL, as on the
// vendor's test gateway: [Server.Gateway] is URL() + GatewayPath, and an
// endpoint is reached at Gateway() + "/" + endpoint.
const GatewayPath = "/htest/openapi/v1"

// InMemoryHost is the host of the URL of a fake started with
// Config.InMemory: its URL is "http://" + InMemoryHost. The name is under
// .invalid (RFC 2606), so a request that misses the in-memory transport
// fails to resolve instead of reaching a real host.
const InMemoryHost = "houcaller.fake.invalid"

// Request is a request the fake received, as its request log keeps it;
// Request.API is the endpoint, such as "sendMncardForSale".
type Request = couponkittest.Request

// Card is a 名牛卡 on sale.
type Card struct {
	// InfoID is the card's id (cardInfoId).
	InfoID string
	// ProductID and ProductName name its product (cardProductId, cardProductName).
	ProductID, ProductName string
	// CouponIDs are the coupon items one sale issues: each issues Count codes.
	// Default: the card's InfoID, as in the vendor's response example.
	CouponIDs []string
	// CouponName is the name of the coupons issued. Default "名牛卡专享券".
	CouponName string
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
	// CipherMode is the DES mode, as houcaller.Config.CipherMode. Default ECB.
	CipherMode houcaller.CipherMode
	// IV is the 8-byte CBC initialisation vector, as houcaller.Config.IV;
	// empty in ECB mode.
	IV string
	// Padding is the plaintext padding, as houcaller.Config.Padding. Default
	// PKCS5.
	Padding houcaller.Padding
	// Cards are the cards on sale. Default: one card, DefaultCardInfoID.
	Cards []Card
	// Shape is the shape of a sale's data. Default DataList.
	Shape DataShape
	// MisspellMsg answers "smg" instead of "msg", as one vendor example does.
	MisspellMsg bool
	// CodeAsString answers code as a JSON string ("0") instead of a number.
	CodeAsString bool
	// DedupConsumptions answers a consumption whose serialCode was recorded
	// before with the first record's answer, as a de-duplicating gateway
	// would (pair it with houcaller.Config.SerialCodeDedup). By default a
	// repeat is refused with CodeDuplicateSerial and not recorded: the
	// vendor calls serialCode unique without saying what a repeat does.
	DedupConsumptions bool
	// MonthLayout is the Go layout the points ledger reads month with, as
	// houcaller.Config.MonthLayout. Default houcaller.DefaultMonthLayout.
	MonthLayout string
	// PointsMaxPageSize caps the records of a points-ledger page below the
	// page.limit asked for, as a gateway with a largest page would; 0 means
	// no cap.
	PointsMaxPageSize int
	// Clock is the gateway's clock: it dates member-card records and times
	// DelayNext. Give the client the same one (couponkit.WithClock), such as
	// a couponkittest.Clock, to run without real waits. Default
	// couponkit.SystemClock.
	Clock couponkit.Clock
	// InMemory starts no listener: the fake is reached only in this process,
	// through Transport, Client or ClientOption, at http://[InMemoryHost].
	// By default the fake listens on a loopback port.
	InMemory bool
}

// Server is a running fake gateway. Its methods are safe for concurrent use.
//
// Server embeds [couponkittest.Controls], the shared controls of every couponkit fake (see couponkittest.Fake): FailNext, FailNextHTTP, ThrottleNext, DelayNext, DropNext, DropNextAfterWrite, Inject, Requests, RequestCount, WaitRequests, URL, Transport, Client and Close.
//
// Beside them it has ClientOption (the couponkit.Option that sends a
// client's requests through Transport, needed with Config.InMemory) and
// Clock (Config.Clock). Request.API is the endpoint, such as
// "sendMncardForSale".
//
// On the wire, FailNext(code, message) answers {"code": code, "msg":
// message} with HTTP 200, code as a JSON number when it holds an integer
// (unless Config.CodeAsString), such as the fake's own [CodeCardNotFound].
// ThrottleNext answers HTTP 429 with Retry-After in whole seconds, rounded
// up (the vendor's throttle answer is not published). DelayNext waits on
// Config.Clock.
type Server struct {
	*couponkittest.Controls

	cfg    Config
	cipher *sign.DESCipher
	cards  map[string]Card
	routes *fakekit.Routes[handler]
	replay fakekit.Replay

	mu           sync.Mutex
	sales        []Sale
	coupons      []Coupon
	consumptions []Consumption
	seq          int

	members      []Member
	gifts        []GiftRecord
	storedCards  []storedCard
	promotions   map[[2]string][]houcaller.PromotionCoupon
	points       []pointsEntry
	ignoreOffset int // points-ledger requests to answer from offset 0
	// lookups are the answers of the reads served from a table (lookup.go).
	lookups fakekit.Lookups[any]
}

var _ couponkittest.Fake = (*Server)(nil)

// NewServer starts a fake gateway on a loopback port, or without a listener
// with cfg.InMemory. Close it when done. It panics when cfg's key or IV has
// the wrong length (the key itself is never printed).
func NewServer(cfg Config) *Server {
	if cfg.Channel == "" {
		cfg.Channel = DefaultChannel
	}
	if cfg.DESKey == "" {
		cfg.DESKey = DefaultDESKey
	}
	if cfg.Clock == nil {
		cfg.Clock = couponkit.SystemClock{}
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
	s := &Server{cfg: cfg, cipher: ciph, cards: make(map[string]Card, len(cfg.Cards)), routes: newRoutes(cfg)}
	for _, c := range cfg.Cards {
		if len(c.CouponIDs) == 0 {
			c.CouponIDs = []string{c.InfoID}
		}
		if c.CouponName == "" {
			c.CouponName = "名牛卡专享券"
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
	s.Controls = fakekit.New(http.HandlerFunc(s.serve), fakekit.Options{
		Fail: func(code, message string) http.HandlerFunc {
			body := s.envelope(code, message, nil)
			return func(w http.ResponseWriter, _ *http.Request) { writeJSON(w, http.StatusOK, body) }
		},
		API:      s.routes.PathAPI,
		Clock:    cfg.Clock,
		InMemory: cfg.InMemory,
		Host:     InMemoryHost,
	})
	return s
}

// Start starts a fake gateway, as NewServer does, that closes when tb's test
// ends (tb.Cleanup).
func Start(tb testing.TB, cfg Config) *Server {
	tb.Helper()
	s := NewServer(cfg)
	tb.Cleanup(s.Close)
	return s
}

// Gateway returns the base URL a client uses as houcaller.Config.Gateway:
// URL() + [GatewayPath].
func (s *Server) Gateway() string { return s.URL() + GatewayPath }

// ClientConfig returns a houcaller.Config that talks to this server: its
// Gateway, channel, key and cipher options. With Config.InMemory, give the
// client ClientOption() too.
func (s *Server) ClientConfig() houcaller.Config {
	return houcaller.Config{
		Gateway:    s.Gateway(),
		Channel:    s.cfg.Channel,
		DESKey:     s.cfg.DESKey,
		CipherMode: s.cfg.CipherMode,
		IV:         s.cfg.IV,
		Padding:    s.cfg.Padding,
	}
}

// Decrypt decrypts a param (upper- or lower-case hex) with the server's key
// and cipher options, as the gateway does, and returns the business JSON.
func (s *Server) Decrypt(param string) ([]byte, error) { return s.cipher.DecryptHex(param) }
