package taobaofilm_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/url"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/taobaofilm"
	"github.com/couponkit/couponkit/taobaofilm/taobaofilmtest"
)

// Fetch the first page of an export. The fake stands in for the gateway; in
// production leave Gateway empty (ProductionGateway) and use your app's credentials.
func ExampleClient_ExportCodes() {
	srv := taobaofilmtest.NewServer(taobaofilmtest.Config{})
	defer srv.Close()
	c, err := taobaofilm.NewClient(taobaofilm.Config{
		Gateway:   srv.Gateway(),
		AppKey:    taobaofilmtest.DefaultAppKey,
		AppSecret: taobaofilmtest.DefaultAppSecret,
	})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	page, err := c.ExportCodes(context.Background(), &taobaofilm.ExportRequest{
		MixID:       "code_8ebc4e741689bbc1",
		PartnerCode: "xuexiqiangguo",
		OperateType: taobaofilm.OperateAll,
	})
	if err != nil {
		log.Fatal(err)
	}
	b := page.Basic
	fmt.Println(b.Name, b.Denomination.Yuan(), "yuan,", b.TotalCount, "codes, valid", b.ValidDays, "day after binding")
	fmt.Println("bind from", b.BindBeginTime.Format("2006-01-02 15:04:05 -0700"))
	fmt.Println("page:", len(page.Codes), "codes, has next:", page.HasNext, "cursor:", page.LastSequence)
	// Output:
	// 淘票票示例活动 4.00 yuan, 250 codes, valid 1 day after binding
	// bind from 2019-12-01 00:00:00 +0800
	// page: 100 codes, has next: true cursor: 100
}

// Iterate over every code of an export, one page in memory at a time.
func ExampleClient_Codes() {
	srv := taobaofilmtest.NewServer(taobaofilmtest.Config{})
	defer srv.Close()
	c, err := taobaofilm.NewClient(taobaofilm.Config{Gateway: srv.Gateway(), AppKey: taobaofilmtest.DefaultAppKey, AppSecret: taobaofilmtest.DefaultAppSecret})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	byStatus := map[taobaofilm.CodeStatus]int{}
	req := &taobaofilm.ExportRequest{MixID: taobaofilmtest.DefaultMixID, PartnerCode: taobaofilmtest.DefaultPartnerCode, OperateType: taobaofilm.OperateAll}
	for code, err := range c.Codes(context.Background(), req) {
		if err != nil {
			log.Fatal(err) // yielded once; the iteration ends after it
		}
		byStatus[code.Status]++
	}
	for _, s := range []taobaofilm.CodeStatus{taobaofilm.StatusNormal, taobaofilm.StatusRedeemed, taobaofilm.StatusExpired, taobaofilm.StatusInvalid} {
		fmt.Println(s, byStatus[s])
	}
	// Output:
	// normal 191
	// redeemed 43
	// expired 13
	// invalid 3
}

// Iterate over the pages of the redeemed codes.
func ExampleClient_Pages() {
	srv := taobaofilmtest.NewServer(taobaofilmtest.Config{PageSize: 20})
	defer srv.Close()
	c, err := taobaofilm.NewClient(taobaofilm.Config{Gateway: srv.Gateway(), AppKey: taobaofilmtest.DefaultAppKey, AppSecret: taobaofilmtest.DefaultAppSecret})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	req := &taobaofilm.ExportRequest{MixID: taobaofilmtest.DefaultMixID, PartnerCode: taobaofilmtest.DefaultPartnerCode, OperateType: taobaofilm.OperateConsume}
	for page, err := range c.Pages(context.Background(), req) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(len(page.Codes), "redeemed, has next:", page.HasNext)
	}
	// Output:
	// 20 redeemed, has next: true
	// 20 redeemed, has next: true
	// 3 redeemed, has next: false
}

// Call a TOP method that has no typed wrapper yet, with params from a
// struct. taobao.film.fcode.merchant.send answers return_code directly in
// its response object; a return_code other than "0" is an error matching
// taobaofilm.ErrBusiness. Without an option the call is Unsafe: it is not
// sent again once it may have reached TOP.
func ExampleClient_Call() {
	srv := taobaofilmtest.NewServer(taobaofilmtest.Config{})
	defer srv.Close()
	// The fake answers this method as scripted here.
	srv.Handle("taobao.film.fcode.merchant.send", func(p url.Values) (any, *taobaofilmtest.Error) {
		return map[string]any{"return_code": "0", "return_message": "success", "return_value": "sent to " + p.Get("mobile")}, nil
	})
	c, err := taobaofilm.NewClient(taobaofilm.Config{Gateway: srv.Gateway(), AppKey: taobaofilmtest.DefaultAppKey, AppSecret: taobaofilmtest.DefaultAppSecret})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	type sendRequest struct {
		MixID  string `url:"mix_id"`
		Mobile string `url:"mobile"`
	}
	var out struct {
		ReturnValue string `json:"return_value"`
	}
	_, err = c.Call(context.Background(), "taobao.film.fcode.merchant.send", sendRequest{MixID: taobaofilmtest.DefaultMixID, Mobile: "13800000000"}, &out)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(out.ReturnValue)
	// Output:
	// sent to 13800000000
}

