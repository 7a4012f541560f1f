package zvcms_test

// The benchmarks of this file pair one call through the client with the same
// request written by hand, as a developer outside this project would write
// it with the standard library only (net/http, encoding/json, crypto/hmac,
// crypto/sha1, encoding/base64): build the body, compute the token, post it
// with the same headers and per-attempt timeout, read the answer, check
// status and code, and decode the coupons into plain structs whose fields
// are spelled as the vendor's page sends them (every value a string), then
// into the same typed values the client returns. Nothing here comes from
// couponkit's internal packages but benchkit (the pairing and the canned
// answers); TestHandwrittenSendsTheSDKRequest checks that both sides send
// the same bytes and read the same coupons. See benchkit.Paired for the
// metrics.

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/benchkit"
	"github.com/couponkit/couponkit/zvcms"
	"github.com/couponkit/couponkit/zvcms/zvcmstest"
)

const (
	benchOpenID    = zvcmstest.DefaultOpenID
	benchOpenKey   = "bench-open-key"
	benchGrantCode = zvcmstest.DefaultGrantCode
	benchCustomer  = zvcmstest.DefaultCustomerID
	benchURL       = benchkit.MemoryURL
	benchBizID     = "5f1c0e2a9b7d4c3e8a6f1b2c3d4e5f60"
)

// benchListSizes are the numbers of coupons in the benchmarked answers.
var benchListSizes = []int{1, 20, 200}

// benchStart is the instant the canned answers are dated from.
var benchStart = time.Date(2019, 10, 15, 9, 10, 28, 0, time.UTC)

// couponsBody is a real getCustomerCoupons answer with n unused coupons,
// rendered by the fake in the vendor page's spelling.
func couponsBody(tb testing.TB, n int) []byte {
	tb.Helper()
	srv := zvcmstest.NewServer(zvcmstest.Config{InMemory: true, OpenKey: benchOpenKey, Clock: fixedClock(benchStart)})
	defer srv.Close()
	titles := []string{"满50减10", "免配送费", "停车2小时", "第二杯半价"}
	for i := range n {
		srv.AddCoupon(zvcms.Coupon{Title: titles[i%len(titles)], Type: zvcms.CouponTypes()[i%8], TemplateID: int64(895 + i%7),
			BeginAt: benchStart.AddDate(0, 0, -1), EndAt: benchStart.AddDate(0, 1, i%30), Extra: ""})
	}
	c, err := zvcms.NewClient(srv.ClientConfig(), srv.ClientOption(), couponkit.WithClock(fixedClock(benchStart)))
	if err != nil {
		tb.Fatal(err)
	}
	defer c.Close()
	got, err := c.GetCustomerCoupons(context.Background(), benchQuery())
	if err != nil || len(got.Coupons) != n {
		tb.Fatal("no coupons", err)
	}
	return got.Meta.Raw
}

// writeOffBody is a real writeOffCoupon answer of the fake.
func writeOffBody(tb testing.TB) []byte {
	tb.Helper()
	srv := zvcmstest.NewServer(zvcmstest.Config{InMemory: true, OpenKey: benchOpenKey, Clock: fixedClock(benchStart)})
	defer srv.Close()
	cp := srv.AddCoupon(zvcms.Coupon{Title: "满50减10", TemplateID: 895})
	c, err := zvcms.NewClient(srv.ClientConfig(), srv.ClientOption(), couponkit.WithClock(fixedClock(benchStart)))
	if err != nil {
		tb.Fatal(err)
	}
	defer c.Close()
	req := benchWriteOff()
	req.CardIDs = []string{cp.CardID}
	got, err := c.WriteOffCoupon(context.Background(), req)
	if err != nil {
		tb.Fatal(err)
	}
	return got.Meta.Raw
}

// fixedClock is a couponkit.Clock that stays at one instant.
type fixedClock time.Time

func (c fixedClock) Now() time.Time { return time.Time(c) }
func (c fixedClock) Sleep(ctx context.Context, _ time.Duration) error {
	return ctx.Err()
}

