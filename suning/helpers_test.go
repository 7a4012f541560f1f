package suning_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/testclock"
	"github.com/couponkit/couponkit/suning"
	"github.com/couponkit/couponkit/suning/suningtest"
)

// goldenTime is the instant of the signInfo vectors: 2024-06-01 10:20:30 in
// Beijing, given in UTC to show the conversion.
var goldenTime = time.Date(2024, 6, 1, 2, 20, 30, 0, time.UTC)

// bj returns a Beijing wall-clock time as a UTC instant.
func bj(year int, month time.Month, day, hour, min, sec int) time.Time {
	return time.Date(year, month, day, hour-8, min, sec, 0, time.UTC)
}

func yuan(t testing.TB, s string) couponkit.Fen {
	t.Helper()
	f, err := couponkit.ParseYuan(s)
	require.NoError(t, err)
	return f
}

// goldenRequest is the request of testdata/modify_request.json (with
// ActionID set, as Modify needs).
func goldenRequest(t testing.TB) *suning.AppointRequest {
	t.Helper()
	sms := "您好,您预约的新品手机将于6月18日0点开始抢购"
	return &suning.AppointRequest{
		EnrollInfoCode:        "SU191028101810140135",
		ActionID:              "2019102800001",
		ActionType:            suning.ActionTypeNormal,
		ActionName:            "618 手机&平板<预约>",
		Terminal:              suning.TerminalPCAndMobile,
		ActionStart:           bj(2024, 6, 1, 0, 0, 0),
		ScheduleStart:         bj(2024, 6, 1, 10, 0, 0),
		ScheduleEnd:           bj(2024, 6, 17, 20, 0, 0),
		SupervipPurchaseStart: bj(2024, 6, 17, 20, 0, 0),
		PurchaseStart:         bj(2024, 6, 18, 0, 0, 0),
		TicketResaleStart:     bj(2024, 6, 18, 0, 30, 0),
		PurchaseEnd:           bj(2024, 6, 18, 23, 59, 59),
		ActionEnd:             bj(2024, 6, 20, 23, 59, 59),
		SendUserMsg:           suning.SendMsgYes,
		SendScalperMsg:        suning.SendMsgNo,
		ExcludeCities:         []string{"9017", "9264"},
		VendorType:            suning.VendorSelfOperated,
		VendorCode:            "0010012345",
		VendorName:            "苏宁测试商家",
		Transit:               suning.TransitNo,
		TransitDate:           bj(2024, 6, 10, 12, 0, 0),
		NoticePhone:           "13800138000",
		OtherTerminalSale:     suning.OtherTerminalSaleNo,
		ShareImageURL:         "https://img.example.com/a.png",
		ShareTitle:            "我在苏宁易购预约了商品",
		ShareContent:          "新品手机正在做预约",
		ShareURL:              "https://m.suning.com/appoint?id=1&from=share",
		ReceiveSys:            "COUPONKIT",
		PartType:              suning.PartBundle,
		OperateUser:           "10086",
		Goods: []suning.Goods{
			{
				TotalLimit: 10000, PersonBuyLimit: 2,
				PartNumber: "000000000123456789", PartName: "新品手机 8G+256G",
				AppointPrice: yuan(t, "3999"), PriceLabel: "3??9", Price: yuan(t, "3899"),
				Standard: "8G+256G", Color: "红色", DefaultFlag: suning.DefaultGoodsYes,
				ReminderSMS: sms, GeneralCode: "000000000123456788",
			},
			{
				TotalLimit: 500, PersonBuyLimit: 1,
				PartNumber: "000000000123456790", PartName: "新品手机 12G+512G",
				AppointPrice: yuan(t, "4999"), PriceLabel: "4??9", Price: yuan(t, "4899"),
				DefaultFlag: suning.DefaultGoodsNo, ReminderSMS: sms, GeneralCode: "000000000123456788",
			},
		},
		SubGoods: []suning.SubGoods{
			{Name: "手机壳", PartNumber: "000000000223456789", Count: 2, AppointPrice: yuan(t, "59"), Price: yuan(t, "39"), PriceLabel: "29"},
		},
	}
}

// createRequest is goldenRequest without the ActionID and the fixed key, for
// Create.
func createRequest(t testing.TB) *suning.AppointRequest {
	r := goldenRequest(t)
	r.ActionID = ""
	r.EnrollInfoCode = ""
	return r
}

// readTestdata returns a file of testdata.
func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

// compactTestdata returns a testdata JSON file in compact form (strings and
// key order as written).
func compactTestdata(t *testing.T, name string) []byte {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, json.Compact(&buf, readTestdata(t, name)))
	return buf.Bytes()
}

// signVector is one entry of testdata/signinfo.json.
type signVector struct {
	Name           string `json:"name"`
	AppSecret      string `json:"appSecret"`
	AppMethod      string `json:"appMethod"`
	AppRequestTime string `json:"appRequestTime"`
	AppKey         string `json:"appKey"`
	VersionNo      string `json:"versionNo"`
	BodyFile       string `json:"bodyFile"`
	Body           string `json:"body"`
	SignInfo       string `json:"signInfo"`
}

func signVectors(t *testing.T) []signVector {
	t.Helper()
	var vs []signVector
	require.NoError(t, json.Unmarshal(readTestdata(t, "signinfo.json"), &vs))
	require.Len(t, vs, 2)
	return vs
}

// fakeClient starts a fake gateway and a client of it with a clock that
// follows the wall clock but never sleeps.
func fakeClient(t *testing.T, cfg suningtest.Config, opts ...couponkit.Option) (*suning.Client, *suningtest.Server, *testclock.Clock) {
	t.Helper()
	srv := suningtest.NewServer(cfg)
	t.Cleanup(srv.Close)
	clk := testclock.New(time.Now())
	all := append([]couponkit.Option{couponkit.WithClock(clk), couponkit.WithHTTPClient(srv.Client())}, opts...)
	c, err := suning.NewClient(srv.ClientConfig(), all...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c, srv, clk
}
