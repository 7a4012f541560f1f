package houcaller_test

import (
	"bytes"
	"context"
	"crypto/cipher"
	"crypto/des"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-resty/resty/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/houcaller"
	"github.com/couponkit/couponkit/houcaller/houcallertest"
	"github.com/couponkit/couponkit/internal/benchkit"
)

// The benchmarks pair one typed call through the SDK with the same request
// written by hand (vs=handwritten: net/http, encoding/json, crypto/des and
// encoding/hex, nothing from couponkit's internal packages) and with the hand
// side's bytes sent through bare resty configured as the SDK configures it
// (vs=resty), interleaved in one loop (benchkit.Paired). net=loopback goes
// through a local server, net=memory through an in-memory RoundTripper (the
// client's own cost). Answers are captured from the fake, so they are the
// shapes the SDK really reads, and are served fixed-length, chunked and
// gzip-encoded.

const benchChannel = "hkl-test"

// hand is a Houcaller client as a competent developer outside the project
// would write it with the standard library: DES/ECB/PKCS5 by hand, upper-case
// hex, encoding/json, net/http with the SDK's headers and per-request timeout.
type hand struct {
	block   cipher.Block
	gateway string
	hc      *http.Client
	now     func() time.Time
}

func newHand(tb testing.TB, gateway string, rt http.RoundTripper, now func() time.Time) *hand {
	block, err := des.NewCipher([]byte(houcallertest.DefaultDESKey))
	if err != nil {
		tb.Fatal(err)
	}
	hc := benchkit.HTTPClient(tb, rt)
	return &hand{block: block, gateway: gateway, hc: hc, now: now}
}

// encrypt is DES/ECB/PKCS5 in upper-case hex.
func (h *hand) encrypt(plain []byte) string {
	n := 8 - len(plain)%8
	buf := make([]byte, len(plain)+n)
	copy(buf, plain)
	for i := len(plain); i < len(buf); i++ {
		buf[i] = byte(n)
	}
	for i := 0; i < len(buf); i += 8 {
		h.block.Encrypt(buf[i:i+8], buf[i:i+8])
	}
	return strings.ToUpper(hex.EncodeToString(buf))
}

// body is the request body for the business parameters p, in the key order
// of the vendor's request example.
func (h *hand) body(p any) ([]byte, error) {
	plain, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	return json.Marshal(struct {
		Param     string `json:"param"`
		Channel   string `json:"channel"`
		Timestamp string `json:"timestamp"`
	}{h.encrypt(plain), benchChannel, strconv.FormatInt(h.now().UnixMilli(), 10)})
}

// handSale is the sale's param, in the field order of the vendor's example.
type handSale struct {
	CardInfoID  string `json:"cardInfoId"`
	SaleTime    string `json:"saleTime"`
	SaleUser    string `json:"saleUser,omitempty"`
	Num         string `json:"num"`
	SaleOrgCode string `json:"saleOrgCode,omitempty"`
	PayAmt      string `json:"payAmt"`
	SaleNo      string `json:"saleNo"`
	MemberID    string `json:"memberId"`
}

var beijing = time.FixedZone("CST", 8*3600)

func handSaleOf(r *houcaller.SellCardRequest) handSale {
	return handSale{
		CardInfoID: r.CardInfoID, SaleTime: r.SaleTime.In(beijing).Format("2006-01-02 15:04:05"),
		SaleUser: r.SaleUser, Num: strconv.Itoa(r.Count), SaleOrgCode: r.SaleOrgCode,
		PayAmt: fmt.Sprintf("%d.%02d", r.PayAmount/100, r.PayAmount%100), SaleNo: r.SaleNo, MemberID: r.MemberID,
	}
}

// handSaleAnswer is what the hand-written client reads of a sale: the coupon
// list, and the member card when the gateway sends one.
type handSaleAnswer struct {
	Code int    `json:"code"`
	Msg  string `json:"msg"`
	Data struct {
		List []struct {
			CpnID    string   `json:"cpnId"`
			CpnCodes []string `json:"cpnCodes"`
		} `json:"list"`
		ID             string          `json:"id"`
		CardInfoID     string          `json:"cardInfoId"`
		MemberID       string          `json:"memberId"`
		Status         string          `json:"status"`
		SaleNo         string          `json:"saleNo"`
		SaleOrgCode    string          `json:"saleOrgCode"`
		SaleUser       string          `json:"saleUser"`
		SaleChannel    string          `json:"saleChannel"`
		PayAmt         json.Number     `json:"payAmt"`
		SaleTime       int64           `json:"saleTime"`
		BeginTime      int64           `json:"beginTime"`
		EndTime        int64           `json:"endTime"`
		CreateTime     int64           `json:"createTime"`
		CreateUser     string          `json:"createUser"`
		LockVersion    int64           `json:"lockVersion"`
		MemberUsedList []handCardUsage `json:"memberUsedList"`
	} `json:"data"`
}