func benchQuery() *zvcms.CustomerCouponsRequest {
	return &zvcms.CustomerCouponsRequest{CustomerID: benchCustomer, UseStatus: zvcms.UseStatusUnused.Ptr()}
}

func benchWriteOff() *zvcms.WriteOffRequest {
	return &zvcms.WriteOffRequest{BizID: benchBizID, Channel: zvcmstest.DefaultChannel, CustomerID: benchCustomer,
		CardIDs: []string{"390913445498200001"}, Ext: zvcms.WriteOffExt{ChannelType: "pos", OrderNo: "ORDER-20191015-0001"},
		OrderAmount: 5800, Amount: 1000}
}

// hwToken is the token written with the standard library: Base64 of
// HMAC-SHA1 keyed by the openKey over the sorted credentials, URL-escaped.
func hwToken(openKey, openID, grantCode, ts, nonce string) string {
	m := hmac.New(sha1.New, []byte(openKey))
	io.WriteString(m, "grantCode="+grantCode+"&nonce="+nonce+"&openId="+openID+"&timestamp="+ts)
	return url.QueryEscape(base64.StdEncoding.EncodeToString(m.Sum(nil)))
}

// hwBody is the request envelope as a developer would declare it.
type hwBody struct {
	OpenID    string `json:"openId"`
	GrantCode string `json:"grantCode"`
	Timestamp string `json:"timestamp"`
	Nonce     string `json:"nonce"`
	Token     string `json:"token"`
	Params    any    `json:"params"`
}

type hwQueryParams struct {
	CustomerID string `json:"customerId"`
	UseStatus  *int   `json:"useStatus,omitempty"`
	CardID     string `json:"cardId,omitempty"`
}

type hwWriteOffExt struct {
	ChannelType string `json:"channelType,omitempty"`
	OrderNo     string `json:"orderNo,omitempty"`
}

type hwWriteOffParams struct {
	BizID           string        `json:"bizId"`
	Channel         string        `json:"channel"`
	CustomerID      json.Number   `json:"customerId"` // an int on the page
	CouponsCardList []string      `json:"couponsCardList"`
	Ext             hwWriteOffExt `json:"ext"`
	OrderAmount     int64         `json:"orderAmount"`
	Amount          int64         `json:"amount"`
}

// hwCoupon is a coupon as the vendor's page shows it: every value a string.
type hwCoupon struct {
	BeginAt    string `json:"beginAt"`
	CardID     string `json:"cardId"`
	Channel    string `json:"channel"`
	CouponID   string `json:"couponId"`
	CouponType string `json:"couponType"`
	CreatedAt  string `json:"createdAt"`
	CustomerID string `json:"customerId"`
	Title      string `json:"title"`
	UpdatedAt  string `json:"updatedAt"`
	UseStatus  string `json:"useStatus"`
	TemplateID string `json:"templateId"`
	EndAt      string `json:"endAt"`
	Extra      string `json:"extra"`
}

// hwCouponsResponse is getCustomerCoupons' answer as a developer would declare it.
type hwCouponsResponse struct {
	Status  string     `json:"status"`
	Code    string     `json:"code"`
	Message string     `json:"message"`
	Data    []hwCoupon `json:"data"`
}

type hwWriteOffResponse struct {
	Status  string          `json:"status"`
	Code    string          `json:"code"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data"`
}

// hwWriteOffData is the write-off's data: the vendor's bizId, which a
// reversal needs, and the redeemed codes.
type hwWriteOffData struct {
	BizID      json.Number `json:"bizId"`
	CardIDList []string    `json:"cardIdList"`
}

// cst is Beijing time, the vendor's zone.
var cst = time.FixedZone("CST", 8*3600)

// hwClient is the hand-written client: post sends one JSON body and returns
// the answer's bytes (net/http or resty underneath).
type hwClient struct {
	url   string
	now   func() time.Time
	nonce func() string
	post  func(ctx context.Context, url string, body []byte) ([]byte, error)
}

