package suning_test

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/benchkit"
	"github.com/couponkit/couponkit/internal/testclock"
	"github.com/couponkit/couponkit/suning"
	"github.com/couponkit/couponkit/suning/suningtest"
)

// The hand-written side below is what a competent developer outside this
// module would write for one Suning call: encoding/json for the body and the
// answer, crypto/md5 and encoding/base64 for signInfo, net/http with the same
// headers and a per-request timeout like the client's default. It uses
// nothing from the module's internal packages. TestHandWrittenSideSendsTheSDKRequest
// checks that it sends the very request the client sends.

const (
	benchAppKey    = "bench-app-key"
	benchAppSecret = "bench-app-secret"
	benchKey       = "SU191028101810140135" // both sides send the same enrollInfoCode
	benchTimeout   = 15 * time.Second       // the client's default per-attempt timeout
)

var handBeijing = time.FixedZone("CST", 8*3600)

// handSignInfo is signInfo as Suning's documents define it: lowercase hex
// MD5 of appSecret + appMethod + appRequestTime + appKey + versionNo +
// Base64(body).
func handSignInfo(secret, method, ts, key, version string, body []byte) string {
	h := md5.New()
	h.Write([]byte(secret + method + ts + key + version))
	h.Write([]byte(base64.StdEncoding.EncodeToString(body)))
	return hex.EncodeToString(h.Sum(nil))
}

// handSender sends a signed Suning request: with net/http, or with bare
// resty (the HTTP layer the client is built on).
type handSender struct {
	hc   *http.Client
	rc   *resty.Client // nil: net/http
	url  string
	now  func() time.Time
	body bytes.Buffer
}

func (s *handSender) headers(method string, body []byte) map[string]string {
	ts := s.now().In(handBeijing).Format(time.DateTime)
	return map[string]string{
		"AppMethod":      method,
		"AppRequestTime": ts,
		"Format":         "json",
		"AppKey":         benchAppKey,
		"VersionNo":      "v1.2",
		"signInfo":       handSignInfo(benchAppSecret, method, ts, benchAppKey, "v1.2", body),
		"Content-Type":   "application/json;charset=UTF-8",
	}
}