type handCardUsage struct {
	ID              string `json:"id"`
	MemberCardID    string `json:"memberCardId"`
	MemberID        string `json:"memberId"`
	CardProductID   string `json:"cardProductId"`
	CardProductName string `json:"cardProductName"`
	Status          string `json:"status"`
	SaleOrgCode     string `json:"saleOrgCode"`
	PosID           string `json:"posid"`
	SaleUser        string `json:"saleUser"`
	CycleDays       int    `json:"cycleDays"`
	CycleNum        int    `json:"cycleNum"`
	LastCycle       int    `json:"lastCycle"`
	LastCycleUsed   int    `json:"lastCycleUsed"`
	TotalUsedNum    int    `json:"totalUsedNum"`
	HasUsedNum      int    `json:"hasUsedNum"`
	BeginTime       int64  `json:"beginTime"`
	EndTime         int64  `json:"endTime"`
	CreateTime      int64  `json:"createTime"`
	CreateUser      string `json:"createUser"`
	LockVersion     int64  `json:"lockVersion"`
}

// post sends body to endpoint and decodes the answer into out, whose code
// must be 0.
func (h *hand) post(ctx context.Context, endpoint string, body []byte, out interface{ code() int }) error {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.gateway+"/"+endpoint, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", couponkit.DefaultUserAgent)
	resp, err := h.hc.Do(req)
	if err != nil {
		return err
	}
	got, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	if err := json.Unmarshal(got, out); err != nil {
		return err
	}
	if c := out.code(); c != 0 {
		return fmt.Errorf("code %d", c)
	}
	return nil
}

func (a *handSaleAnswer) code() int { return a.Code }

// bare sends the hand side's bytes through resty configured as the SDK
// configures it, and decodes the answer as the hand side does.
type bare struct {
	rc      *resty.Client
	gateway string
}

func newBare(tb testing.TB, gateway string, rt http.RoundTripper) *bare {
	hc := benchkit.HTTPClient(tb, rt)
	rc := resty.NewWithClient(hc).SetDoNotParseResponse(true).
		SetHeader("User-Agent", couponkit.DefaultUserAgent).SetHeader("Accept", "application/json")
	return &bare{rc: rc, gateway: gateway}
}

func (b *bare) post(ctx context.Context, endpoint string, body []byte, out interface{ code() int }) error {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	r, err := b.rc.R().SetContext(ctx).SetHeader("Content-Type", "application/json").SetBody(bytes.NewReader(body)).Post(b.gateway + "/" + endpoint)
	if err != nil {
		return err
	}
	raw := r.RawBody()
	got, err := io.ReadAll(raw)
	raw.Close()
	if err != nil {
		return err
	}
	if err := json.Unmarshal(got, out); err != nil {
		return err
	}
	if c := out.code(); c != 0 {
		return fmt.Errorf("code %d", c)
	}
	return nil
}

// capture records the bodies of the answers that pass through it.
type capture struct {
	rt     http.RoundTripper
	mu     sync.Mutex
	bodies [][]byte
}

func (c *capture) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := c.rt.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.bodies = append(c.bodies, b)
	c.mu.Unlock()
	resp.Body = io.NopCloser(bytes.NewReader(b))
	resp.ContentLength = int64(len(b))
	return resp, nil
}

// captureAnswer runs do against a fake configured by fcfg (prepared by
// prepare) and returns the body of the last answer it received.
func captureAnswer(tb testing.TB, fcfg houcallertest.Config, prepare func(*houcallertest.Server), do func(*houcaller.Client) error) []byte {
	tb.Helper()
	fcfg.InMemory = true
	srv := houcallertest.NewServer(fcfg)
	defer srv.Close()
	if prepare != nil {
		prepare(srv)
	}
	rec := &capture{rt: srv.Transport()}
	c, err := houcaller.NewClient(srv.ClientConfig(), couponkit.WithTransport(rec))
	if err != nil {
		tb.Fatal(err)
	}
	defer c.Close()
	if err := do(c); err != nil {
		tb.Fatal(err)
	}
	return rec.bodies[len(rec.bodies)-1]
}

