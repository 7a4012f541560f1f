package ebuy_test

import (
	"context"
	"fmt"
	"log"

	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/ebuy/ebuytest"
)

// Activate made codes for 30 days. The call is keyed on its uuid (UUID,
// or one from Config.NewKey): a retry after an unknown outcome sends the
// same uuid.
func ExampleClient_ActivateCodes() {
	fake := ebuytest.NewServer(ebuytest.Config{})
	defer fake.Close()
	c, err := ebuy.NewClient(fake.ClientConfig())
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	codes := fake.MakeCodes(2) // made (03), not yet active
	res, err := c.ActivateCodes(context.Background(), &ebuy.ActivateCodesRequest{Codes: codes, ValidDays: 30})
	if err != nil {
		log.Fatal(err)
	}
	for _, d := range res.Codes {
		fmt.Println(d.Code, d.Status)
	}
	// Output:
	// 1031000000000000001 unused
	// 1031000000000000002 unused
}

// A code merchant makes codes for a sales channel's order; the codes come
// back with their passwords.
func ExampleClient_ThirdBatchMake() {
	fake := ebuytest.NewServer(ebuytest.Config{})
	defer fake.Close()
	c, err := ebuy.NewClient(fake.ClientConfig())
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	made, err := c.ThirdBatchMake(context.Background(), &ebuy.ThirdBatchMakeRequest{SaleChannelOrderID: "SO-1", TicketID: ebuytest.DefaultProductID, Count: 2})
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range made.Codes {
		fmt.Println(m.Code, "with a password:", m.Password != "")
	}
	// Output:
	// 1031000000000000001 with a password: true
	// 1031000000000000002 with a password: true
}

// A coupon product's detail, by its id.
func ExampleClient_ProductDetail() {
	fake := ebuytest.NewServer(ebuytest.Config{})
	defer fake.Close()
	c, err := ebuy.NewClient(fake.ClientConfig())
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	p, err := c.ProductDetail(context.Background(), &ebuy.ProductDetailRequest{ProductID: ebuytest.DefaultProductID})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(p.ProductID, p.ProductName, p.UseTimes)
	// Output: 1031000000010741 星巴克中杯饮品券 1
}

// Cancel a redemption made at a till: its codes become usable again. The
// redemption is named by its uuid (OriginalUUID); the cancel is keyed on
// its own uuid.
func ExampleClient_CancelRedemption() {
	fake := ebuytest.NewServer(ebuytest.Config{})
	defer fake.Close()
	c, err := ebuy.NewClient(fake.ClientConfig())
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	codes := fake.SeedCodes(1, ebuy.StatusUnused)
	redemption, err := fake.Redeem("S001", "一店", codes...)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := c.CancelRedemption(context.Background(), &ebuy.CancelRedemptionRequest{OriginalUUID: redemption, Codes: codes}); err != nil {
		log.Fatal(err)
	}
	st, _ := fake.Code(codes[0])
	fmt.Println(codes[0], st.Status)
	// Output: 1031000000000000001 unused
}
