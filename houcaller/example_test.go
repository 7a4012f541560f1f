package houcaller_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/houcaller"
	"github.com/couponkit/couponkit/houcaller/houcallertest"
)

func ExampleNewClient() {
	_, err := houcaller.NewClient(houcaller.Config{
		Gateway: houcaller.TestGateway,
		Channel: "hkl-test",
		DESKey:  "too-long-key",
	})
	var ve *couponkit.ValidationError
	fmt.Println(errors.As(err, &ve), ve.Field)
	fmt.Println(err)
	// Output:
	// true DESKey
	// invalid DESKey: must be 8 bytes, got 12
}

func ExampleClient_SellCard() {
	srv := houcallertest.NewServer(houcallertest.Config{})
	defer srv.Close()
	c, err := houcaller.NewClient(srv.ClientConfig())
	if err != nil {
		panic(err)
	}
	defer c.Close()

	res, err := c.SellCard(context.Background(), &houcaller.SellCardRequest{
		CardInfoID:  "L68F353AD0019",
		SaleTime:    time.Date(2021, 6, 16, 16, 2, 15, 0, time.FixedZone("CST", 8*3600)),
		SaleUser:    "1345",
		SaleOrgCode: "526",
		PayAmount:   1122, // 11.22 yuan, sent as "11.22"
		SaleNo:      "1234567892",
		MemberID:    "L38E1ASJP00Q4",
		Count:       3,
	})
	if err != nil {
		panic(err)
	}
	for _, cp := range res.Coupons {
		fmt.Println(cp.CouponID, cp.Codes)
	}
	// Output:
	// L68F353AD0019 [HKC0000000002 HKC0000000003 HKC0000000004]
}

// A sale whose response was lost: the error carries the saleNo to check
// with, and the sale was not sent twice.
func ExampleClient_SellCard_unknownOutcome() {
	srv := houcallertest.NewServer(houcallertest.Config{})
	defer srv.Close()
	c, err := houcaller.NewClient(srv.ClientConfig())
	if err != nil {
		panic(err)
	}
	defer c.Close()

	srv.DropNextAfterWrite() // the sale takes effect, the answer is lost
	_, err = c.SellCard(context.Background(), &houcaller.SellCardRequest{
		CardInfoID: "L68F353AD0019", SaleTime: time.Now(), PayAmount: 1122,
		SaleNo: "S-20210616-0001", MemberID: "L38E1ASJP00Q4", Count: 1,
	})
	saleNo, unknown := couponkit.IdempotencyKey(err)
	fmt.Println(errors.Is(err, couponkit.ErrUnknownOutcome), unknown, saleNo)
	fmt.Println("requests:", srv.RequestCount(), "sales:", len(srv.Sales()))
	// Output:
	// true true S-20210616-0001
	// requests: 1 sales: 1
}

func ExampleClient_Call_read() {
	srv := houcallertest.NewServer(houcallertest.Config{})
	defer srv.Close()
	c, err := houcaller.NewClient(srv.ClientConfig())
	if err != nil {
		panic(err)
	}
	defer c.Close()
	ctx := context.Background()
	if _, err := c.SellCard(ctx, &houcaller.SellCardRequest{
		CardInfoID: "L68F353AD0019", SaleTime: time.Now(), PayAmount: 0,
		SaleNo: "S1", MemberID: "M1", Count: 2,
	}); err != nil {
		panic(err)
	}
	srv.SetCouponStatus("HKC0000000002", houcaller.CouponRedeemed)

	// The fake's shape for listCpnItemByMember; the vendor's is not published.
	var out struct {
		List []struct {
			Code   string                 `json:"cpnCode"`
			Status houcaller.CouponStatus `json:"status"`
		} `json:"list"`
	}
	if _, err := c.Call(ctx, houcaller.EndpointListCouponsByMember, map[string]string{"memberId": "M1"}, &out, couponkit.Read()); err != nil {
		panic(err)
	}
	for _, cp := range out.List {
		fmt.Println(cp.Code, cp.Status)
	}
	// Output:
	// HKC0000000002 redeemed
	// HKC0000000003 unused
}

func ExampleClient_Call() {
	srv := houcallertest.NewServer(houcallertest.Config{})
	defer srv.Close()
	c, err := houcaller.NewClient(srv.ClientConfig())
	if err != nil {
		panic(err)
	}
	defer c.Close()

	srv.FailNext("2005", "券不可转赠")
	_, err = c.Call(context.Background(), houcaller.EndpointGiftCoupon, map[string]string{"cpnCode": "HKC0000000002", "toMemberId": "M2"}, nil)
	var ce *couponkit.Error
	if errors.As(err, &ce) {
		fmt.Println(ce.Code, ce.Message, ce.Fault)
	}
	// Output:
	// 2005 券不可转赠 unknown
}

