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

// A coupon given to a member's phone number moves to that member; a gift
// whose answer was lost is an unknown outcome without a key, to be checked
// on the coupon itself.
func ExampleClient_GiftCoupons() {
	srv := houcallertest.NewServer(houcallertest.Config{})
	defer srv.Close()
	c, err := houcaller.NewClient(srv.ClientConfig())
	if err != nil {
		panic(err)
	}
	defer c.Close()
	ctx := context.Background()

	sale, err := c.SellCard(ctx, &houcaller.SellCardRequest{
		CardInfoID: "L68F353AD0019", SaleTime: time.Now(), PayAmount: 1122, SaleNo: "S-0001", MemberID: "L38E1ASJP00Q4", Count: 2,
	})
	if err != nil {
		panic(err)
	}
	srv.AddMember(houcallertest.Member{ID: "K1H93QDKI00B7", Phone: "13800138000"})

	res, err := c.GiftCoupons(ctx, &houcaller.GiftCouponsRequest{
		MemberID: "L38E1ASJP00Q4", Phone: "13800138000", CouponCodes: sale.Codes()[:1], Message: "千言万语尽在券里!",
	})
	if err != nil {
		panic(err)
	}
	for _, g := range res.Gifts {
		fmt.Println(g.Code, g.Status, "to", g.ToMemberID)
	}

	srv.DropNextAfterWrite() // the gift takes effect, its answer is lost
	_, err = c.GiftCoupons(ctx, &houcaller.GiftCouponsRequest{MemberID: "L38E1ASJP00Q4", Phone: "13900139000", CouponCodes: sale.Codes()[1:]})
	key, unknown := couponkit.IdempotencyKey(err)
	fmt.Println(errors.Is(err, couponkit.ErrUnknownOutcome), unknown, key == "")
	last, err := c.LastSentCoupon(ctx, &houcaller.LastSentCouponRequest{MemberID: "L38E1ASJP00Q4", CouponID: "L68F353AD0019"})
	if err != nil {
		panic(err)
	}
	fmt.Println(last.Code, last.Status)
	// Output:
	// HKC0000000002 accepted to K1H93QDKI00B7
	// true true true
	// HKC0000000003 gifting
}

// A member's 豪礼卡 with their balances.
func ExampleClient_MemberStoredValueCards() {
	srv := houcallertest.NewServer(houcallertest.Config{})
	defer srv.Close()
	c, err := houcaller.NewClient(srv.ClientConfig())
	if err != nil {
		panic(err)
	}
	defer c.Close()
	srv.AddStoredValueCard("K1H93QDKI00B7", houcaller.StoredValueCard{CardNo: "9590004727313", CardType: "959",
		FaceValue: 100000, Balance: 55050, Activated: true, Giftable: true})

	res, err := c.MemberStoredValueCards(context.Background(), &houcaller.StoredValueCardsRequest{MemberID: "K1H93QDKI00B7"})
	if err != nil {
		panic(err)
	}
	for _, card := range res.Cards {
		fmt.Println(card.CardNo, card.CardType, card.Balance.Yuan(), "of", card.FaceValue.Yuan(), "yuan")
	}
	// Output:
	// 9590004727313 959 550.50 of 1000.00 yuan
}

// The coupons that come with buying a 豪礼卡 of kind 958 at restaurant 0101.
func ExampleClient_PromotionCoupons() {
	srv := houcallertest.NewServer(houcallertest.Config{})
	defer srv.Close()
	c, err := houcaller.NewClient(srv.ClientConfig())
	if err != nil {
		panic(err)
	}
	defer c.Close()
	srv.SetPromotion("0101", "958", []houcaller.PromotionCoupon{{ID: "JCUG0K10A53U8", Name: "CAS调研薯条免费券", Type: houcaller.CouponDineIn}})

	res, err := c.PromotionCoupons(context.Background(), &houcaller.PromotionCouponsRequest{OrgCode: "0101", CardType: "958"})
	if err != nil {
		panic(err)
	}
	for _, cp := range res.Coupons {
		fmt.Println(cp.ID, cp.Name, cp.Type == houcaller.CouponDineIn)
	}
	// Output:
	// JCUG0K10A53U8 CAS调研薯条免费券 true
}

