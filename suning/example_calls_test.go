package suning_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"

	"github.com/couponkit/couponkit/suning"
	"github.com/couponkit/couponkit/suning/suningtest"
)

// Modify sends the whole activity again under its ActionID, with a new
// enrollInfoCode (the idempotency key of this write; left empty, the
// client generates one).
func ExampleClient_Modify() {
	srv := suningtest.NewServer(suningtest.Config{})
	defer srv.Close()
	c, err := suning.NewClient(srv.ClientConfig())
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()
	req := activity()
	created, err := c.Create(ctx, req)
	if err != nil {
		log.Fatal(err)
	}
	req.ActionID, req.ActionName = created.ActionID, "618 新品手机预约(延长)"
	if _, err := c.Modify(ctx, req); err != nil {
		log.Fatal(err)
	}
	a, _ := srv.Activity(created.ActionID)
	fmt.Println(a.Fields["actionName"], "- modified", a.Modifications, "time(s)")
	// Output: 618 新品手机预约(延长) - modified 1 time(s)
}

// Stop ends an activity: the request is the activity as last sent, under
// its ActionID.
func ExampleClient_Stop() {
	srv := suningtest.NewServer(suningtest.Config{})
	defer srv.Close()
	c, err := suning.NewClient(srv.ClientConfig())
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()
	req := activity()
	created, err := c.Create(ctx, req)
	if err != nil {
		log.Fatal(err)
	}
	req.ActionID = created.ActionID
	res, err := c.Stop(ctx, req)
	if err != nil {
		log.Fatal(err)
	}
	a, _ := srv.Activity(created.ActionID)
	fmt.Println(res.ResultCode == suning.ResultSuccess, a.Status)
	// Output: true stopped
}

// A customer's bookings in an activity. Their fields are not published:
// the node is read here in the fake's shape (suningtest.BookingAnswer).
func ExampleClient_BookingInfo() {
	srv := suningtest.NewServer(suningtest.Config{})
	defer srv.Close()
	c, err := suning.NewClient(srv.ClientConfig())
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()
	req := activity()
	created, err := c.Create(ctx, req)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := c.GotoAppoint(ctx, &suning.GotoAppointRequest{ActionID: created.ActionID, CustNo: "7012345678",
		PartNumber: req.Goods[0].PartNumber, PurchaseType: "1", TelNo: "13900139000", TerminalFlag: "2", VendorCode: req.VendorCode}); err != nil {
		log.Fatal(err)
	}
	info, err := c.BookingInfo(ctx, &suning.BookingInfoRequest{ActionID: created.ActionID, SNUnionID: "7012345678"})
	if err != nil {
		log.Fatal(err)
	}
	var node suningtest.BookingAnswer
	if err := json.Unmarshal(info.Node, &node); err != nil {
		log.Fatal(err)
	}
	for _, b := range node.BookingList {
		fmt.Println("booked:", b.CustNo, b.PartNumber)
	}
	// Output: booked: 7012345678 000000000123456789
}

// RefreshToken trades a refresh token for a new access token; a refresh
// token works once. token.Refreshing calls it through Refresher before the
// token expires, so a program rarely calls it itself.
func ExampleClient_RefreshToken() {
	srv := suningtest.NewServer(suningtest.Config{})
	defer srv.Close()
	c, err := suning.NewClient(srv.ClientConfig())
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	ctx := context.Background()
	first, err := c.CreateToken(ctx, &suning.CreateTokenRequest{Code: srv.IssueCode()})
	if err != nil {
		log.Fatal(err)
	}
	next, err := c.RefreshToken(ctx, &suning.RefreshTokenRequest{RefreshToken: first.RefreshToken})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("a new access token:", next.AccessToken != first.AccessToken)
	_, err = c.RefreshToken(ctx, &suning.RefreshTokenRequest{RefreshToken: first.RefreshToken})
	fmt.Println("the old refresh token again refused:", err != nil)
	// Output:
	// a new access token: true
	// the old refresh token again refused: true
}
