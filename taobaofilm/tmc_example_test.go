package taobaofilm_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/taobaofilm"
	"github.com/couponkit/couponkit/taobaofilm/taobaofilmtest"
)

// Permit the session's user TMC messages, take a batch and confirm it. The
// fake produces a message when it issues codes; its topic is the fake's
// own (TOP publishes no film-code topic).
func ExampleClient_ConsumeMessages() {
	srv := taobaofilmtest.NewServer(taobaofilmtest.Config{Session: "user-session"})
	defer srv.Close()
	c, err := taobaofilm.NewClient(srv.ClientConfig()) // Gateway, AppKey, AppSecret, Session
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()

	if _, err := c.PermitUser(ctx, &taobaofilm.PermitUserRequest{}); err != nil { // every topic of the app
		log.Fatal(err)
	}
	if _, err := c.SendCodes(ctx, &taobaofilm.SendCodesRequest{MixID: taobaofilmtest.DefaultMixID, PartnerCode: taobaofilmtest.DefaultPartnerCode, ExtOrderID: "ORDER-1", Number: 2}); err != nil {
		log.Fatal(err)
	}

	batch, err := c.ConsumeMessages(ctx, &taobaofilm.ConsumeMessagesRequest{Quantity: 50})
	if err != nil {
		log.Fatal(err)
	}
	var handled []int64
	for _, m := range batch.Messages {
		var sent taobaofilmtest.CodesSentContent
		if err := m.DecodeContent(&sent); err != nil {
			continue // not confirmed: TMC hands it out again
		}
		fmt.Println(m.Topic, sent.ExtOrderID, len(sent.Codes), "codes")
		handled = append(handled, m.ID)
	}
	if _, err := c.ConfirmMessages(ctx, &taobaofilm.ConfirmMessagesRequest{IDs: handled}); err != nil {
		log.Fatal(err) // those whose confirm is lost come back
	}
	fmt.Println("left:", len(srv.Queue("")))
	// Output:
	// taobaofilmtest_CodesSent ORDER-1 2 codes
	// left: 0
}

// Hand every message to a function until the context ends: a message is
// confirmed only after the function returned nil for it, and one it failed
// comes back. Give WithClaimStore a shared store (the Redis or PostgreSQL
// module's) when several processes pull one group.
func ExampleClient_HandleMessages() {
	srv := taobaofilmtest.NewServer(taobaofilmtest.Config{Session: "user-session"})
	defer srv.Close()
	c, err := taobaofilm.NewClient(srv.ClientConfig())
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	if _, err := c.PermitUser(ctx, &taobaofilm.PermitUserRequest{Topics: []string{taobaofilmtest.TopicCodeRedeemed}}); err != nil {
		log.Fatal(err)
	}
	for seq := int64(1); seq <= 2; seq++ {
		if err := srv.Redeem(taobaofilmtest.DefaultMixID, seq, srv.Clock().Now()); err != nil {
			log.Fatal(err)
		}
	}

	seen := 0
	err = c.HandleMessages(ctx, &taobaofilm.HandleMessagesRequest{BatchSize: 10}, func(ctx context.Context, m *taobaofilm.Message) error {
		var r taobaofilmtest.CodeRedeemedContent
		if err := m.DecodeContent(&r); err != nil {
			return err // not confirmed
		}
		fmt.Println(m.Topic, r.MixID)
		if seen++; seen == 2 {
			cancel() // a real consumer runs until its process stops
		}
		return nil
	})
	fmt.Println(err, "- confirmed:", len(srv.Confirmed("")))
	// Output:
	// taobaofilmtest_CodeRedeemed code_8ebc4e741689bbc1
	// taobaofilmtest_CodeRedeemed code_8ebc4e741689bbc1
	// context canceled - confirmed: 2
}

// Permit the session's user two topics; a later permit replaces them, so
// send every topic the user is to get.
func ExampleClient_PermitUser() {
	srv := taobaofilmtest.NewServer(taobaofilmtest.Config{Session: "user-session"})
	defer srv.Close()
	c, err := taobaofilm.NewClient(srv.ClientConfig())
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	res, err := c.PermitUser(context.Background(), &taobaofilm.PermitUserRequest{Topics: []string{taobaofilmtest.TopicCodesSent, taobaofilmtest.TopicCodeRedeemed}})
	if err != nil {
		log.Fatal(err) // an unknown outcome reports the topics: sending them again is harmless
	}
	topics, _ := srv.PermittedTopics(taobaofilmtest.UserID)
	fmt.Println(res.Topics, topics)
	// Output:
	// [taobaofilmtest_CodesSent taobaofilmtest_CodeRedeemed] [taobaofilmtest_CodesSent taobaofilmtest_CodeRedeemed]
}

// Confirm only what was handled: a message left unconfirmed is handed out
// again once TMC's delay has passed (the fake's RedeliveryDelay, here on a
// manual clock).
func ExampleClient_ConfirmMessages() {
	clk := couponkittest.NewClock(time.Date(2024, 6, 1, 8, 0, 0, 0, time.UTC))
	srv := taobaofilmtest.NewServer(taobaofilmtest.Config{Clock: clk})
	defer srv.Close()
	c, err := taobaofilm.NewClient(srv.ClientConfig(), couponkit.WithClock(clk))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()
	done := srv.Publish("", "t_Done", `{}`)
	srv.Publish("", "t_Failed", `{}`)

	batch, err := c.ConsumeMessages(ctx, &taobaofilm.ConsumeMessagesRequest{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("handed out:", len(batch.Messages))
	if _, err := c.ConfirmMessages(ctx, &taobaofilm.ConfirmMessagesRequest{IDs: []int64{done}}); err != nil {
		log.Fatal(err)
	}
	clk.Advance(taobaofilmtest.DefaultRedeliveryDelay)
	again, err := c.ConsumeMessages(ctx, &taobaofilm.ConsumeMessagesRequest{})
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range again.Messages {
		fmt.Println("again:", m.Topic)
	}
	// Output:
	// handed out: 2
	// again: t_Failed
}
