package suning_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/suning"
	"github.com/couponkit/couponkit/suning/suningtest"
)

// activity returns an appointment activity for the examples: appointments
// open on 1 June and buying starts on 18 June 2030, Beijing time.
func activity() *suning.AppointRequest {
	beijing := time.FixedZone("CST", 8*3600)
	at := func(month time.Month, day, hour int) time.Time {
		return time.Date(2030, month, day, hour, 0, 0, 0, beijing)
	}
	return &suning.AppointRequest{
		ActionType:        suning.ActionTypeNormal,
		ActionName:        "618 新品手机预约",
		Terminal:          suning.TerminalPCAndMobile,
		ActionStart:       at(6, 1, 0),
		ScheduleStart:     at(6, 1, 10),
		ScheduleEnd:       at(6, 17, 20),
		PurchaseStart:     at(6, 18, 0),
		TicketResaleStart: at(6, 18, 2),
		PurchaseEnd:       at(6, 18, 23),
		ActionEnd:         at(6, 20, 0),
		SendUserMsg:       suning.SendMsgYes,
		SendScalperMsg:    suning.SendMsgNo,
		ExcludeCities:     []string{"9017"},
		VendorType:        suning.VendorSelfOperated,
		VendorCode:        "0010012345",
		VendorName:        "示例商家",
		Transit:           suning.TransitNo,
		NoticePhone:       "13800138000",
		OtherTerminalSale: suning.OtherTerminalSaleNo,
		ShareImageURL:     "https://img.example.com/phone.png",
		ShareTitle:        "我在苏宁易购预约了商品",
		ShareContent:      "新品手机正在做预约",
		ShareURL:          "https://m.example.com/appoint",
		ReceiveSys:        "SHOP",
		PartType:          suning.PartSingle,
		OperateUser:       "10086",
		Goods: []suning.Goods{{
			PartNumber:     "000000000123456789",
			PartName:       "新品手机 8G+256G",
			GeneralCode:    "000000000123456788",
			TotalLimit:     1000,
			PersonBuyLimit: 1,
			AppointPrice:   399900, // couponkit.Fen: 3999 yuan
			PriceLabel:     "3??9",
			Price:          389900,
			DefaultFlag:    suning.DefaultGoodsYes,
			ReminderSMS:    "您预约的新品手机将于6月18日0点开始抢购",
		}},
	}
}

// Create an activity, modify it, and stop it, on the fake gateway.
func Example() {
	srv := suningtest.NewServer(suningtest.Config{})
	defer srv.Close()
	c, err := suning.NewClient(srv.ClientConfig()) // real use: suning.Config{AppKey: …, AppSecret: …}
	if err != nil {
		panic(err)
	}
	defer c.Close()
	ctx := context.Background()

	req := activity()
	created, err := c.Create(ctx, req)
	if err != nil {
		panic(err)
	}
	fmt.Println("created:", created.ResultCode == suning.ResultSuccess, created.ActionID != "")

	req.ActionID = created.ActionID // the vendor's id for the activity
	req.ActionName = "618 新品手机预约(延长)"
	req.ActionEnd = req.ActionEnd.AddDate(0, 0, 1)
	if _, err := c.Modify(ctx, req); err != nil {
		panic(err)
	}
	if _, err := c.Stop(ctx, req); err != nil {
		panic(err)
	}
	a, _ := srv.Activity(created.ActionID)
	fmt.Println(a.Fields["actionName"], a.Fields["actionEndTime"], a.Status)

	// A stopped activity cannot be modified again.
	_, err = c.Modify(ctx, req)
	var e *couponkit.Error
	if errors.As(err, &e) {
		fmt.Println(e.Code, e.Fault)
	}
	// Output:
	// created: true true
	// 618 新品手机预约(延长) 2030-06-21 00:00:00 stopped
	// biz.handler.data-get:fail client
}

// Bad input is refused before anything is sent, naming the field.
func ExampleClient_Create_validation() {
	c, _ := suning.NewClient(suning.Config{AppKey: "key", AppSecret: "secret"})
	req := activity()
	req.Goods = append(req.Goods, req.Goods[0]) // a second goods also flagged default
	_, err := c.Create(context.Background(), req)
	var ve *couponkit.ValidationError
	if errors.As(err, &ve) {
		fmt.Println(ve.Field)
		fmt.Println(ve.Reason)
	}
	// Output:
	// Goods[1].DefaultFlag
	// only one goods may be the default, Goods[0] already is
}