// saleAnswers are the answers to the example sale: the coupon list of the
// vendor's response example (data=list) and the member-card record of its
// field table beside the list (data=card).
func saleAnswers(tb testing.TB) map[string][]byte {
	sell := func(c *houcaller.Client) error {
		_, err := c.SellCard(context.Background(), exampleSale())
		return err
	}
	return map[string][]byte{
		"list": captureAnswer(tb, houcallertest.Config{}, nil, sell),
		"card": captureAnswer(tb, houcallertest.Config{Shape: houcallertest.DataBoth}, nil, sell),
	}
}

const benchGatewayPath = "/htest/openapi/v1"

// saleSides returns the SDK sale, the hand-written sale and the bare resty
// sale against rt (nil: the network) at base.
func saleSides(tb testing.TB, rt http.RoundTripper, base string, withCard bool) (sdk, handFn, bareFn func() error) {
	gateway := base + benchGatewayPath
	var opts []couponkit.Option
	if rt != nil {
		opts = append(opts, couponkit.WithTransport(rt))
	}
	c, err := houcaller.NewClient(houcaller.Config{Gateway: gateway, Channel: benchChannel, DESKey: houcallertest.DefaultDESKey}, opts...)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = c.Close() })
	ctx := context.Background()
	sale := exampleSale()
	check := func(coupons, codes int, card bool) error {
		if coupons != 1 || codes != 3 || card != withCard {
			return errors.New("unexpected sale result")
		}
		return nil
	}
	sdk = func() error {
		res, err := c.SellCard(ctx, sale)
		if err != nil {
			return err
		}
		return check(len(res.Coupons), len(res.Coupons[0].Codes), res.Card != nil && len(res.Card.Products) == 1)
	}
	h := newHand(tb, gateway, rt, time.Now)
	b := newBare(tb, gateway, rt)
	run := func(post func(context.Context, string, []byte, interface{ code() int }) error) func() error {
		return func() error {
			body, err := h.body(handSaleOf(sale))
			if err != nil {
				return err
			}
			var out handSaleAnswer
			if err := post(ctx, houcaller.EndpointSellCard, body, &out); err != nil {
				return err
			}
			if len(out.Data.List) == 0 {
				return errors.New("no coupon")
			}
			return check(len(out.Data.List), len(out.Data.List[0].CpnCodes), out.Data.ID != "" && len(out.Data.MemberUsedList) == 1)
		}
	}
	return sdk, run(h.post), run(b.post)
}

// BenchmarkSellCard pairs one sale through the SDK with the same sale written
// by hand and sent through bare resty; see benchkit.Paired for the metrics.
// data=list answers the vendor's response example (three codes), data=card
// the member-card record beside it.
func BenchmarkSellCard(b *testing.B) {
	answers := saleAnswers(b)
	for _, data := range []string{"list", "card"} {
		answer := answers[data]
		benchkit.Matrix(b, answer, "", "", "data="+data, func(rt http.RoundTripper, base string) (sdk, hand, bare func() error) {
			return saleSides(b, rt, base, data == "card")
		})
	}
}

