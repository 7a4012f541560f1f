// Package zvcmsdemo is the zvcms example flow: list a customer's unused
// coupons, redeem one, reverse the redemption, and issue a coupon.
package zvcmsdemo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/zvcms"
	"github.com/couponkit/couponkit/zvcms/zvcmstest"
)

// Environment variables that point the demo at a real gateway. The first four
// must all be set, or none (then the built-in fake is used).
const (
	EnvGateway   = "ZVCMS_GATEWAY"    // base URL, such as zvcms.ProductionGateway (plain HTTP: the only one published)
	EnvOpenID    = "ZVCMS_OPEN_ID"    // the application's openId
	EnvOpenKey   = "ZVCMS_OPEN_KEY"   // the application's openKey (token key)
	EnvGrantCode = "ZVCMS_GRANT_CODE" // the grantCode
	// EnvCustomerID names the customer whose coupons are listed (default: the
	// vendor's example customer).
	EnvCustomerID = "ZVCMS_CUSTOMER_ID"
	// EnvChannel is the merchant account (channel) a redemption is made for
	// (default: the vendor's example, "naixue").
	EnvChannel = "ZVCMS_CHANNEL"
	// EnvRedeem must be "1" for the demo to redeem a coupon on a real gateway;
	// otherwise it only lists, since a redemption spends a customer's coupon.
	EnvRedeem = "ZVCMS_REDEEM"
	// EnvIssue must be "1" for the demo to issue a coupon (of the kind of the
	// first one listed) on a real gateway.
	EnvIssue = "ZVCMS_ISSUE"
)

// Run lists a customer's unused coupons, redeems the first one, reverses
// the redemption and issues the customer one more coupon of the same kind,
// writing a summary to w: against the built-in fake (seeded with three
// coupons), or against the gateway named by ZVCMS_GATEWAY, ZVCMS_OPEN_ID,
// ZVCMS_OPEN_KEY and ZVCMS_GRANT_CODE, where it redeems (and reverses) only
// when ZVCMS_REDEEM=1 and issues only when ZVCMS_ISSUE=1.
func Run(ctx context.Context, w io.Writer) error {
	cfg, real, err := configFromEnv()
	if err != nil {
		return err
	}
	customer := envOr(EnvCustomerID, zvcmstest.DefaultCustomerID)
	channel := envOr(EnvChannel, zvcmstest.DefaultChannel)
	where := "the gateway " + cfg.Gateway
	var srv *zvcmstest.Server
	if !real {
		srv = zvcmstest.NewServer(zvcmstest.Config{})
		defer srv.Close()
		seed(srv, customer)
		cfg = srv.ClientConfig()
		where = "the built-in fake gateway"
	}
	c, err := zvcms.NewClient(cfg)
	if err != nil {
		return err
	}
	defer c.Close()

	fmt.Fprintf(w, "zvcms: unused coupons of customer %s on %s (dates in Beijing time)\n", customer, where)
	list, err := c.GetCustomerCoupons(ctx, &zvcms.CustomerCouponsRequest{CustomerID: customer, UseStatus: zvcms.UseStatusUnused.Ptr()})
	if err != nil {
		return err
	}
	for _, cp := range list.Coupons {
		fmt.Fprintf(w, "  %s  %-13s  valid %s to %s  %s\n", cp.CardID, cp.Type, date(cp.BeginAt), date(cp.EndAt), cp.Title)
	}
	if len(list.Coupons) == 0 {
		fmt.Fprintln(w, "no unused coupon: nothing to redeem")
		return nil
	}
	if real && os.Getenv(EnvRedeem) != "1" {
		fmt.Fprintf(w, "not redeeming on a real gateway (set %s=1 to redeem %s)\n", EnvRedeem, list.Coupons[0].CardID)
		return nil
	}

	cp := list.Coupons[0]
	req := &zvcms.WriteOffRequest{
		Channel:     channel,
		CustomerID:  customer,
		CardIDs:     []string{cp.CardID},
		Ext:         zvcms.WriteOffExt{ChannelType: zvcms.ChannelTypeThirdParty, OrderNo: "demo-" + time.Now().Format("20060102150405")},
		OrderAmount: 5800, // 58.00 yuan
		Amount:      1000, // 10.00 yuan
	}
	res, err := c.WriteOffCoupon(ctx, req)
	if err != nil {
		if bizID, ok := couponkit.IdempotencyKey(err); ok {
			return fmt.Errorf("the redemption's outcome is unknown: query coupon %s, or send bizId %s again: %w", cp.CardID, bizID, err)
		}
		return err
	}
	fmt.Fprintf(w, "redeemed %s (order %s yuan, %s yuan off) with bizId %s in %d attempt(s)\n",
		cp.CardID, req.OrderAmount.Yuan(), req.Amount.Yuan(), res.BizID, res.Meta.Attempts)

	// Redeeming it again under a new bizId is refused by the vendor.
	req.BizID = ""
	_, err = c.WriteOffCoupon(ctx, req)
	var e *couponkit.Error
	switch {
	case err == nil:
		return errors.New("the gateway redeemed the same coupon twice")
	case errors.As(err, &e):
		fmt.Fprintf(w, "redeeming it again is refused: code %s, %s (%s fault)\n", e.Code, e.Message, e.Fault)
	default:
		return err
	}

	after, err := c.GetCustomerCoupons(ctx, &zvcms.CustomerCouponsRequest{CustomerID: customer, CardID: cp.CardID})
	if err != nil {
		return err
	}
	if len(after.Coupons) == 1 {
		fmt.Fprintf(w, "coupon %s is now %s\n", cp.CardID, after.Coupons[0].UseStatus)
	}

	// The order is refunded: reverse the redemption by the bizId the vendor
	// returned for it.
	reverse := res.ReverseRequest()
	reverse.CustomerID = customer
	rev, err := c.ReverseWriteOff(ctx, reverse)
	if err != nil {
		if bizID, ok := couponkit.IdempotencyKey(err); ok {
			return fmt.Errorf("the reversal's outcome is unknown: query coupon %s, or reverse bizId %s again: %w", cp.CardID, bizID, err)
		}
		return err
	}
	after, err = c.GetCustomerCoupons(ctx, &zvcms.CustomerCouponsRequest{CustomerID: customer, CardID: cp.CardID})
	if err != nil {
		return err
	}
	if len(after.Coupons) == 1 {
		fmt.Fprintf(w, "reversed bizId %s: coupon %s is %s again\n", rev.BizID, cp.CardID, after.Coupons[0].UseStatus)
	}
	return issue(ctx, w, c, real, customer, cp)
}