// post sends body for method and returns the answer's bytes.
func (s *handSender) post(ctx context.Context, method string, body []byte) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, benchTimeout)
	defer cancel()
	h := s.headers(method, body)
	if s.rc != nil {
		r, err := s.rc.R().SetContext(ctx).SetHeaders(h).SetBody(bytes.NewReader(body)).Post(s.url)
		if err != nil {
			return nil, err
		}
		raw := r.RawBody()
		defer raw.Close()
		return io.ReadAll(raw)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	for k, v := range h {
		req.Header.Set(k, v)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", couponkit.DefaultUserAgent)
	resp, err := s.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	return io.ReadAll(resp.Body)
}

// encode writes {"sn_request":{"sn_body":{node:v}}} as encoding/json writes
// it without HTML escaping.
func (s *handSender) encode(node string, v any) ([]byte, error) {
	s.body.Reset()
	enc := json.NewEncoder(&s.body)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(map[string]any{"sn_request": map[string]any{"sn_body": map[string]any{node: v}}}); err != nil {
		return nil, err
	}
	return bytes.Clone(bytes.TrimSuffix(s.body.Bytes(), []byte("\n"))), nil
}

type handError struct {
	Code string `json:"error_code"`
	Msg  string `json:"error_msg"`
}

func (e *handError) Error() string { return e.Code + ": " + e.Msg }

type handGoods struct {
	TotalLimit        string `json:"totalLimit"`
	PersonBuyLimit    string `json:"personBuyLimit"`
	Partnumber        string `json:"partnumber"`
	PartName          string `json:"partName"`
	AppointPrice      string `json:"appointPrice"`
	PriceLabel        string `json:"priceLabel"`
	Price             string `json:"price"`
	Standard          string `json:"standard,omitempty"`
	Color             string `json:"color,omitempty"`
	DefaultGoodsFlags string `json:"defaultGoodsFlags"`
	MsgContent        string `json:"msgContent"`
	CatengrpCode      string `json:"catengrpCode"`
}

type handSubGoods struct {
	SubPartName     string `json:"subPartName"`
	SubPartNumber   string `json:"subPartNumber"`
	Count           string `json:"count"`
	SubAppointPrice string `json:"subAppointPrice"`
	SubPrice        string `json:"subPrice"`
	SubTextPrice    string `json:"subTextPrice"`
}

type handAppoint struct {
	EnrollInfoCode            string         `json:"enrollInfoCode"`
	VersionNumber             string         `json:"versionNumber"`
	ActionID                  string         `json:"actionId,omitempty"`
	ActionType                string         `json:"actionType"`
	ActionName                string         `json:"actionName"`
	OperateType               string         `json:"operateType"`
	AdapteTerminal            string         `json:"adapteTerminal"`
	ActionStartTime           string         `json:"actionStartTime"`
	ScheduleStartTime         string         `json:"scheduleStartTime"`
	ScheduleEndTime           string         `json:"scheduleEndTime"`
	SupervipPurchaseStartTime string         `json:"supervipPurchaseStartTime,omitempty"`
	PurchaseStartTime         string         `json:"purchaseStartTime"`
	TicketResaleStartTime     string         `json:"ticketResaleStartTime"`
	PurchaseEndTime           string         `json:"purchaseEndTime"`
	ActionEndTime             string         `json:"actionEndTime"`
	SendUserMsg               string         `json:"sendUserMsg"`
	SendScalperMsg            string         `json:"sendScalperMsg"`
	ExcludeCitys              string         `json:"excludeCitys"`
	VendorType                string         `json:"vendorType"`
	VendorCode                string         `json:"vendorCode"`
	VendorName                string         `json:"vendorName"`
	TransitFlag               string         `json:"transitFlag"`
	TransitDate               string         `json:"transitDate,omitempty"`
	NoticePhone               string         `json:"noticePhone"`
	OtherTerminalSale         string         `json:"otherTerminalSale"`
	PhoneShareImgURL          string         `json:"phoneShareImgUrl"`
	PhoneShareTitle           string         `json:"phoneShareTitle"`
	PhoneShareContent         string         `json:"phoneShareContent"`
	PhoneShareURL             string         `json:"phoneShareUrl"`
	ReceiveSys                string         `json:"receiveSys"`
	PartType                  string         `json:"partType"`
	OperateUser               string         `json:"operateUser"`
	GoodsList                 []handGoods    `json:"goodsList,omitempty"`
	GoodsSubList              []handSubGoods `json:"goodsSubList,omitempty"`
}

// handCreate is suning.custom.appoint.create written by hand; it returns the
// activity's id.
func (s *handSender) handCreate(ctx context.Context, r *suning.AppointRequest) (string, error) {
	tf := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(handBeijing).Format(time.DateTime)
	}
	price := func(f couponkit.Fen) string { return strconv.FormatInt(int64(f)/100, 10) }
	n := handAppoint{
		EnrollInfoCode: r.EnrollInfoCode, VersionNumber: "1", ActionType: string(r.ActionType), ActionName: r.ActionName,
		OperateType: "01", AdapteTerminal: string(r.Terminal),
		ActionStartTime: tf(r.ActionStart), ScheduleStartTime: tf(r.ScheduleStart), ScheduleEndTime: tf(r.ScheduleEnd),
		SupervipPurchaseStartTime: tf(r.SupervipPurchaseStart), PurchaseStartTime: tf(r.PurchaseStart),
		TicketResaleStartTime: tf(r.TicketResaleStart), PurchaseEndTime: tf(r.PurchaseEnd), ActionEndTime: tf(r.ActionEnd),
		SendUserMsg: string(r.SendUserMsg), SendScalperMsg: string(r.SendScalperMsg), ExcludeCitys: strings.Join(r.ExcludeCities, ","),
		VendorType: string(r.VendorType), VendorCode: r.VendorCode, VendorName: r.VendorName,
		TransitFlag: string(r.Transit), TransitDate: tf(r.TransitDate), NoticePhone: r.NoticePhone,
		OtherTerminalSale: string(r.OtherTerminalSale), PhoneShareImgURL: r.ShareImageURL, PhoneShareTitle: r.ShareTitle,
		PhoneShareContent: r.ShareContent, PhoneShareURL: r.ShareURL, ReceiveSys: r.ReceiveSys, PartType: string(r.PartType),
		OperateUser: r.OperateUser,
	}
	for _, g := range r.Goods {
		n.GoodsList = append(n.GoodsList, handGoods{strconv.Itoa(g.TotalLimit), strconv.Itoa(g.PersonBuyLimit), g.PartNumber, g.PartName,
			price(g.AppointPrice), g.PriceLabel, price(g.Price), g.Standard, g.Color, string(g.DefaultFlag), g.ReminderSMS, g.GeneralCode})
	}
	for _, sg := range r.SubGoods {
		n.GoodsSubList = append(n.GoodsSubList, handSubGoods{sg.Name, sg.PartNumber, strconv.Itoa(sg.Count), price(sg.AppointPrice), price(sg.Price), sg.PriceLabel})
	}
	body, err := s.encode("createAppoint", n)
	if err != nil {
		return "", err
	}
	raw, err := s.post(ctx, "suning.custom.appoint.create", body)
	if err != nil {
		return "", err
	}
	var out struct {
		C *struct {
			E *handError `json:"sn_error"`
			B *struct {
				N *struct {
					ResultCode     string `json:"resultCode"`
					ResultMessage  string `json:"resultMsg"`
					EnrollInfoCode string `json:"enrollInfoCode"`
					ActionID       string `json:"actionId"`
				} `json:"createAppoint"`
			} `json:"sn_body"`
		} `json:"sn_responseContent"`
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		return "", err
	}
	switch {
	case out.C == nil:
		return "", errors.New("no sn_responseContent")
	case out.C.E != nil:
		return "", out.C.E
	case out.C.B == nil || out.C.B.N == nil:
		return "", errors.New("no createAppoint")
	case out.C.B.N.ResultCode != "0":
		return "", errors.New("resultCode " + out.C.B.N.ResultCode + ": " + out.C.B.N.ResultMessage)
	}
	return out.C.B.N.ActionID, nil
}

