// Package ebuydemo is the e-Buy 电子券 4.1 example flow: make codes,
// activate them, freeze, unfreeze and deactivate some, read a code's history,
// report a till redemption and take it back after a refund, issue codes to a
// sales channel's order, and receive a redemption notification through the
// notification handler.
package ebuydemo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/ebuy/ebuytest"
	"github.com/couponkit/couponkit/internal/cntime"
)

// Environment variables that point the demo at a real gateway. The four
// must all be set, or none (then the built-in fake is used).
const (
	EnvGateway   = "EBUY_GATEWAY"    // the base URL, such as ebuy.TestGateway
	EnvAppID     = "EBUY_APP_ID"     // the appId e-Buy issued
	EnvAppSecret = "EBUY_APP_SECRET" // its key
	EnvBrandID   = "EBUY_BRAND_ID"   // the brand
	// EnvTicketID optionally names the batch (whaleTicketId) to make codes
	// of on a real gateway (default: the fake's product, 1031000000010741).
	EnvTicketID = "EBUY_TICKET_ID"
)

// Run makes three codes and activates them, freezes two, unfreezes one,
// deactivates it, prints the first code's history, reports the third code
// redeemed at a till and takes the redemption back (a refund), issues two
// codes to a sales channel's order and, on the fake, receives
// a signed redemption notification through ebuy.NewNotifyHandler on a local
// server. It writes each step to w: against the built-in fake, or against the
// gateway named by EBUY_GATEWAY, EBUY_APP_ID, EBUY_APP_SECRET and
// EBUY_BRAND_ID. On a real gateway these are real codes.
func Run(ctx context.Context, w io.Writer) error {
	cfg, real, err := configFromEnv()
	if err != nil {
		return err
	}
	ticket := ebuytest.DefaultProductID
	if v := os.Getenv(EnvTicketID); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return fmt.Errorf("%s: not a batch id: %q", EnvTicketID, v)
		}
		ticket = ebuy.TicketID(n)
	}
	where := "the gateway " + cfg.Gateway
	var fake *ebuytest.Server
	if !real {
		fake = ebuytest.NewServer(ebuytest.Config{})
		defer fake.Close()
		cfg = fake.ClientConfig()
		where = "the built-in fake gateway"
	}
	c, err := ebuy.NewClient(cfg, couponkit.WithTimeout(20*time.Second))
	if err != nil {
		return err
	}
	defer c.Close()
	fmt.Fprintf(w, "ebuy: e-Buy 电子券 4.1 on %s (appId %s, brand %s)\n", where, cfg.AppID, cfg.BrandID)

	if p, err := c.ProductDetail(ctx, &ebuy.ProductDetailRequest{ProductID: ticket}); err == nil {
		fmt.Fprintf(w, "product %s: %s (%s, %d use(s))\n", p.ProductID, p.ProductName, p.ProductType, p.UseTimes)
	} else {
		fmt.Fprintf(w, "product %s: %v\n", ticket, err)
	}

	order := "DEMO-" + time.Now().In(cntime.Location()).Format("20060102150405")
	made, err := c.ThirdBatchMake(ctx, &ebuy.ThirdBatchMakeRequest{SaleChannelOrderID: order, TicketID: ticket, Count: 3, FaceValue: 3000})
	if err != nil {
		return explain("make codes", err)
	}
	codes := make([]string, len(made.Codes))
	for i, m := range made.Codes {
		codes[i] = m.Code
	}
	fmt.Fprintf(w, "made %d codes for order %s: %s\n", len(codes), order, strings.Join(codes, ", "))
	if len(codes) < 3 {
		return fmt.Errorf("make codes: e-Buy made %d codes, want 3", len(codes))
	}

	act, err := c.ActivateCodes(ctx, &ebuy.ActivateCodesRequest{Codes: codes, ValidDays: 30,
		Activation: &ebuy.ActivateInfo{ShopNo: "DEMO-01"}, Funds: &ebuy.Funds{UserRealAmount: 2800, MerchantRealAmount: 2800}})
	if err != nil {
		return explain("activate", err)
	}
	fmt.Fprintf(w, "activated %d codes (%d attempt(s))\n", act.Count, act.Meta.Attempts)
	printStatuses(w, act.Codes)

	if err := update(ctx, w, c, ebuy.UpdateFreeze, codes[:2]); err != nil {
		return err
	}
	if err := update(ctx, w, c, ebuy.UpdateUnfreeze, codes[:1]); err != nil {
		return err
	}
	deact, err := c.DeactivateCodes(ctx, &ebuy.DeactivateCodesRequest{Codes: codes[:1]})
	if err != nil {
		return explain("deactivate", err)
	}
	fmt.Fprintf(w, "deactivated %d code\n", deact.Count)
	printStatuses(w, deact.Codes)

	h, err := c.CodeHistory(ctx, &ebuy.CodeHistoryRequest{Code: codes[0]})
	if err != nil {
		return explain("history", err)
	}
	fmt.Fprintf(w, "history of %s:\n", codes[0])
	for _, r := range h.Records {
		fmt.Fprintf(w, "  %s  type %s  %s\n", r.Time.Format("2006-01-02 15:04:05"), r.Type, r.ReturnMessage)
	}

	if err := refund(ctx, w, c, codes[2]); err != nil {
		return err
	}
	if err := issue(ctx, w, c, ticket, real); err != nil {
		return err
	}

	if fake == nil {
		fmt.Fprintln(w, "notifications: e-Buy posts them to the URL registered for your appId; mount ebuy.NewNotifyHandler there")
		return nil
	}
	return receiveNotification(ctx, w, fake, codes[2])
}

