package token_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/oauth2"

	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/token"
)

// A source that refreshes before expiry and keeps the rotated refresh token
// in a file. The refresh here is a stand-in; in a program it is a vendor
// client's Refresher (taobaofilm.Client.Refresher, suning.Client.Refresher).
func ExampleNewRefreshing() {
	clock := couponkittest.NewClock(time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC))
	n := 0
	refresh := func(_ context.Context, refreshToken string) (*oauth2.Token, error) {
		n++
		fmt.Println("refreshing with", refreshToken)
		return &oauth2.Token{AccessToken: fmt.Sprintf("session-%d", n+1), RefreshToken: fmt.Sprintf("refresh-%d", n+1), Expiry: clock.Now().Add(time.Hour)}, nil
	}
	dir, err := os.MkdirTemp("", "token")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	store := token.NewFileStore(filepath.Join(dir, "session.json"))
	first := &oauth2.Token{AccessToken: "session-1", RefreshToken: "refresh-1", Expiry: clock.Now().Add(time.Hour)}
	src, err := token.NewRefreshing(token.Config{Store: store, Initial: first, Refresh: refresh, Clock: clock})
	if err != nil {
		log.Fatal(err)
	}

	tok, _ := src.Token()
	fmt.Println(tok.AccessToken)
	clock.Advance(56 * time.Minute) // within the 5-minute margin of its expiry
	tok, _ = src.Token()
	fmt.Println(tok.AccessToken)
	saved, _ := store.Load(context.Background())
	fmt.Println("saved:", saved.RefreshToken)
	// Output:
	// session-1
	// refreshing with refresh-1
	// session-2
	// saved: refresh-2
}