// handActivity is an activity as the hand-written query returns it.
type handActivity struct {
	ActionID, ActionType, Terminal, OtherTerminalSale, ActionName string
	ActionStart, ActionEnd, ScheduleStart, ScheduleEnd            time.Time
	PurchaseStart, PurchaseEnd                                    time.Time
}

// handQuery is suning.custom.appoint.query written by hand.
func (s *handSender) handQuery(ctx context.Context, actionID, partNumber, vendorID string) (*handActivity, error) {
	body, err := s.encode("queryAppoint", struct {
		ActionID   string `json:"actionId"`
		PartNumber string `json:"partNumber"`
		VendorID   string `json:"vendorId"`
	}{actionID, partNumber, vendorID})
	if err != nil {
		return nil, err
	}
	raw, err := s.post(ctx, "suning.custom.appoint.query", body)
	if err != nil {
		return nil, err
	}
	var out struct {
		C *struct {
			E *handError `json:"sn_error"`
			B *struct {
				N *struct {
					ResultFlag        string `json:"resultFlag"`
					ResultMessage     string `json:"resultMsg"`
					ActionID          string `json:"actionId"`
					ActionType        string `json:"actionType"`
					AdapteTerminal    string `json:"adapteTerminal"`
					OtherTerminalSale string `json:"otherTerminalSale"`
					ActionName        string `json:"actionName"`
					ActionStartTime   string `json:"actionStartTime"`
					ActionEndTime     string `json:"actionEndTime"`
					ScheduleStartTime string `json:"scheduleStartTime"`
					ScheduleEndTime   string `json:"scheduleEndTime"`
					PurchaseStartTime string `json:"purchaseStartTime"`
					PurchaseEndTime   string `json:"purchaseEndTime"`
				} `json:"queryAppoint"`
			} `json:"sn_body"`
		} `json:"sn_responseContent"`
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, err
	}
	switch {
	case out.C == nil:
		return nil, errors.New("no sn_responseContent")
	case out.C.E != nil:
		return nil, out.C.E
	case out.C.B == nil || out.C.B.N == nil:
		return nil, errors.New("no queryAppoint")
	case out.C.B.N.ResultFlag != "true":
		return nil, errors.New("query failed: " + out.C.B.N.ResultMessage)
	}
	n := out.C.B.N
	a := &handActivity{ActionID: n.ActionID, ActionType: n.ActionType, Terminal: n.AdapteTerminal,
		OtherTerminalSale: n.OtherTerminalSale, ActionName: n.ActionName}
	for _, t := range []struct {
		dst *time.Time
		v   string
	}{{&a.ActionStart, n.ActionStartTime}, {&a.ActionEnd, n.ActionEndTime}, {&a.ScheduleStart, n.ScheduleStartTime},
		{&a.ScheduleEnd, n.ScheduleEndTime}, {&a.PurchaseStart, n.PurchaseStartTime}, {&a.PurchaseEnd, n.PurchaseEndTime}} {
		if t.v == "" {
			continue
		}
		v, err := time.ParseInLocation(time.DateTime, t.v, handBeijing)
		if err != nil {
			return nil, err
		}
		*t.dst = v
	}
	return a, nil
}

