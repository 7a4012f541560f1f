package ebuytest_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/ebuy/ebuytest"
)

// A test of a notification handler, without a socket or a fake: build the
// signed body e-Buy would post, and serve it with httptest.NewRecorder.
// The handler answers 503 while the function fails (e-Buy sends the
// notification again) and acknowledges it with 200 once it succeeds.
func ExampleNotificationBody() {
	secret := ebuytest.DefaultAppSecret // your app secret at e-Buy
	body, contentType, err := ebuytest.NotificationBody(secret, ebuytest.Notification{
		Kind: ebuy.EventVerify,
		UUID: "20261201-0123456789abcdef0123456789abcdef",
		Time: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC),
		Items: []ebuy.NotifyItem{{
			Code: "1031000000000000001", TicketID: ebuytest.DefaultProductID, OuterOrderID: "O-1",
			CodeCount: 1, VerifyDate: time.Date(2026, 12, 1, 9, 59, 0, 0, time.UTC),
		}},
	}, ebuytest.LayoutEnvelope)
	if err != nil {
		log.Fatal(err)
	}

	dbDown := true
	h := ebuy.NewNotifyHandler(secret, func(ctx context.Context, ev ebuy.Event) error {
		if dbDown {
			return errors.New("database down")
		}
		fmt.Println("handled", ev.Kind, ev.Items[0].Code)
		return nil
	})
	post := func() *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, "/notify", bytes.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		h.ServeHTTP(rec, req)
		return rec
	}

	rec := post()
	fmt.Println(rec.Code, rec.Body.String())
	dbDown = false
	rec = post() // e-Buy's next delivery
	fmt.Println(rec.Code, "signed ack:", ebuy.VerifyNotificationSign(rec.Body.Bytes(), secret) == nil)
	// Output:
	// 503 {"errorCode":"SYSTEM_ERROR","errorMessage":"notification not handled; retry later","success":false}
	// handled verify 1031000000000000001
	// 200 signed ack: true
}

// A Notifier with a Handler delivers the fake's notifications to your
// handler in this process: no listener, no port. Unacknowledged
// notifications are kept, and re-sent unchanged when asked.
func ExampleServer_Notifier() {
	ctx := context.Background()
	fake := ebuytest.NewServer(ebuytest.Config{InMemory: true})
	defer fake.Close()
	codes := fake.SeedCodes(1, ebuy.StatusUnused)
	if _, err := fake.Redeem("1490", "北京银泰店", codes...); err != nil {
		log.Fatal(err)
	}

	calls := 0
	h := ebuy.NewNotifyHandler(fake.Secret(), func(ctx context.Context, ev ebuy.Event) error {
		calls++
		if calls == 1 {
			return errors.New("database down")
		}
		fmt.Println("handled", ev.Kind, ev.Items[0].Code, "signed:", ev.Signed)
		return nil
	})
	n := fake.Notifier(ebuytest.NotifierConfig{Handler: h})
	fmt.Println(n.SendVerify(ctx, codes...) != nil, len(n.Unacknowledged()))
	sent, err := n.ResendUnacknowledged(ctx)
	fmt.Println(sent, err, len(n.Unacknowledged()))
	// Output:
	// true 1
	// handled verify 1031000000000000001 signed: true
	// 1 <nil> 0
}

// A make notification (制码通知, page a516a) tells a sales channel which
// codes e-Buy made for its order. The fake sends one for an order made
// with MakeCodes, in the page's layout, to your handler in this process.
func ExampleNotifier_SendMake() {
	ctx := context.Background()
	fake := ebuytest.NewServer(ebuytest.Config{InMemory: true})
	defer fake.Close()
	c, err := ebuy.NewClient(fake.ClientConfig(), fake.ClientOption())
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	if _, err := c.MakeCodes(ctx, &ebuy.MakeCodesRequest{OuterOrderID: "OO-1", TicketID: ebuytest.DefaultProductID, Count: 2}); err != nil {
		log.Fatal(err)
	}

	h := ebuy.NewNotifyHandler(fake.Secret(), func(ctx context.Context, ev ebuy.Event) error {
		if ev.Kind != ebuy.EventMake {
			return nil
		}
		fmt.Println("order", ev.Make.OuterOrderID)
		for _, line := range ev.Make.Items {
			for _, code := range line.Codes {
				fmt.Println(line.TicketID, code.Code, code.Mask, code.Status)
			}
		}
		return nil
	})
	n := fake.Notifier(ebuytest.NotifierConfig{Handler: h, Layout: ebuytest.LayoutNotifyParam})
	fmt.Println(n.SendMake(ctx, "OO-1"))
	// Output:
	// order OO-1
	// 1031000000010741 1031000000000000001 1031********0001 unused
	// 1031000000010741 1031000000000000002 1031********0002 unused
	// <nil>
}