func newHWClient(hc *http.Client, gateway string) *hwClient {
	return &hwClient{url: gateway, now: time.Now, nonce: hwNonce, post: func(ctx context.Context, url string, body []byte) ([]byte, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json")
		req.Header.Set("User-Agent", couponkit.DefaultUserAgent)
		resp, err := hc.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("HTTP %d", resp.StatusCode)
		}
		return io.ReadAll(resp.Body)
	}}
}

func newRestyClient(hc *http.Client, gateway string) *hwClient {
	rc := resty.NewWithClient(hc).SetHeader("User-Agent", couponkit.DefaultUserAgent).SetHeader("Accept", "application/json")
	return &hwClient{url: gateway, now: time.Now, nonce: hwNonce, post: func(ctx context.Context, url string, body []byte) ([]byte, error) {
		r, err := rc.R().SetContext(ctx).SetHeader("Content-Type", "application/json").SetBody(body).Post(url)
		if err != nil {
			return nil, err
		}
		if r.StatusCode() != http.StatusOK {
			return nil, fmt.Errorf("HTTP %d", r.StatusCode())
		}
		return r.Body(), nil
	}}
}

func hwNonce() string { return strconv.FormatInt(rand.Int64N(1<<31-1)+1, 10) }

// send posts params to api under a 15 s timeout and returns the answer.
func (h *hwClient) send(ctx context.Context, api string, params any) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	ts := strconv.FormatInt(h.now().Unix(), 10)
	nonce := h.nonce()
	body, err := json.Marshal(hwBody{OpenID: benchOpenID, GrantCode: benchGrantCode, Timestamp: ts, Nonce: nonce,
		Token: hwToken(benchOpenKey, benchOpenID, benchGrantCode, ts, nonce), Params: params})
	if err != nil {
		return nil, err
	}
	return h.post(ctx, h.url+"/v3/crm/coupon/"+api, body)
}

// coupons asks for a customer's unused coupons and decodes them.
func (h *hwClient) coupons(ctx context.Context) ([]zvcms.Coupon, error) {
	unused := 0
	raw, err := h.send(ctx, "getCustomerCoupons", hwQueryParams{CustomerID: benchCustomer, UseStatus: &unused})
	if err != nil {
		return nil, err
	}
	var r hwCouponsResponse
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, err
	}
	if r.Status != "true" || r.Code != "0" {
		return nil, errors.New("zvcms error " + r.Code + ": " + r.Message)
	}
	out := make([]zvcms.Coupon, len(r.Data))
	for i := range r.Data {
		w, c := &r.Data[i], &out[i]
		c.CardID, c.CouponID, c.CustomerID, c.Channel, c.Title, c.Extra = w.CardID, w.CouponID, w.CustomerID, w.Channel, w.Title, w.Extra
		t, err := strconv.Atoi(w.CouponType)
		if err != nil {
			return nil, err
		}
		s, err := strconv.Atoi(w.UseStatus)
		if err != nil {
			return nil, err
		}
		c.Type, c.UseStatus = zvcms.CouponType(t), zvcms.UseStatus(s)
		if c.TemplateID, err = strconv.ParseInt(w.TemplateID, 10, 64); err != nil {
			return nil, err
		}
		for _, f := range [...]struct {
			in  string
			out *time.Time
		}{{w.BeginAt, &c.BeginAt}, {w.EndAt, &c.EndAt}, {w.CreatedAt, &c.CreatedAt}, {w.UpdatedAt, &c.UpdatedAt}} {
			if *f.out, err = time.ParseInLocation(time.DateTime, f.in, cst); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// writeOff redeems the benchmark's coupon.
func (h *hwClient) writeOff(ctx context.Context) (json.RawMessage, error) {
	r := benchWriteOff()
	raw, err := h.send(ctx, "writeOffCoupon", hwWriteOffParams{BizID: r.BizID, Channel: r.Channel, CustomerID: json.Number(r.CustomerID),
		CouponsCardList: r.CardIDs, Ext: hwWriteOffExt{ChannelType: r.Ext.ChannelType, OrderNo: r.Ext.OrderNo},
		OrderAmount: int64(r.OrderAmount), Amount: int64(r.Amount)})
	if err != nil {
		return nil, err
	}
	var resp hwWriteOffResponse
	if err := json.Unmarshal(raw, &resp); err != nil {
		return nil, err
	}
	if resp.Status != "true" || resp.Code != "0" {
		return nil, errors.New("zvcms error " + resp.Code + ": " + resp.Message)
	}
	var d hwWriteOffData
	if err := json.Unmarshal(resp.Data, &d); err != nil || d.BizID == "" {
		return nil, errors.New("zvcms: no bizId in the answer")
	}
	return resp.Data, nil
}

// benchClient returns the SDK client against rt (nil: the network) and
// gateway, and the hand-written and resty clients on the same transport.
func benchClient(tb testing.TB, rt http.RoundTripper, gateway string, opts ...couponkit.Option) (c *zvcms.Client, hand, rst *hwClient) {
	tb.Helper()
	if rt != nil {
		opts = append(opts, couponkit.WithTransport(rt))
	}
	c, err := zvcms.NewClient(zvcms.Config{Gateway: gateway, OpenID: benchOpenID, OpenKey: benchOpenKey, GrantCode: benchGrantCode}, opts...)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = c.Close() })
	hc := benchkit.HTTPClient(tb, rt)
	return c, newHWClient(hc, gateway), newRestyClient(hc, gateway)
}