// benchAnswers are answers captured from the fake for the benchmark's
// requests, so the canned bodies are what the gateway's shape and size are.
type benchAnswers struct {
	create, query []byte
	queryReq      suning.QueryRequest
}

func captureAnswers(tb testing.TB) benchAnswers {
	tb.Helper()
	srv := suningtest.Start(tb, suningtest.Config{InMemory: true, AppKey: benchAppKey, AppSecret: benchAppSecret})
	c, err := suning.NewClient(srv.ClientConfig(), srv.ClientOption())
	if err != nil {
		tb.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()
	req := createRequest(tb)
	req.EnrollInfoCode = benchKey
	res, err := c.Create(ctx, req)
	if err != nil {
		tb.Fatal(err)
	}
	q := suning.QueryRequest{ActionID: res.ActionID, PartNumber: req.Goods[0].PartNumber, VendorID: req.VendorCode}
	qr, err := c.Query(ctx, &q)
	if err != nil {
		tb.Fatal(err)
	}
	return benchAnswers{create: res.Meta.Raw, query: qr.Meta.Raw, queryReq: q}
}

// benchSides returns the SDK call, the hand-written net/http call and the
// same hand-built request through bare resty, of one operation ("create",
// "query"), against rt (nil: the network) and url.
func benchSides(tb testing.TB, op string, rt http.RoundTripper, url string, a benchAnswers) (sdk, hand, bare func() error) {
	tb.Helper()
	ctx := context.Background()
	var opts []couponkit.Option
	if rt != nil {
		opts = append(opts, couponkit.WithTransport(rt))
	}
	c, err := suning.NewClient(suning.Config{Gateway: url, AppKey: benchAppKey, AppSecret: benchAppSecret}, opts...)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = c.Close() })
	hc := benchkit.HTTPClient(tb, rt)
	hs := &handSender{hc: hc, url: url, now: time.Now}
	rc := resty.NewWithClient(hc).SetDoNotParseResponse(true).
		SetHeader("User-Agent", couponkit.DefaultUserAgent).SetHeader("Accept", "application/json")
	rs := &handSender{hc: hc, rc: rc, url: url, now: time.Now}

	switch op {
	case "create":
		req := createRequest(tb)
		req.EnrollInfoCode = benchKey
		sdk = func() error {
			res, err := c.Create(ctx, req)
			if err == nil && res.ActionID == "" {
				err = errors.New("no actionId")
			}
			return err
		}
		side := func(s *handSender) func() error {
			return func() error {
				id, err := s.handCreate(ctx, req)
				if err == nil && id == "" {
					err = errors.New("no actionId")
				}
				return err
			}
		}
		hand, bare = side(hs), side(rs)
	case "query":
		q := a.queryReq
		sdk = func() error {
			res, err := c.Query(ctx, &q)
			if err == nil && res.ActionStart.IsZero() {
				err = errors.New("no actionStartTime")
			}
			return err
		}
		side := func(s *handSender) func() error {
			return func() error {
				act, err := s.handQuery(ctx, q.ActionID, q.PartNumber, q.VendorID)
				if err == nil && act.ActionStart.IsZero() {
					err = errors.New("no actionStartTime")
				}
				return err
			}
		}
		hand, bare = side(hs), side(rs)
	default:
		tb.Fatalf("unknown operation %q", op)
	}
	return sdk, hand, bare
}

