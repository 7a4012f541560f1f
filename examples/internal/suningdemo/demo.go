// Package suningdemo is the Suning example flow: create an online
// appointment activity with goods, modify it, enrol a customer and read the
// booking back, stop it, and print each step.
package suningdemo

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/suning"
	"github.com/couponkit/couponkit/suning/suningtest"
)

// Environment variables that point the demo at a real gateway. The first
// three must all be set, or none (then the built-in fake is used).
const (
	EnvGateway   = "SUNING_GATEWAY"    // the full …/api/http/sopRequest URL, such as suning.TestGateway
	EnvAppKey    = "SUNING_APP_KEY"    // the application key
	EnvAppSecret = "SUNING_APP_SECRET" // its secret
	// EnvAccessToken is the OAuth access token, for apps authorised that way.
	EnvAccessToken = "SUNING_ACCESS_TOKEN"
	// EnvVendorCode optionally sets the merchant code (default 0010012345).
	EnvVendorCode = "SUNING_VENDOR_CODE"
	// EnvCustNo optionally sets the customer enrolled (custNo, and the
	// snUnionId the booking is read with; default 7012345678).
	EnvCustNo = "SUNING_CUST_NO"
)

// Run creates an appointment activity with two goods, modifies it, enrols a
// customer and reads the booking back, stops it, and writes what happened to
// w: against the built-in fake, or against the gateway named by
// SUNING_GATEWAY, SUNING_APP_KEY and SUNING_APP_SECRET. On a real gateway
// these are real activities.
func Run(ctx context.Context, w io.Writer) error {
	cfg, real, err := configFromEnv()
	if err != nil {
		return err
	}
	where := "the gateway " + cfg.Gateway
	var srv *suningtest.Server
	if !real {
		srv = suningtest.NewServer(suningtest.Config{})
		defer srv.Close()
		cfg = srv.ClientConfig()
		where = "the built-in fake gateway"
	}
	c, err := suning.NewClient(cfg)
	if err != nil {
		return err
	}
	defer c.Close()

	req := activity(time.Now(), envOr(EnvVendorCode, "0010012345"))
	fmt.Fprintf(w, "suning: appointment activity %q with %d goods on %s\n", req.ActionName, len(req.Goods), where)
	fmt.Fprintf(w, "  appointments %s to %s, buying %s to %s (Beijing time)\n",
		bj(req.ScheduleStart), bj(req.ScheduleEnd), bj(req.PurchaseStart), bj(req.PurchaseEnd))

	created, err := c.Create(ctx, req)
	if err != nil {
		return explain("create", err)
	}
	fmt.Fprintf(w, "created activity %s (enrollInfoCode %s, %d attempt(s))\n", created.ActionID, created.SentEnrollInfoCode, created.Meta.Attempts)

	req.ActionID = created.ActionID
	req.ActionName += "(延长一天)"
	req.PurchaseEnd = req.PurchaseEnd.Add(24 * time.Hour)
	req.ActionEnd = req.ActionEnd.Add(24 * time.Hour)
	req.Goods[0].Price = 379900 // couponkit.Fen: 3799 yuan
	modified, err := c.Modify(ctx, req)
	if err != nil {
		return explain("modify", err)
	}
	fmt.Fprintf(w, "modified activity %s: %q, buying until %s, %s now %s yuan\n",
		modified.ActionID, req.ActionName, bj(req.PurchaseEnd), req.Goods[0].PartName, req.Goods[0].Price)

	q, err := c.Query(ctx, &suning.QueryRequest{ActionID: created.ActionID, PartNumber: req.Goods[0].PartNumber, VendorID: req.VendorCode})
	if err != nil {
		return explain("query", err)
	}
	fmt.Fprintf(w, "queried activity %s: %q on %s terminals, activity %s to %s\n", q.ActionID, q.ActionName, q.Terminal, bj(q.ActionStart), bj(q.ActionEnd))

	cust := envOr(EnvCustNo, "7012345678")
	_, err = c.GotoAppoint(ctx, &suning.GotoAppointRequest{
		ActionID: created.ActionID, CustNo: cust, PartNumber: req.Goods[0].PartNumber,
		PurchaseType: "1", TelNo: "13900139000", TerminalFlag: "2", VendorCode: req.VendorCode,
	})
	if err != nil {
		if key, ok := couponkit.IdempotencyKey(err); ok {
			return fmt.Errorf("book: the outcome is unknown; read customer %s's booking with BookingInfo before booking again: %w", key, err)
		}
		return explain("book", err)
	}
	fmt.Fprintf(w, "customer %s booked %s\n", cust, req.Goods[0].PartName)
	info, err := c.BookingInfo(ctx, &suning.BookingInfoRequest{ActionID: created.ActionID, SNUnionID: cust})
	if err != nil {
		return explain("booking info", err)
	}
	printBookings(w, cust, info)

	stopped, err := c.Stop(ctx, req)
	if err != nil {
		return explain("stop", err)
	}
	fmt.Fprintf(w, "stopped activity %s (%s)\n", stopped.ActionID, stopped.ResultMessage)
	if srv != nil {
		a, ok := srv.Activity(created.ActionID)
		if !ok || a.Status != suningtest.StatusStopped {
			return fmt.Errorf("the fake does not show activity %s as stopped", created.ActionID)
		}
		fmt.Fprintf(w, "the fake holds activity %s: %s, modified %d time(s)\n", a.ActionID, a.Status, a.Modifications)
	}
	return nil
}

