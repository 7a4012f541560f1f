package ebuy_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http/httptest"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/ebuy/ebuytest"
)

func Example() {
	ctx := context.Background()
	fake := ebuytest.NewServer(ebuytest.Config{}) // or ebuy.Config{Gateway: ebuy.TestGateway, AppID: …, AppSecret: …}
	defer fake.Close()
	c, err := ebuy.NewClient(fake.ClientConfig())
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	made, err := c.ThirdBatchMake(ctx, &ebuy.ThirdBatchMakeRequest{SaleChannelOrderID: "SO-1", TicketID: ebuytest.DefaultProductID, Count: 2})
	if err != nil {
		log.Fatal(err)
	}
	codes := []string{made.Codes[0].Code, made.Codes[1].Code}
	act, err := c.ActivateCodes(ctx, &ebuy.ActivateCodesRequest{Codes: codes, ValidDays: 30})
	if err != nil {
		log.Fatal(err)
	}
	for _, d := range act.Codes {
		fmt.Println(d.Code, string(d.Status), d.Status, d.TicketName)
	}
	// Output:
	// 1031000000000000001 00 unused 星巴克中杯饮品券
	// 1031000000000000002 00 unused 星巴克中杯饮品券
}

func ExampleClient_UpdateCodeStatus() {
	ctx := context.Background()
	fake := ebuytest.NewServer(ebuytest.Config{})
	defer fake.Close()
	c, err := ebuy.NewClient(fake.ClientConfig())
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	codes := fake.SeedCodes(45, ebuy.StatusUnused) // sent as 3 chunks of at most 20 codes
	codes[30] = "1031999999999999999"              // unknown to e-Buy: its chunk is refused
	res, err := c.UpdateCodeStatus(ctx, &ebuy.UpdateCodeStatusRequest{Type: ebuy.UpdateFreeze, Codes: codes})
	var be *ebuy.BatchError
	if errors.As(err, &be) {
		fmt.Printf("%d of %d codes failed\n", len(be.Failed), be.Total)
	}
	fmt.Println(len(res.Chunks), "chunks")
	fmt.Println(res.Codes[0].Code, res.Codes[0].Status)
	fmt.Println(res.Codes[20].Code, res.Codes[20].Err != nil)
	// Output:
	// 20 of 45 codes failed
	// 3 chunks
	// 1031000000000000001 frozen
	// 1031000000000000021 true
}

func ExampleClient_DeactivateCodes_error() {
	ctx := context.Background()
	fake := ebuytest.NewServer(ebuytest.Config{})
	defer fake.Close()
	c, err := ebuy.NewClient(fake.ClientConfig())
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	_, err = c.DeactivateCodes(ctx, &ebuy.DeactivateCodesRequest{Codes: []string{"1031999999999999999"}})
	var e *couponkit.Error
	if errors.As(err, &e) {
		fmt.Println(e.Operation, e.Code, e.Message, e.Fault)
	}
	// Output:
	// batchUnActivateCode 10 券码不存在[1031999999999999999] client
}

func ExampleClient_CodeHistory() {
	ctx := context.Background()
	fake := ebuytest.NewServer(ebuytest.Config{})
	defer fake.Close()
	c, err := ebuy.NewClient(fake.ClientConfig())
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	codes := fake.SeedCodes(1, ebuy.StatusUnused)
	if _, err := fake.Redeem("1490", "北京银泰店", codes...); err != nil {
		log.Fatal(err)
	}
	h, err := c.CodeHistory(ctx, &ebuy.CodeHistoryRequest{Code: codes[0]})
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range h.Records {
		fmt.Printf("type %s: %s [%s]\n", r.Type, r.ReturnMessage, r.ShopName)
	}
	// Output:
	// type 1: 操作成功 []
	// type 2: SUCCESS [北京银泰店]
}

func ExampleClient_SyncRedemptions() {
	ctx := context.Background()
	fake := ebuytest.NewServer(ebuytest.Config{})
	defer fake.Close()
	c, err := ebuy.NewClient(fake.ClientConfig())
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	codes := fake.SeedCodes(1, ebuy.StatusUnused)
	res, err := c.SyncRedemptions(ctx, &ebuy.SyncRedemptionsRequest{
		CashierTransNo: "20240517-POS7-000123", // the idempotency key for the day
		Codes:          codes,
		Scene:          "offline",
		Store:          ebuy.StoreInfo{ShopNo: "1490", ShopName: "北京银泰店"},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Codes[0].Code, res.Codes[0].Amount.Yuan(), res.Codes[0].StatusDescription)
	// Output:
	// 1031000000000000001 30.00 核销成功
}

func ExampleNewNotifyHandler() {
	ctx := context.Background()
	fake := ebuytest.NewServer(ebuytest.Config{})
	defer fake.Close()
	codes := fake.SeedCodes(2, ebuy.StatusUnused)
	if _, err := fake.Redeem("1490", "北京银泰店", codes...); err != nil {
		log.Fatal(err)
	}

	events := make(chan ebuy.Event, 1)
	h := ebuy.NewNotifyHandler(fake.Secret(), func(ctx context.Context, ev ebuy.Event) error {
		events <- ev // handle each Event.UUID once: e-Buy resends until acknowledged
		return nil
	})
	srv := httptest.NewServer(h) // your HTTPS endpoint registered with e-Buy
	defer srv.Close()

	if err := fake.SendVerifyNotify(ctx, srv.URL, codes...); err != nil {
		log.Fatal(err)
	}
	ev := <-events
	fmt.Println(ev.Kind, len(ev.Items))
	for _, it := range ev.Items {
		fmt.Println(it.Code, it.TicketID, !it.VerifyDate.IsZero())
	}
	// Output:
	// verify 2
	// 1031000000000000001 1031000000010741 true
	// 1031000000000000002 1031000000010741 true
}

func ExampleClient_Call() {
	ctx := context.Background()
	fake := ebuytest.NewServer(ebuytest.Config{})
	defer fake.Close()
	c, err := ebuy.NewClient(fake.ClientConfig(), couponkit.WithTimeout(10*time.Second))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	// Any API, signed and verified like the typed calls. A read is declared
	// with couponkit.Read(); without an option a call is an Unsafe write.
	var p struct {
		ProductName string `json:"productName"`
	}
	meta, err := c.Call(ctx, "_getBrandProductDetailDirect", map[string]any{"productId": ebuytest.DefaultProductID}, &p, couponkit.Read())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.ProductName, meta.Attempts)
	// Output:
	// 星巴克中杯饮品券 1
}

func ExampleClient_Call_keyed() {
	ctx := context.Background()
	fake := ebuytest.NewServer(ebuytest.Config{})
	defer fake.Close()
	c, err := ebuy.NewClient(fake.ClientConfig())
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	// A write e-Buy de-duplicates by uuid: the key is sent as the envelope's
	// uuid and kept across retries; an unknown outcome reports it.
	codes := fake.MakeCodes(1)
	var out struct {
		CodeNum int `json:"codeNum"`
	}
	_, err = c.Call(ctx, "batchActivateCode", map[string]any{"codeArray": codes}, &out,
		couponkit.Keyed("uuid", "20240517-activate-order-1"))
	if key, unknown := couponkit.IdempotencyKey(err); unknown {
		fmt.Println("outcome unknown; check uuid", key)
		return
	}
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(out.CodeNum, "code activated")
	// Output:
	// 1 code activated
}