// benchCase is one benchmarked call: its canned answer and, for a client,
// the SDK side and the hand-written side. sdkCoupons and handCoupons, when
// set, return what each side decoded last, for the cross-check.
type benchCase struct {
	name   string
	answer []byte
	sdk    func(c *zvcms.Client) func() error
	hand   func(h *hwClient) func() error
	// decoded runs each side once and returns what it decoded.
	decoded func(c *zvcms.Client, h *hwClient) (sdk, hand any, err error)
}

func couponsCase(tb testing.TB, n int) benchCase {
	ctx := context.Background()
	check := func(got int) error {
		if got != n {
			return fmt.Errorf("%d coupons, want %d", got, n)
		}
		return nil
	}
	return benchCase{
		name:   "op=GetCustomerCoupons/coupons=" + strconv.Itoa(n),
		answer: couponsBody(tb, n),
		sdk: func(c *zvcms.Client) func() error {
			req := benchQuery()
			return func() error {
				got, err := c.GetCustomerCoupons(ctx, req)
				if err != nil {
					return err
				}
				return check(len(got.Coupons))
			}
		},
		hand: func(h *hwClient) func() error {
			return func() error {
				got, err := h.coupons(ctx)
				if err != nil {
					return err
				}
				return check(len(got))
			}
		},
		decoded: func(c *zvcms.Client, h *hwClient) (any, any, error) {
			s, err := c.GetCustomerCoupons(ctx, benchQuery())
			if err != nil {
				return nil, nil, err
			}
			hw, err := h.coupons(ctx)
			return s.Coupons, hw, err
		},
	}
}

func writeOffCase(tb testing.TB) benchCase {
	ctx := context.Background()
	return benchCase{
		name:   "op=WriteOffCoupon",
		answer: writeOffBody(tb),
		sdk: func(c *zvcms.Client) func() error {
			req := benchWriteOff()
			return func() error {
				_, err := c.WriteOffCoupon(ctx, req)
				return err
			}
		},
		hand: func(h *hwClient) func() error {
			return func() error {
				_, err := h.writeOff(ctx)
				return err
			}
		},
		decoded: func(c *zvcms.Client, h *hwClient) (any, any, error) {
			s, err := c.WriteOffCoupon(ctx, benchWriteOff())
			if err != nil {
				return nil, nil, err
			}
			hw, err := h.writeOff(ctx)
			return string(s.Data), string(hw), err
		},
	}
}

