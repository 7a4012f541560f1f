// Package houcallerdemo is the Houcaller example flow: sell a 名牛卡 to a
// member, print the coupon codes issued, list the member's coupons, look up
// where the card's last coupon went, and record the member's spending.
package houcallerdemo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/houcaller"
	"github.com/couponkit/couponkit/houcaller/houcallertest"
)

// Environment variables that point the demo at a real gateway. All three of
// the first must be set, or none (then the built-in fake is used).
const (
	EnvGateway = "HOUCALLER_GATEWAY" // base URL ending in /openapi/v1, such as houcaller.TestGateway
	EnvChannel = "HOUCALLER_CHANNEL" // the channel name
	EnvDESKey  = "HOUCALLER_DES_KEY" // the channel's 8-byte DES key
	// EnvCardInfoID and EnvMemberID optionally choose the card and member
	// (default: those of the vendor's examples).
	EnvCardInfoID = "HOUCALLER_CARD_INFO_ID"
	EnvMemberID   = "HOUCALLER_MEMBER_ID"
)

// Run sells one 名牛卡 (three cards' worth of coupons, 11.22 yuan) to a member
// and writes the codes issued to w, then lists the member's coupons (on the
// fake, after a till redeemed the first), looks up the card's last coupon,
// and records 30 yuan of spending: against the built-in fake, or against the
// gateway named by HOUCALLER_GATEWAY, HOUCALLER_CHANNEL and HOUCALLER_DES_KEY.
// On a real gateway the sale and the consumption are real writes.
func Run(ctx context.Context, w io.Writer) error {
	cfg, real, err := configFromEnv()
	if err != nil {
		return err
	}
	where := "the gateway " + cfg.Gateway
	var srv *houcallertest.Server
	if !real {
		srv = houcallertest.NewServer(houcallertest.Config{Shape: houcallertest.DataBoth})
		defer srv.Close()
		cfg = srv.ClientConfig()
		where = "the built-in fake gateway"
	}
	c, err := houcaller.NewClient(cfg)
	if err != nil {
		return err
	}
	defer c.Close()

	req := &houcaller.SellCardRequest{
		CardInfoID:  envOr(EnvCardInfoID, houcallertest.DefaultCardInfoID),
		SaleTime:    time.Now(),
		SaleUser:    "1345",
		SaleOrgCode: "526",
		PayAmount:   1122, // 11.22 yuan
		// SaleNo left empty: the client makes one and reports it. A real
		// integration makes and stores it with the order before calling.
		MemberID: envOr(EnvMemberID, "L38E1ASJP00Q4"),
		Count:    3,
	}
	fmt.Fprintf(w, "houcaller: selling 名牛卡 %s to member %s on %s\n", req.CardInfoID, req.MemberID, where)
	res, err := c.SellCard(ctx, req)
	if err != nil {
		if saleNo, ok := couponkit.IdempotencyKey(err); ok {
			return fmt.Errorf("the sale's outcome is unknown: check sale %s before selling again: %w", saleNo, err)
		}
		return err
	}
	fmt.Fprintf(w, "sale %s: %d card(s) for %s yuan, %d attempt(s)\n", res.SaleNo, req.Count, req.PayAmount.Yuan(), res.Meta.Attempts)
	for _, cp := range res.Coupons {
		fmt.Fprintf(w, "  coupon %s: %s\n", cp.CouponID, strings.Join(cp.Codes, ", "))
	}
	if card := res.Card; card != nil {
		fmt.Fprintf(w, "member card %s: %s, valid %s to %s (Beijing time)\n", card.ID, card.Status,
			card.BeginTime.Format(time.DateOnly), card.EndTime.Format(time.DateOnly))
		for _, p := range card.Products {
			fmt.Fprintf(w, "  product %s: %d use(s) every %d day(s), %d in all\n", p.CardProductName, p.UsesPerCycle, p.CycleDays, p.TotalUses)
		}
	}
	if len(res.Codes()) == 0 {
		return errors.New("the gateway issued no coupon code")
	}
	fmt.Fprintf(w, "%d coupon code(s) issued\n", len(res.Codes()))
	return afterSale(ctx, w, c, srv, req, res)
}

// afterSale is the rest of the flow: the member's coupons, the card's last
// coupon, and a consumption record. srv is the fake, or nil on a real gateway.
func afterSale(ctx context.Context, w io.Writer, c *houcaller.Client, srv *houcallertest.Server, sale *houcaller.SellCardRequest, res *houcaller.SellCardResult) error {
	if srv != nil {
		// A till redeems the first code (on the fake only).
		srv.UseCoupon(res.Codes()[0], "POS-526-0001", sale.SaleOrgCode, time.Now())
	}
	coupons, err := c.MemberCoupons(ctx, &houcaller.MemberCouponsRequest{MemberID: sale.MemberID})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "member %s holds %d coupon(s):\n", sale.MemberID, len(coupons.Coupons))
	for _, cp := range coupons.Coupons {
		fmt.Fprintf(w, "  %s %s: %s, valid %s to %s\n", cp.Code, cp.Name, cp.Status,
			cp.BeginDate.Format(time.DateOnly), cp.EndDate.Format(time.DateOnly))
	}

	item := res.Coupons[0].CouponID
	last, err := c.LastSentCoupon(ctx, &houcaller.LastSentCouponRequest{MemberID: sale.MemberID, CouponID: item})
	if err != nil {
		return err
	}
	switch {
	case !last.Found:
		fmt.Fprintf(w, "no coupon of item %s was sent to the member\n", item)
	case last.UseOrderNo != "":
		fmt.Fprintf(w, "last coupon of item %s: %s, %s, sold in order %s, used in order %s at %s\n",
			item, last.Code, last.Status, last.SaleOrderNo, last.UseOrderNo, last.UseShop)
	default:
		fmt.Fprintf(w, "last coupon of item %s: %s, %s, sold in order %s\n", item, last.Code, last.Status, last.SaleOrderNo)
	}

	cons := &houcaller.ConsumptionRequest{
		// SerialCode left empty: the client makes one and reports it, also
		// in an unknown outcome's error.
		MemberID: sale.MemberID, OrderID: "POS-526-0002", OrgCode: sale.SaleOrgCode,
		Amount: 3000, PaidAmount: 3000, HaobiAmount: 3000, BizDate: time.Now(), Remark: "couponkit demo",
	}
	rec, err := c.RecordConsumption(ctx, cons)
	if err != nil {
		if serial, ok := couponkit.IdempotencyKey(err); ok {
			return fmt.Errorf("the consumption's outcome is unknown: check serialCode %s before recording again: %w", serial, err)
		}
		return err
	}
	fmt.Fprintf(w, "consumption %s recorded for order %s: %s yuan, %d 豪币 earned\n",
		rec.SerialCode, rec.OrderID, rec.Amount.Yuan(), rec.HaobiEarned)
	return nil
}

// configFromEnv reads the gateway settings: all of them, or none.
func configFromEnv() (houcaller.Config, bool, error) {
	cfg := houcaller.Config{Gateway: os.Getenv(EnvGateway), Channel: os.Getenv(EnvChannel), DESKey: os.Getenv(EnvDESKey)}
	switch set := btoi(cfg.Gateway != "") + btoi(cfg.Channel != "") + btoi(cfg.DESKey != ""); set {
	case 0:
		return cfg, false, nil
	case 3:
		return cfg, true, nil
	default:
		return cfg, false, fmt.Errorf("houcaller demo: set all of %s, %s and %s for a real gateway, or none for the fake", EnvGateway, EnvChannel, EnvDESKey)
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