// refund reports code redeemed at a till (SyncRedemptions) and takes the
// redemption back under the same cashierTransNo (CancelSyncedRedemptions):
// the code is usable again.
func refund(ctx context.Context, w io.Writer, c *ebuy.Client, code string) error {
	till := "POS-" + time.Now().In(cntime.Location()).Format("20060102150405")
	if _, err := c.SyncRedemptions(ctx, &ebuy.SyncRedemptionsRequest{CashierTransNo: till, Codes: []string{code}, Scene: "offline",
		Store: ebuy.StoreInfo{ShopNo: "1490", ShopName: "北京银泰店"}}); err != nil {
		return explain("report redemption", err)
	}
	fmt.Fprintf(w, "redeemed %s at a till (cashierTransNo %s)\n", code, till)
	res, err := c.CancelSyncedRedemptions(ctx, &ebuy.CancelSyncedRedemptionsRequest{CashierTransNo: till})
	if err != nil {
		return explain("take back redemption", err)
	}
	for _, r := range res.Codes {
		fmt.Fprintf(w, "refund: redemption of %s taken back (%s), the code is usable again\n", r.Code, r.StatusDescription)
	}
	return nil
}

// issue issues two codes of ticket to a sales channel's order (MakeCodes).
// On a real gateway an app without the sales-channel role is refused: the
// demo says so and goes on.
func issue(ctx context.Context, w io.Writer, c *ebuy.Client, ticket ebuy.TicketID, real bool) error {
	order := "WX-" + time.Now().In(cntime.Location()).Format("20060102150405")
	res, err := c.MakeCodes(ctx, &ebuy.MakeCodesRequest{OuterOrderID: order, TicketID: ticket, Count: 2, Remark: "couponkit demo"})
	if err != nil {
		if real && !errors.Is(err, couponkit.ErrUnknownOutcome) {
			fmt.Fprintf(w, "issue codes to order %s: %v\n", order, err)
			return nil
		}
		return explain("issue codes", err)
	}
	issued := make([]string, len(res.Codes))
	for i, ic := range res.Codes {
		issued[i] = ic.Code
	}
	fmt.Fprintf(w, "issued %d codes to sales order %s: %s\n", len(issued), order, strings.Join(issued, ", "))
	return nil
}

// receiveNotification redeems code at a till on the fake, has the fake post
// its signed notification to a local handler, and prints the event.
func receiveNotification(ctx context.Context, w io.Writer, fake *ebuytest.Server, code string) error {
	events := make(chan ebuy.Event, 1)
	srv := httptest.NewServer(ebuy.NewNotifyHandler(fake.Secret(), func(_ context.Context, ev ebuy.Event) error {
		events <- ev
		return nil
	}))
	defer srv.Close()
	if _, err := fake.Redeem("1490", "北京银泰店", code); err != nil {
		return err
	}
	if err := fake.SendVerifyNotify(ctx, srv.URL, code); err != nil {
		return fmt.Errorf("notification: %w", err)
	}
	ev := <-events
	for _, it := range ev.Items {
		fmt.Fprintf(w, "notification %s (uuid %s): code %s of batch %s redeemed at %s, acknowledged\n",
			ev.Kind, ev.UUID, it.Code, it.TicketID, it.VerifyDate.Format("2006-01-02 15:04:05"))
	}
	return nil
}

func update(ctx context.Context, w io.Writer, c *ebuy.Client, t ebuy.UpdateType, codes []string) error {
	res, err := c.UpdateCodeStatus(ctx, &ebuy.UpdateCodeStatusRequest{Type: t, Codes: codes})
	if err != nil {
		return explain(string(t), err)
	}
	fmt.Fprintf(w, "%s: %d code(s)\n", t, len(res.Codes))
	for _, r := range res.Codes {
		fmt.Fprintf(w, "  %s  %s (%s)\n", r.Code, r.Status, r.StatusDescription)
	}
	return nil
}

func printStatuses(w io.Writer, ds []ebuy.CodeDetail) {
	for _, d := range ds {
		fmt.Fprintf(w, "  %s  %s (%s)\n", d.Code, d.Status, d.StatusDescription)
	}
}

// explain wraps err with the step, and says what to do when a write's outcome
// is unknown.
func explain(step string, err error) error {
	if key, ok := couponkit.IdempotencyKey(err); ok {
		return fmt.Errorf("%s: outcome unknown, check before retrying with key %s: %w", step, key, err)
	}
	return fmt.Errorf("%s: %w", step, err)
}

func configFromEnv() (ebuy.Config, bool, error) {
	vars := []string{EnvGateway, EnvAppID, EnvAppSecret, EnvBrandID}
	var set, unset []string
	for _, v := range vars {
		if os.Getenv(v) != "" {
			set = append(set, v)
		} else {
			unset = append(unset, v)
		}
	}
	switch {
	case len(set) == 0:
		return ebuy.Config{}, false, nil
	case len(unset) > 0:
		return ebuy.Config{}, false, errors.New("set all of " + strings.Join(vars, ", ") + " or none; missing " + strings.Join(unset, ", "))
	}
	return ebuy.Config{Gateway: os.Getenv(EnvGateway), AppID: os.Getenv(EnvAppID), AppSecret: os.Getenv(EnvAppSecret),
		BrandID: os.Getenv(EnvBrandID)}, true, nil
}
