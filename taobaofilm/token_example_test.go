package taobaofilm_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/couponkit/couponkit/taobaofilm"
	"github.com/couponkit/couponkit/taobaofilm/taobaofilmtest"
	"github.com/couponkit/couponkit/token"
)

// Exchange the code a user's grant handed to the app for a session, and
// keep the session refreshed: a token.Refreshing source, saved in a file,
// whose refreshes are taobao.top.auth.token.refresh calls of a client
// without a session. The fake stands in for the gateway and for TOP's OAuth
// page (IssueCode).
func ExampleClient_CreateToken() {
	srv := taobaofilmtest.NewServer(taobaofilmtest.Config{})
	defer srv.Close()
	ctx := context.Background()
	cfg := taobaofilm.Config{Gateway: srv.Gateway(), AppKey: taobaofilmtest.DefaultAppKey, AppSecret: taobaofilmtest.DefaultAppSecret}
	auth, err := taobaofilm.NewClient(cfg) // no session: it creates and refreshes them
	if err != nil {
		log.Fatal(err)
	}
	defer auth.Close()

	res, err := auth.CreateToken(ctx, &taobaofilm.CreateTokenRequest{Code: srv.IssueCode()})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("authorized by", res.UserNick, "- refreshable:", res.RefreshToken != "")

	dir, err := os.MkdirTemp("", "couponkit")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	store := token.NewFileStore(filepath.Join(dir, "top-session.json"))
	if err := store.Save(ctx, res.Token()); err != nil {
		log.Fatal(err)
	}
	sessions, err := token.NewRefreshing(token.Config{Store: store, Refresh: auth.Refresher()})
	if err != nil {
		log.Fatal(err)
	}
	cfg.TokenSource = sessions
	c, err := taobaofilm.NewClient(cfg)
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	page, err := c.ExportCodes(ctx, &taobaofilm.ExportRequest{MixID: taobaofilmtest.DefaultMixID, PartnerCode: taobaofilmtest.DefaultPartnerCode, OperateType: taobaofilm.OperateAll})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("page:", len(page.Codes), "codes; refreshes so far:", sessions.Refreshes())
	// Output:
	// authorized by couponkit测试店 - refreshable: true
	// page: 100 codes; refreshes so far: 0
}

// Refresh a session by hand: TOP rotates the refresh token, so the one
// returned replaces the one sent, which is refused if used again.
func ExampleClient_RefreshToken() {
	srv := taobaofilmtest.NewServer(taobaofilmtest.Config{})
	defer srv.Close()
	c, err := taobaofilm.NewClient(taobaofilm.Config{Gateway: srv.Gateway(), AppKey: taobaofilmtest.DefaultAppKey, AppSecret: taobaofilmtest.DefaultAppSecret})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	old := srv.IssueToken()

	res, err := c.RefreshToken(context.Background(), &taobaofilm.RefreshTokenRequest{RefreshToken: old.RefreshToken})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("new session:", res.AccessToken != old.AccessToken, "- rotated:", res.RefreshToken != old.RefreshToken)
	_, err = c.RefreshToken(context.Background(), &taobaofilm.RefreshTokenRequest{RefreshToken: old.RefreshToken})
	fmt.Println(err != nil)
	// Output:
	// new session: true - rotated: true
	// true
}