// issue gives the customer one more coupon of cp's kind and lists the
// customer's coupons page by page.
func issue(ctx context.Context, w io.Writer, c *zvcms.Client, real bool, customer string, cp zvcms.Coupon) error {
	if real && os.Getenv(EnvIssue) != "1" {
		fmt.Fprintf(w, "not issuing on a real gateway (set %s=1 to issue a coupon %s)\n", EnvIssue, cp.CouponID)
		return nil
	}
	res, err := c.IssueCoupons(ctx, &zvcms.IssueRequest{CustomerID: customer, CouponID: cp.CouponID, Num: 1})
	if err != nil {
		if bizID, ok := couponkit.IdempotencyKey(err); ok {
			return fmt.Errorf("the issue's outcome is unknown: list the customer's coupons before issuing again (bizId %s): %w", bizID, err)
		}
		return err
	}
	fmt.Fprintf(w, "issued %d coupon(s) of %s (%s) with bizId %s: %v\n", res.Num, cp.CouponID, cp.Title, res.BizID, res.CardIDs)
	fmt.Fprintln(w, "unused coupons now, page by page:")
	for p, err := range c.CustomerCouponList(ctx, &zvcms.CouponListRequest{CustomerID: customer, UseStatus: zvcms.UseStatusUnused.Ptr(), PageSize: 2}) {
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "  %s  %-13s  %s\n", p.CardID, p.Type, p.Title)
	}
	return nil
}

// seed gives the fake's customer two unused coupons and a redeemed one.
func seed(srv *zvcmstest.Server, customer string) {
	day := 24 * time.Hour
	now := time.Now()
	srv.AddCoupon(zvcms.Coupon{CustomerID: customer, Title: "满50减10", Type: zvcms.CouponTypeCash, TemplateID: 895,
		BeginAt: now.Add(-day), EndAt: now.Add(30 * day)})
	srv.AddCoupon(zvcms.Coupon{CustomerID: customer, Title: "免配送费", Type: zvcms.CouponTypeFreeDelivery, TemplateID: 951,
		BeginAt: now.Add(-day), EndAt: now.Add(7 * day)})
	srv.AddCoupon(zvcms.Coupon{CustomerID: customer, Title: "停车2小时", Type: zvcms.CouponTypeParking, TemplateID: 960,
		UseStatus: zvcms.UseStatusRedeemed})
}

// configFromEnv reads the gateway settings: all four, or none.
func configFromEnv() (zvcms.Config, bool, error) {
	cfg := zvcms.Config{Gateway: os.Getenv(EnvGateway), OpenID: os.Getenv(EnvOpenID), OpenKey: os.Getenv(EnvOpenKey), GrantCode: os.Getenv(EnvGrantCode)}
	set := 0
	for _, v := range []string{cfg.Gateway, cfg.OpenID, cfg.OpenKey, cfg.GrantCode} {
		if v != "" {
			set++
		}
	}
	switch set {
	case 0:
		return cfg, false, nil
	case 4:
		return cfg, true, nil
	default:
		return cfg, false, fmt.Errorf("zvcms demo: set all of %s, %s, %s and %s for a real gateway, or none for the fake",
			EnvGateway, EnvOpenID, EnvOpenKey, EnvGrantCode)
	}
}

func date(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Format(time.DateOnly)
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