// activity returns an appointment activity of two phones: appointments open
// an hour from now for a week, buying starts the day after they close.
func activity(now time.Time, vendorCode string) *suning.AppointRequest {
	start := now.Truncate(time.Hour).Add(time.Hour)
	scheduleEnd := start.Add(7 * 24 * time.Hour)
	purchaseStart := scheduleEnd.Add(24 * time.Hour)
	sms := "您好,您预约的新品手机即将开始抢购"
	return &suning.AppointRequest{
		ActionType:            suning.ActionTypeNormal,
		ActionName:            "新品手机预约",
		Terminal:              suning.TerminalPCAndMobile,
		ActionStart:           start,
		ScheduleStart:         start,
		ScheduleEnd:           scheduleEnd,
		SupervipPurchaseStart: purchaseStart.Add(-2 * time.Hour),
		PurchaseStart:         purchaseStart,
		TicketResaleStart:     purchaseStart.Add(30 * time.Minute),
		PurchaseEnd:           purchaseStart.Add(24 * time.Hour),
		ActionEnd:             purchaseStart.Add(48 * time.Hour),
		SendUserMsg:           suning.SendMsgYes,
		SendScalperMsg:        suning.SendMsgNo,
		ExcludeCities:         []string{"9017", "9264"},
		VendorType:            suning.VendorSelfOperated,
		VendorCode:            vendorCode,
		VendorName:            "couponkit 示例商家",
		Transit:               suning.TransitNo,
		NoticePhone:           "13800138000",
		OtherTerminalSale:     suning.OtherTerminalSaleNo,
		ShareImageURL:         "https://img.example.com/phone.png",
		ShareTitle:            "我在苏宁易购预约了商品",
		ShareContent:          "新品手机正在做预约",
		ShareURL:              "https://m.example.com/appoint",
		ReceiveSys:            "COUPONKIT",
		PartType:              suning.PartSingle,
		OperateUser:           "10086",
		Goods: []suning.Goods{
			{
				PartNumber: "000000000123456789", PartName: "新品手机 8G+256G", GeneralCode: "000000000123456788",
				TotalLimit: 1000, PersonBuyLimit: 1,
				AppointPrice: 399900, PriceLabel: "3??9", Price: 389900,
				Standard: "8G+256G", Color: "红色", DefaultFlag: suning.DefaultGoodsYes, ReminderSMS: sms,
			},
			{
				PartNumber: "000000000123456790", PartName: "新品手机 12G+512G", GeneralCode: "000000000123456788",
				TotalLimit: 200, PersonBuyLimit: 1,
				AppointPrice: 499900, PriceLabel: "4??9", Price: 489900,
				Standard: "12G+512G", Color: "黑色", DefaultFlag: suning.DefaultGoodsNo, ReminderSMS: sms,
			},
		},
	}
}

// explain adds what to do next to a failed step.
// printBookings writes a customer's bookings. Suning does not publish the
// fields of the queryBookinginfo answer [open], so BookingInfoResult keeps the
// node as it came (Node); this reads the bookingList the fake answers with,
// and shows the node itself only when it holds no such list.
func printBookings(w io.Writer, cust string, info *suning.BookingInfoResult) {
	var node struct {
		BookingList []struct {
			PartNumber   string `json:"partNumber"`
			BookTime     string `json:"bookTime"`
			TerminalFlag string `json:"terminalFlag"`
			TelNo        string `json:"telNo"`
		} `json:"bookingList"`
	}
	if err := json.Unmarshal(info.Node, &node); err != nil || len(node.BookingList) == 0 {
		fmt.Fprintf(w, "booking info of customer %s: no bookingList in the answer (resultCode %q); its node: %s\n", cust, info.ResultCode, info.Node)
		return
	}
	fmt.Fprintf(w, "booking info of customer %s: %d booking(s)\n", cust, len(node.BookingList))
	for _, b := range node.BookingList {
		fmt.Fprintf(w, "  goods %s booked %s (Beijing time) on terminal %s, phone %s\n", b.PartNumber, b.BookTime, b.TerminalFlag, b.TelNo)
	}
}

func explain(step string, err error) error {
	if key, ok := couponkit.IdempotencyKey(err); ok {
		return fmt.Errorf("%s: the outcome is unknown; send it again with EnrollInfoCode %s to learn it: %w", step, key, err)
	}
	return fmt.Errorf("%s: %w", step, err)
}

func bj(t time.Time) string {
	return t.In(time.FixedZone("CST", 8*3600)).Format("2006-01-02 15:04")
}

// configFromEnv reads the gateway settings: all of the required ones, or none.
func configFromEnv() (suning.Config, bool, error) {
	cfg := suning.Config{
		Gateway:     os.Getenv(EnvGateway),
		AppKey:      os.Getenv(EnvAppKey),
		AppSecret:   os.Getenv(EnvAppSecret),
		AccessToken: os.Getenv(EnvAccessToken),
	}
	var missing []string
	for _, v := range []struct{ name, value string }{{EnvGateway, cfg.Gateway}, {EnvAppKey, cfg.AppKey}, {EnvAppSecret, cfg.AppSecret}} {
		if v.value == "" {
			missing = append(missing, v.name)
		}
	}
	switch len(missing) {
	case 0:
		return cfg, true, nil
	case 3:
		return cfg, false, nil
	default:
		return cfg, false, fmt.Errorf("suning demo: set %s too for a real gateway, or none of %s, %s and %s for the fake",
			strings.Join(missing, " and "), EnvGateway, EnvAppKey, EnvAppSecret)
	}
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
