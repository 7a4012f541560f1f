package ebuy_test

import (
	"context"
	"fmt"
	"log"

	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/ebuy/ebuytest"
)

// A till refund: the redemptions reported with SyncRedemptions are taken
// back under the same cashierTransNo, and the codes are usable again.
func ExampleClient_CancelSyncedRedemptions() {
	ctx := context.Background()
	fake := ebuytest.NewServer(ebuytest.Config{})
	defer fake.Close()
	c, err := ebuy.NewClient(fake.ClientConfig())
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	codes := fake.SeedCodes(2, ebuy.StatusUnused)
	_, err = c.SyncRedemptions(ctx, &ebuy.SyncRedemptionsRequest{CashierTransNo: "POS-0517-0001", Codes: codes, Scene: "offline",
		Store: ebuy.StoreInfo{ShopNo: "1490", ShopName: "南京西路店"}})
	if err != nil {
		log.Fatal(err)
	}
	res, err := c.CancelSyncedRedemptions(ctx, &ebuy.CancelSyncedRedemptionsRequest{CashierTransNo: "POS-0517-0001"})
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range res.Codes {
		st, _ := fake.Code(r.Code)
		fmt.Println(r.Code, r.StatusDescription, st.Status)
	}
	// Output:
	// 1031000000000000001 撤销成功 unused
	// 1031000000000000002 撤销成功 unused
}

// A code merchant reports one voided redemption; the requestId is the key.
func ExampleClient_VoidMerchantRedemption() {
	ctx := context.Background()
	fake := ebuytest.NewServer(ebuytest.Config{})
	defer fake.Close()
	c, err := ebuy.NewClient(fake.ClientConfig())
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	codes := fake.SeedCodes(1, ebuy.StatusUnused)
	redemption, err := fake.Redeem("1490", "南京西路店", codes...)
	if err != nil {
		log.Fatal(err)
	}
	res, err := c.VoidMerchantRedemption(ctx, &ebuy.VoidMerchantRedemptionRequest{RequestID: "VOID-0517-0001", Code: codes[0], OriginalRequestID: redemption})
	if err != nil {
		log.Fatal(err)
	}
	st, _ := fake.Code(codes[0])
	fmt.Println(res.RequestID, res.StatusDescription, st.Status)
	// Output:
	// VOID-0517-0001 撤销成功 unused
}

// A sales channel issues codes to its order. MakeCodes is sent once: after
// an unknown outcome, check the order before sending it again.
func ExampleClient_MakeCodes() {
	ctx := context.Background()
	fake := ebuytest.NewServer(ebuytest.Config{})
	defer fake.Close()
	c, err := ebuy.NewClient(fake.ClientConfig())
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	res, err := c.MakeCodes(ctx, &ebuy.MakeCodesRequest{OuterOrderID: "WX-20240517-0001", TicketID: ebuytest.DefaultProductID, Count: 2, Remark: "小程序订单"})
	if err != nil {
		log.Fatal(err)
	}
	for _, code := range res.Codes {
		st, _ := fake.Code(code.Code)
		fmt.Println(code.Code, st.Status, st.OuterOrderID)
	}
	// Output:
	// 1031000000000000001 unused WX-20240517-0001
	// 1031000000000000002 unused WX-20240517-0001
}
