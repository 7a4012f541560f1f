// Package houcallerdemo is the Houcaller example flow: sell a 名牛卡 to a
// member and print the coupon codes issued.
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
// and writes the codes issued to w: against the built-in fake, or against the
// gateway named by HOUCALLER_GATEWAY, HOUCALLER_CHANNEL and HOUCALLER_DES_KEY.
// On a real gateway this is a real sale.
func Run(ctx context.Context, w io.Writer) error {
	cfg, real, err := configFromEnv()
	if err != nil {
		return err
	}
	where := "the gateway " + cfg.Gateway
	if !real {
		srv := houcallertest.NewServer(houcallertest.Config{Shape: houcallertest.DataBoth})
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
