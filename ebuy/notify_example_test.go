package ebuy_test

import (
	"context"
	"fmt"
	"log"
	"net/http/httptest"
	"time"

	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/ebuy/ebuytest"
)

// e-Buy's pages print some notifications without a sign. ConfirmUnsigned
// checks each unsigned one against the code's history on e-Buy before the
// function sees it, and refuses what the history does not show.
func ExampleConfirmUnsigned() {
	ctx := context.Background()
	fake := ebuytest.NewServer(ebuytest.Config{})
	defer fake.Close()
	c, err := ebuy.NewClient(fake.ClientConfig()) // the client of your app
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	codes := fake.SeedCodes(2, ebuy.StatusUnused)
	if _, err := fake.Redeem("1490", "北京银泰店", codes[0]); err != nil {
		log.Fatal(err)
	}

	h := ebuy.NewNotifyHandler(fake.Secret(), func(ctx context.Context, ev ebuy.Event) error {
		fmt.Println(ev.Kind, ev.Items[0].Code, "signed:", ev.Signed, "confirmed:", ev.Confirmed)
		return nil
	},
		ebuy.WithUnsigned(ebuy.ConfirmUnsigned(c)),
		ebuy.WithHandlerTimeout(10*time.Second),
	)
	srv := httptest.NewServer(h) // your HTTPS endpoint registered with e-Buy
	defer srv.Close()

	// Unsigned, in the flat layout of e-Buy's page 31fef-pMS.
	n := fake.Notifier(ebuytest.NotifierConfig{URL: srv.URL, Layout: ebuytest.LayoutFlat, Unsigned: true})
	if err := n.SendVerify(ctx, codes[0]); err != nil {
		log.Fatal(err)
	}
	// codes[1] was never redeemed: refused, and e-Buy would send it again.
	fmt.Println(n.SendVerify(ctx, codes[1]) != nil, len(n.Unacknowledged()))
	// Output:
	// verify 1031000000000000001 signed: false confirmed: true
	// true 1
}
