package suning_test

import (
	"context"
	"fmt"
	"log"

	"github.com/couponkit/couponkit/suning"
	"github.com/couponkit/couponkit/suning/suningtest"
	"github.com/couponkit/couponkit/token"
)

// Exchange the code of a user's grant for an access token, then keep it
// refreshed for every call: a token.Refreshing source whose refreshes are
// the refresh_token grant of a client without an access token. The fake
// stands in for the gateway, the token endpoint and the authorize page
// (IssueCode); in production leave Gateway and OAuthTokenURL empty.
func ExampleClient_CreateToken() {
	srv := suningtest.NewServer(suningtest.Config{})
	defer srv.Close()
	ctx := context.Background()
	cfg := srv.ClientConfig()
	auth, err := suning.NewClient(cfg)
	if err != nil {
		log.Fatal(err)
	}
	defer auth.Close()

	res, err := auth.CreateToken(ctx, &suning.CreateTokenRequest{Code: srv.IssueCode()})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("authorized by", res.UserName)

	tokens, err := token.NewRefreshing(token.Config{Initial: res.Token(), Refresh: auth.Refresher()})
	if err != nil {
		log.Fatal(err)
	}
	cfg.TokenSource = tokens
	c, err := suning.NewClient(cfg)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	created, err := c.Create(ctx, activity())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("activity created:", created.ActionID != "", "- refreshes:", tokens.Refreshes())
	// Output:
	// authorized by couponkit测试
	// activity created: true - refreshes: 0
}