// When a create's outcome is unknown (the connection dropped after the request
// left), send it again with the same enrollInfoCode: the vendor answers as it
// did the first time and creates nothing new.
func ExampleClient_Create_unknownOutcome() {
	srv := suningtest.NewServer(suningtest.Config{})
	defer srv.Close()
	c, _ := suning.NewClient(srv.ClientConfig(), couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 1}))
	ctx := context.Background()

	srv.DropNextAfterWrite()
	req := activity()
	_, err := c.Create(ctx, req)
	key, unknown := couponkit.IdempotencyKey(err)
	fmt.Println("outcome unknown:", unknown)

	req.EnrollInfoCode = key
	res, err := c.Create(ctx, req)
	if err != nil {
		panic(err)
	}
	fmt.Println("same key:", res.SentEnrollInfoCode == key, "activities:", len(srv.Activities()))
	// Output:
	// outcome unknown: true
	// same key: true activities: 1
}

// Read an activity back.
func ExampleClient_Query() {
	srv := suningtest.NewServer(suningtest.Config{})
	defer srv.Close()
	c, _ := suning.NewClient(srv.ClientConfig())
	ctx := context.Background()
	created, err := c.Create(ctx, activity())
	if err != nil {
		panic(err)
	}
	q, err := c.Query(ctx, &suning.QueryRequest{ActionID: created.ActionID, PartNumber: "000000000123456789", VendorID: "0010012345"})
	if err != nil {
		panic(err)
	}
	fmt.Println(q.ActionName, q.Terminal, q.PurchaseStart.In(time.FixedZone("CST", 8*3600)).Format(time.DateTime))
	// Output:
	// 618 新品手机预约 pc+mobile 2030-06-18 00:00:00
}

// Call reaches any Suning method, signed like the typed calls. It is an
// unsafe write unless told otherwise: a query says couponkit.Read().
func ExampleClient_Call() {
	srv := suningtest.NewServer(suningtest.Config{})
	defer srv.Close()
	c, _ := suning.NewClient(srv.ClientConfig())
	var out struct {
		ResultFlag string `json:"resultFlag"`
	}
	params := map[string]string{"actionId": "2030010100001", "partNumber": "000000000123456789", "vendorId": "0010012345"}
	_, err := c.Call(context.Background(), suning.MethodAppointQuery, params, &out,
		suning.Node(suning.NodeQueryAppoint), couponkit.Read())
	var e *couponkit.Error
	if errors.As(err, &e) {
		fmt.Println(e.Code, e.Fault)
	}
	// Output:
	// biz.handler.data-get:no-result client
}

// Enrol a customer in an activity and read the booking back, on the fake
// gateway. GotoAppoint is an unsafe write: when its outcome is unknown,
// look the customer up with BookingInfo before sending it again.
func ExampleClient_GotoAppoint() {
	srv := suningtest.NewServer(suningtest.Config{})
	defer srv.Close()
	c, err := suning.NewClient(srv.ClientConfig())
	if err != nil {
		panic(err)
	}
	defer c.Close()
	ctx := context.Background()
	req := activity()
	created, err := c.Create(ctx, req)
	if err != nil {
		panic(err)
	}

	_, err = c.GotoAppoint(ctx, &suning.GotoAppointRequest{
		ActionID: created.ActionID, CustNo: "7012345678", PartNumber: req.Goods[0].PartNumber,
		PurchaseType: "1", TelNo: "13900139000", TerminalFlag: "2", VendorCode: req.VendorCode,
	})
	if _, ok := couponkit.IdempotencyKey(err); ok {
		fmt.Println("unknown outcome: check with BookingInfo before booking again")
	} else if err != nil {
		panic(err)
	}

	info, err := c.BookingInfo(ctx, &suning.BookingInfoRequest{ActionID: created.ActionID, SNUnionID: "7012345678"})
	if err != nil {
		panic(err)
	}
	// The answer's fields are not published: read them from Node (here in
	// the fake's shape).
	var node suningtest.BookingAnswer
	if err := json.Unmarshal(info.Node, &node); err != nil {
		panic(err)
	}
	for _, b := range node.BookingList {
		fmt.Println("booked:", b.CustNo, b.PartNumber)
	}
	// Output:
	// booked: 7012345678 000000000123456789
}