// BenchmarkSellCardParallel is the SDK's sale throughput with concurrent
// callers on the in-memory transport.
func BenchmarkSellCardParallel(b *testing.B) {
	answer := saleAnswers(b)["list"]
	sdk, _, _ := saleSides(b, benchkit.NewRoundTripper(answer, benchkit.Fixed), benchkit.MemoryURL, false)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := sdk(); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// TestHandWrittenSaleSendsTheSDKsBytes checks that both sides of the
// benchmark send the same request: the hand-written body, built with the
// standard library alone, equals the SDK's byte for byte at the same time.
func TestHandWrittenSaleSendsTheSDKsBytes(t *testing.T) {
	t.Parallel()
	c, mt, clk := mockClient(t, houcaller.Config{DESKey: houcallertest.DefaultDESKey})
	var rec recorder
	mt.RegisterResponder(http.MethodPost, saleURL, rec.responder(200, listAnswer))
	_, err := c.SellCard(context.Background(), exampleSale())
	require.NoError(t, err)
	h := newHand(t, mockGateway, nil, clk.Now)
	want, err := h.body(handSaleOf(exampleSale()))
	require.NoError(t, err)
	require.Len(t, rec.bodies, 1)
	assert.Equal(t, string(want), rec.bodies[0])
}

// handCoupons is what the hand-written client reads of listCpnItemByMember.
type handCoupons struct {
	Code int    `json:"code"`
	Msg  string `json:"msg"`
	Data struct {
		List []struct {
			ID        string `json:"id"`
			Cpnid     string `json:"cpnid"`
			CpnCode   string `json:"cpnCode"`
			CpnName   string `json:"cpnName"`
			CpnType   string `json:"cpnType"`
			Status    int    `json:"status"`
			Mmbid     string `json:"mmbid"`
			Openid    string `json:"openid"`
			BegDate   string `json:"begDate"`
			EndDate   string `json:"endDate"`
			UseTime   string `json:"useTime"`
			SellScene string `json:"sellScene"`
			PicURL    string `json:"picUrl"`
			Content   string `json:"content"`
		} `json:"list"`
	} `json:"data"`
}

func (a *handCoupons) code() int { return a.Code }

// couponSizes are the numbers of coupons in the member's list.
var couponSizes = []int{1, 10, 100}

// couponAnswers are the fake's answers listing n coupons of the member, for
// each n of couponSizes.
func couponAnswers(tb testing.TB) map[int][]byte {
	out := make(map[int][]byte, len(couponSizes))
	for _, n := range couponSizes {
		out[n] = captureAnswer(tb, houcallertest.Config{}, nil, func(c *houcaller.Client) error {
			sale := exampleSale()
			sale.Count = n
			if _, err := c.SellCard(context.Background(), sale); err != nil {
				return err
			}
			_, err := c.MemberCoupons(context.Background(), &houcaller.MemberCouponsRequest{MemberID: sale.MemberID})
			return err
		})
	}
	return out
}

// couponSides returns the SDK listing, the hand-written one and the bare
// resty one of n coupons against rt (nil: the network) at base.
func couponSides(tb testing.TB, rt http.RoundTripper, base string, n int) (sdk, handFn, bareFn func() error) {
	gateway := base + benchGatewayPath
	var opts []couponkit.Option
	if rt != nil {
		opts = append(opts, couponkit.WithTransport(rt))
	}
	c, err := houcaller.NewClient(houcaller.Config{Gateway: gateway, Channel: benchChannel, DESKey: houcallertest.DefaultDESKey}, opts...)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = c.Close() })
	ctx := context.Background()
	const member = "L38E1ASJP00Q4"
	sdk = func() error {
		res, err := c.MemberCoupons(ctx, &houcaller.MemberCouponsRequest{MemberID: member})
		if err != nil {
			return err
		}
		if len(res.Coupons) != n {
			return errors.New("unexpected coupon count")
		}
		return nil
	}
	h := newHand(tb, gateway, rt, time.Now)
	b := newBare(tb, gateway, rt)
	run := func(post func(context.Context, string, []byte, interface{ code() int }) error) func() error {
		return func() error {
			body, err := h.body(struct {
				MemberID string `json:"memberId"`
			}{member})
			if err != nil {
				return err
			}
			var out handCoupons
			if err := post(ctx, houcaller.EndpointListCouponsByMember, body, &out); err != nil {
				return err
			}
			if len(out.Data.List) != n {
				return errors.New("unexpected coupon count")
			}
			return nil
		}
	}
	return sdk, run(h.post), run(b.post)
}

// BenchmarkMemberCoupons pairs one listing of a member's coupons through the
// SDK with the same listing written by hand and sent through bare resty, for
// lists of 1, 10 and 100 coupons.
func BenchmarkMemberCoupons(b *testing.B) {
	answers := couponAnswers(b)
	for _, n := range couponSizes {
		answer := answers[n]
		benchkit.Matrix(b, answer, "", "", fmt.Sprintf("coupons=%d", n), func(rt http.RoundTripper, base string) (sdk, hand, bare func() error) {
			return couponSides(b, rt, base, n)
		})
	}
}