// The coupons a sale issued, listed with their statuses after one was used
// at a till.
func ExampleClient_MemberCoupons() {
	srv := houcallertest.NewServer(houcallertest.Config{})
	defer srv.Close()
	c, err := houcaller.NewClient(srv.ClientConfig())
	if err != nil {
		panic(err)
	}
	defer c.Close()
	ctx := context.Background()

	sale, err := c.SellCard(ctx, &houcaller.SellCardRequest{
		CardInfoID: "L68F353AD0019", SaleTime: time.Date(2021, 6, 16, 16, 2, 15, 0, time.FixedZone("CST", 8*3600)),
		PayAmount: 1122, SaleNo: "1234567892", MemberID: "L38E1ASJP00Q4", Count: 2,
	})
	if err != nil {
		panic(err)
	}
	srv.UseCoupon(sale.Codes()[0], "ORD-1", "1504", time.Now()) // a till redeems the first

	res, err := c.MemberCoupons(ctx, &houcaller.MemberCouponsRequest{MemberID: "L38E1ASJP00Q4"})
	if err != nil {
		panic(err)
	}
	for _, cp := range res.Coupons {
		fmt.Println(cp.Code, cp.CouponID, cp.Status, cp.BeginDate.Format(time.DateOnly))
	}
	// Output:
	// HKC0000000002 L68F353AD0019 redeemed 2021-06-16
	// HKC0000000003 L68F353AD0019 unused 2021-06-16
}

// Where the last coupon of an item went: the sale that issued it, and the
// order and restaurant that used it, for reconciliation.
func ExampleClient_LastSentCoupon() {
	srv := houcallertest.NewServer(houcallertest.Config{})
	defer srv.Close()
	c, err := houcaller.NewClient(srv.ClientConfig())
	if err != nil {
		panic(err)
	}
	defer c.Close()
	ctx := context.Background()

	sale, err := c.SellCard(ctx, &houcaller.SellCardRequest{
		CardInfoID: "L68F353AD0019", SaleTime: time.Now(), PayAmount: 1122,
		SaleNo: "S-0001", MemberID: "L38E1ASJP00Q4", Count: 1,
	})
	if err != nil {
		panic(err)
	}
	bj := time.FixedZone("CST", 8*3600)
	srv.UseCoupon(sale.Codes()[0], "150420231202529451116", "1504", time.Date(2023, 12, 2, 13, 15, 20, 0, bj))

	got, err := c.LastSentCoupon(ctx, &houcaller.LastSentCouponRequest{MemberID: "L38E1ASJP00Q4", CouponID: sale.Coupons[0].CouponID})
	if err != nil {
		panic(err)
	}
	fmt.Println(got.Found, got.Code, got.Status)
	fmt.Println("sold in", got.SaleOrderNo, "used in", got.UseOrderNo, "at", got.UseShop, got.UseTime.In(bj).Format(time.DateTime))
	// Output:
	// true HKC0000000002 redeemed
	// sold in S-0001 used in 150420231202529451116 at 1504 2023-12-02 13:15:20
}

// A member's spending recorded once: a second record with the same
// serialCode is refused by the fake, which keeps serialCode unique.
func ExampleClient_RecordConsumption() {
	srv := houcallertest.NewServer(houcallertest.Config{})
	defer srv.Close()
	c, err := houcaller.NewClient(srv.ClientConfig())
	if err != nil {
		panic(err)
	}
	defer c.Close()

	req := &houcaller.ConsumptionRequest{
		SerialCode: "POS-1504-20220215-0042", MemberID: "K4H9095FA0008", OrderID: "1234567890123",
		Amount: 3000, PaidAmount: 2000, HaobiAmount: 1000, // 30, 20 and 10 yuan
		BizDate: time.Date(2022, 2, 15, 15, 30, 10, 0, time.FixedZone("CST", 8*3600)), OrgCode: "1504",
	}
	res, err := c.RecordConsumption(context.Background(), req)
	if err != nil {
		panic(err)
	}
	fmt.Println(res.SerialCode, res.HaobiEarned, "豪币 for", res.HaobiAmount.Yuan(), "yuan")

	_, err = c.RecordConsumption(context.Background(), req)
	var ce *couponkit.Error
	fmt.Println(errors.As(err, &ce), ce.Code, errors.Is(err, couponkit.ErrUnknownOutcome))
	fmt.Println("records:", len(srv.Consumptions()))
	// Output:
	// POS-1504-20220215-0042 10 豪币 for 10.00 yuan
	// true 2002 false
	// records: 1
}