// BenchmarkCreate and BenchmarkQuery pair one typed call with the same
// request written by hand with net/http and encoding/json (vs=handwritten)
// and sent by bare resty (vs=resty), interleaved in one loop; see
// benchkit.Paired for the metrics. net=loopback goes through a local server
// answering a canned answer captured from the fake; net=memory through an
// in-memory RoundTripper (the client's own cost). The answers of these two
// methods do not vary in size (one activity, no lists), so there is one size.
func BenchmarkCreate(b *testing.B) { benchOp(b, "create") }

func BenchmarkQuery(b *testing.B) { benchOp(b, "query") }

func benchOp(b *testing.B, op string) {
	a := captureAnswers(b)
	answer := a.create
	if op == "query" {
		answer = a.query
	}
	benchkit.Matrix(b, answer, suningtest.GatewayPath, "", fmt.Sprintf("size=%d", len(answer)), func(rt http.RoundTripper, url string) (sdk, hand, bare func() error) {
		return benchSides(b, op, rt, url, a)
	})
}

// BenchmarkCreateParallel is Create's throughput with concurrent callers on
// the in-memory transport.
func BenchmarkCreateParallel(b *testing.B) {
	a := captureAnswers(b)
	sdk, _, _ := benchSides(b, "create", benchkit.NewRoundTripper(a.create, benchkit.Fixed), benchkit.MemoryURL+suningtest.GatewayPath, a)
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

// recorder answers like benchkit's RoundTripper and keeps the last request.
type recorder struct {
	rt     http.RoundTripper
	header http.Header
	body   []byte
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	b, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, err
	}
	r.header, r.body = req.Header.Clone(), b
	req.Body = io.NopCloser(bytes.NewReader(b))
	return r.rt.RoundTrip(req)
}

// TestHandWrittenSideSendsTheSDKRequest checks that the benchmarks compare
// like with like: at the same instant, the hand-written side sends the body,
// the headers and the signInfo the client sends.
func TestHandWrittenSideSendsTheSDKRequest(t *testing.T) {
	t.Parallel()
	a := captureAnswers(t)
	at := goldenTime
	url := benchkit.MemoryURL + suningtest.GatewayPath
	for _, op := range []string{"create", "query"} {
		t.Run(op, func(t *testing.T) {
			answer := a.create
			if op == "query" {
				answer = a.query
			}
			sdkRec := &recorder{rt: benchkit.NewRoundTripper(answer, benchkit.Fixed)}
			c, err := suning.NewClient(suning.Config{Gateway: url, AppKey: benchAppKey, AppSecret: benchAppSecret},
				couponkit.WithTransport(sdkRec), couponkit.WithClock(testclock.New(at)))
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			handRec := &recorder{rt: benchkit.NewRoundTripper(answer, benchkit.Fixed)}
			hs := &handSender{hc: &http.Client{Transport: handRec}, url: url, now: func() time.Time { return at }}
			ctx := context.Background()
			if op == "create" {
				req := createRequest(t)
				req.EnrollInfoCode = benchKey
				if _, err := c.Create(ctx, req); err != nil {
					t.Fatal(err)
				}
				if _, err := hs.handCreate(ctx, req); err != nil {
					t.Fatal(err)
				}
			} else {
				q := a.queryReq
				if _, err := c.Query(ctx, &q); err != nil {
					t.Fatal(err)
				}
				if _, err := hs.handQuery(ctx, q.ActionID, q.PartNumber, q.VendorID); err != nil {
					t.Fatal(err)
				}
			}
			if !bytes.Equal(sdkRec.body, handRec.body) {
				t.Fatalf("bodies differ:\nsdk  %s\nhand %s", sdkRec.body, handRec.body)
			}
			for _, h := range []string{"AppMethod", "AppRequestTime", "Format", "AppKey", "VersionNo", "signInfo", "Content-Type", "Accept", "User-Agent"} {
				if s, hd := sdkRec.header.Get(h), handRec.header.Get(h); s != hd || s == "" {
					t.Errorf("header %s: sdk %q, hand-written %q", h, s, hd)
				}
			}
		})
	}
}