func benchCases(tb testing.TB) []benchCase {
	var cs []benchCase
	for _, n := range benchListSizes {
		cs = append(cs, couponsCase(tb, n))
	}
	return append(cs, writeOffCase(tb))
}

// BenchmarkCalls pairs each call through the client with the same request
// written by hand (vs=handwritten) and sent through bare resty (vs=resty).
// net=loopback answers from a local server, net=memory from an in-memory
// RoundTripper (the client's own cost); enc is how the answer is framed
// (fixed length, chunked, gzip).
func BenchmarkCalls(b *testing.B) {
	for _, bc := range benchCases(b) {
		benchkit.Matrix(b, bc.answer, "", bc.name, "", func(rt http.RoundTripper, gw string) (sdk, hand, bare func() error) {
			c, hw, rst := benchClient(b, rt, gw)
			return bc.sdk(c), bc.hand(hw), bc.hand(rst)
		})
	}
}

// capture is a RoundTripper that keeps the requests' bodies and headers and
// answers a canned body.
type captureRT struct {
	answer  []byte
	bodies  [][]byte
	headers []http.Header
}

func (r *captureRT) RoundTrip(req *http.Request) (*http.Response, error) {
	b, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, err
	}
	r.bodies = append(r.bodies, b)
	r.headers = append(r.headers, req.Header.Clone())
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader(r.answer)), ContentLength: int64(len(r.answer)), Request: req}, nil
}

// TestHandwrittenSendsTheSDKRequest checks that the benchmarks compare like
// with like: at the same instant and with the same nonce, the hand-written
// side sends the client's bytes (and so its token, computed here with the
// standard library) with the same headers, and both sides decode the same
// coupons from the same answer.
func TestHandwrittenSendsTheSDKRequest(t *testing.T) {
	const nonce = "658965"
	for _, bc := range benchCases(t) {
		sdkRT, handRT := &captureRT{answer: bc.answer}, &captureRT{answer: bc.answer}
		c, err := zvcms.NewClient(zvcms.Config{Gateway: benchURL, OpenID: benchOpenID, OpenKey: benchOpenKey, GrantCode: benchGrantCode,
			NonceFunc: func() string { return nonce }}, couponkit.WithTransport(sdkRT), couponkit.WithClock(fixedClock(benchStart)))
		if err != nil {
			t.Fatal(err)
		}
		hand := newHWClient(&http.Client{Transport: handRT}, benchURL)
		hand.now = func() time.Time { return benchStart }
		hand.nonce = func() string { return nonce }
		sdkOut, handOut, err := bc.decoded(c, hand)
		if err != nil {
			t.Fatalf("%s: %v", bc.name, err)
		}
		if !bytes.Equal(sdkRT.bodies[0], handRT.bodies[0]) {
			t.Errorf("%s: requests differ\n sdk: %s\nhand: %s", bc.name, sdkRT.bodies[0], handRT.bodies[0])
		}
		var sent struct{ Token string }
		if err := json.Unmarshal(sdkRT.bodies[0], &sent); err != nil || sent.Token == "" ||
			sent.Token != hwToken(benchOpenKey, benchOpenID, benchGrantCode, strconv.FormatInt(benchStart.Unix(), 10), nonce) {
			t.Errorf("%s: the client's token %q is not the standard-library one (%v)", bc.name, sent.Token, err)
		}
		for _, h := range []string{"Content-Type", "Accept", "User-Agent"} {
			if got, want := handRT.headers[0].Get(h), sdkRT.headers[0].Get(h); got != want {
				t.Errorf("%s: header %s: hand-written %q, client %q", bc.name, h, got, want)
			}
		}
		if fmt.Sprintf("%#v", sdkOut) != fmt.Sprintf("%#v", handOut) {
			t.Errorf("%s: the sides decode differently\n sdk: %#v\nhand: %#v", bc.name, sdkOut, handOut)
		}
		_ = c.Close()
	}
}