// Every failure is a *couponkit.Error whose Fault says what to do.
func Example_errors() {
	srv := taobaofilmtest.NewServer(taobaofilmtest.Config{})
	defer srv.Close()
	c, err := taobaofilm.NewClient(taobaofilm.Config{Gateway: srv.Gateway(), AppKey: taobaofilmtest.DefaultAppKey, AppSecret: "wrong secret"})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	_, err = c.ExportCodes(context.Background(), &taobaofilm.ExportRequest{MixID: taobaofilmtest.DefaultMixID, PartnerCode: taobaofilmtest.DefaultPartnerCode, OperateType: taobaofilm.OperateAll})
	var e *couponkit.Error
	if errors.As(err, &e) {
		fmt.Println(e.Fault, e.Code, e.Message)
	}

	_, err = c.ExportCodes(context.Background(), &taobaofilm.ExportRequest{MixID: taobaofilmtest.DefaultMixID})
	var ve *couponkit.ValidationError
	if errors.As(err, &ve) {
		fmt.Println(ve)
	}
	// Output:
	// auth 25 Invalid Signature
	// invalid PartnerCode: is required
}

func ExampleFaultFor() {
	fmt.Println(taobaofilm.FaultFor("7"))
	fmt.Println(taobaofilm.FaultFor("isp.remote-service-timeout"))
	fmt.Println(taobaofilm.FaultFor("isv.invalid-parameter"))
	fmt.Println(taobaofilm.FaultFor("27"))
	// Output:
	// throttle
	// server
	// client
	// auth
}

// Issue two codes of a batch to users, then find them in the batch's
// export. SendCodes is Keyed on ext_order_id: keep it to retry a call whose
// outcome is unknown.
func ExampleClient_SendCodes() {
	srv := taobaofilmtest.NewServer(taobaofilmtest.Config{})
	defer srv.Close()
	c, err := taobaofilm.NewClient(taobaofilm.Config{Gateway: srv.Gateway(), AppKey: taobaofilmtest.DefaultAppKey, AppSecret: taobaofilmtest.DefaultAppSecret})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	ctx := context.Background()
	res, err := c.SendCodes(ctx, &taobaofilm.SendCodesRequest{
		MixID: taobaofilmtest.DefaultMixID, PartnerCode: taobaofilmtest.DefaultPartnerCode,
		ExtOrderID: "ORDER-20191201-0001", Number: 2, EachCount: 1,
		UserIDs: []string{"2200012345", "2200067890"}, UserIDType: taobaofilm.UserIDTaobao,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("order", res.ExtOrderID, "issued", len(res.Codes), "codes worth", res.Codes[0].CostPrice.Yuan(), "yuan each")

	issued := map[string]bool{res.Codes[0].Code: true, res.Codes[1].Code: true}
	found := 0
	for code, err := range c.Codes(ctx, &taobaofilm.ExportRequest{MixID: taobaofilmtest.DefaultMixID, PartnerCode: taobaofilmtest.DefaultPartnerCode, OperateType: taobaofilm.OperateAll}) {
		if err != nil {
			log.Fatal(err)
		}
		if issued[code.Code] && code.Bind == taobaofilm.BindBound {
			found++
		}
	}
	fmt.Println("bound in the export:", found)
	// Output:
	// order ORDER-20191201-0001 issued 2 codes worth 4.00 yuan each
	// bound in the export: 2
}

// Issue a code through the older merchant call, whose answer is flat. It is
// an Unsafe write: an unknown outcome reports the ext_order_id to look up
// before sending again.
func ExampleClient_MerchantSendCodes() {
	srv := taobaofilmtest.NewServer(taobaofilmtest.Config{})
	defer srv.Close()
	c, err := taobaofilm.NewClient(taobaofilm.Config{Gateway: srv.Gateway(), AppKey: taobaofilmtest.DefaultAppKey, AppSecret: taobaofilmtest.DefaultAppSecret})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	res, err := c.MerchantSendCodes(context.Background(), &taobaofilm.MerchantSendRequest{
		ActivityID: 3001, ProductMixID: taobaofilmtest.DefaultMixID, PartnerCode: taobaofilmtest.DefaultPartnerCode,
		ExtOrderID: "M-20191201-0001", Number: 1,
	})
	if errors.Is(err, couponkit.ErrUnknownOutcome) {
		key, _ := couponkit.IdempotencyKey(err)
		log.Fatalf("look up order %s before sending it again", key)
	}
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("order", res.ExtOrderID, "issued", len(res.Codes), "code; batch now holds", srv.Issued(taobaofilmtest.DefaultMixID), "issued code")
	// Output:
	// order M-20191201-0001 issued 1 code; batch now holds 1 issued code
}

// Find the accounts of a mobile number: each has an open id and a masked
// nick. An empty list is the answer "no account".
func ExampleClient_AccountsByPhone() {
	srv := taobaofilmtest.NewServer(taobaofilmtest.Config{})
	defer srv.Close()
	srv.AddAccount("13800000000", "AAHm5d-EAAeGwJedwSHzFbSt", "t**1")
	c, err := taobaofilm.NewClient(taobaofilm.Config{Gateway: srv.Gateway(), AppKey: taobaofilmtest.DefaultAppKey, AppSecret: taobaofilmtest.DefaultAppSecret})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	res, err := c.AccountsByPhone(context.Background(), &taobaofilm.AccountsByPhoneRequest{Phone: "13800000000"})
	if err != nil {
		log.Fatal(err)
	}
	for _, a := range res.Accounts {
		fmt.Println(a.MixUserID, a.Nick)
	}
	// Output:
	// AAHm5d-EAAeGwJedwSHzFbSt t**1
}