// A member's points ledger over two months, page by page: each record with
// the order it is for, and each month's totals.
func ExampleClient_PointsLedger() {
	srv := houcallertest.NewServer(houcallertest.Config{})
	defer srv.Close()
	c, err := houcaller.NewClient(srv.ClientConfig())
	if err != nil {
		panic(err)
	}
	defer c.Close()
	bj := time.FixedZone("CST", 8*3600)
	for i, day := range []time.Time{time.Date(2023, 12, 2, 0, 0, 0, 0, bj), time.Date(2023, 12, 20, 0, 0, 0, 0, bj), time.Date(2024, 1, 5, 0, 0, 0, 0, bj)} {
		srv.AddPointsRecord("NC2D0RH4EROS6", houcaller.PointsRecord{ID: fmt.Sprint("r", i), OrderID: fmt.Sprint("O-", i), BizDate: day,
			Amount: couponkit.Fen(3000 * (i + 1)), PointsEarned: int64(30 * (i + 1)), ScoreType: houcaller.ScoreEarned})
	}

	for page, err := range c.PointsLedger(context.Background(), &houcaller.PointsLedgerRequest{
		Member: "NC2D0RH4EROS6", From: time.Date(2023, 12, 1, 0, 0, 0, 0, bj), To: time.Date(2024, 1, 1, 0, 0, 0, 0, bj), PageSize: 1,
	}) {
		if err != nil {
			panic(err) // errors.Is(err, couponkit.ErrPageRepeated), couponkit.ErrListShort …
		}
		for _, r := range page.Records {
			fmt.Println(page.Month.Format("2006-01"), page.Offset, r.OrderID, r.Amount.Yuan(), "+", r.PointsEarned, "of", page.TotalEarned)
		}
	}
	// Output:
	// 2023-12 0 O-0 30.00 + 30 of 90
	// 2023-12 1 O-1 60.00 + 60 of 90
	// 2024-01 0 O-2 90.00 + 90 of 90
}

// One page of a month's ledger, filtered to coupons bought with points.
func ExampleClient_PointsLedgerPage() {
	srv := houcallertest.NewServer(houcallertest.Config{})
	defer srv.Close()
	c, err := houcaller.NewClient(srv.ClientConfig())
	if err != nil {
		panic(err)
	}
	defer c.Close()
	bj := time.FixedZone("CST", 8*3600)
	srv.AddPointsRecord("NC2D0RH4EROS6", houcaller.PointsRecord{BizDate: time.Date(2023, 12, 20, 0, 0, 0, 0, bj), PointsSpent: 30,
		ScoreType: houcaller.ScoreExchanged, BusinessType: houcaller.BusinessCouponExchange, Remark: "轻烹商城兑券"})
	srv.AddPointsRecord("NC2D0RH4EROS6", houcaller.PointsRecord{BizDate: time.Date(2023, 12, 2, 0, 0, 0, 0, bj), PointsEarned: 120,
		ScoreType: houcaller.ScoreEarned})

	page, err := c.PointsLedgerPage(context.Background(), &houcaller.PointsPageRequest{
		Member: "NC2D0RH4EROS6", Month: time.Date(2023, 12, 1, 0, 0, 0, 0, bj), BusinessType: houcaller.BusinessCouponExchange.Ptr(),
	})
	if err != nil {
		panic(err)
	}
	for _, r := range page.Records {
		fmt.Println(r.BizDate.In(bj).Format(time.DateOnly), "-", r.PointsSpent, r.Remark)
	}
	fmt.Println("more:", page.More, "next offset:", page.NextOffset)
	// Output:
	// 2023-12-20 - 30 轻烹商城兑券
	// more: false next offset: 1
}
