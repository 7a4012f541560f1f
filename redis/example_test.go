package couponkitredis_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/ebuy"
	couponkitredis "github.com/couponkit/couponkit/redis"
	"github.com/couponkit/couponkit/taobaofilm"
	"github.com/couponkit/couponkit/token"
)

// Every process that calls Taobao with one app key shares that key's quota
// of 40 requests a second, and a throttle seen by any of them pauses all.
// It needs a Redis at REDIS_ADDR, so it is compiled but not run by go test.
func ExampleNewLimiter() {
	rdb := redis.NewClient(&redis.Options{Addr: os.Getenv("REDIS_ADDR")})
	defer rdb.Close()

	appKey := os.Getenv("TAOBAO_APP_KEY")
	l, err := couponkitredis.NewLimiter(rdb, couponkitredis.LimiterConfig{
		Key:       "taobaofilm:" + appKey, // the vendor and the app key, never the secret
		PerSecond: 40,
		Burst:     5,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	opts := []couponkit.Option{couponkit.WithLimiter(l), couponkit.WithPauser(l)}
	// c, err := taobaofilm.NewClient(taobaofilm.Config{AppKey: appKey, AppSecret: secret}, opts...)
	_ = opts

	// The limiter can also pace work of your own under the same quota.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := l.Wait(ctx); err != nil {
		fmt.Println(err) // ctx's error, or couponkitredis.ErrUnavailable when Redis is down
		return
	}
	fmt.Println("one request may go")
}

// e-Buy notifications reach several processes behind one URL: the handlers
// claim each notification in Redis, so that its function runs once in the
// fleet. It needs a Redis at REDIS_ADDR, so it is compiled but not run by go
// test.
func ExampleNewClaimStore() {
	rdb := redis.NewClient(&redis.Options{Addr: os.Getenv("REDIS_ADDR")})
	defer rdb.Close()

	claims, err := couponkitredis.NewClaimStore(rdb, couponkitredis.ClaimStoreConfig{})
	if err != nil {
		fmt.Println(err)
		return
	}
	h := ebuy.NewNotifyHandler(os.Getenv("EBUY_APP_SECRET"), func(ctx context.Context, ev ebuy.Event) error {
		// Record the redemption; an error makes e-Buy send it again.
		return nil
	}, ebuy.WithClaimStore(claims))
	_ = h // http.Handle("/ebuy/notify", h)
}

// Every process that acts for one Taobao user shares its session: a
// TokenStore in Redis is the token.Store the rotated refresh token is saved
// in and the token.Locker that makes the refresh once per fleet. It needs a
// Redis at REDIS_ADDR, so it is compiled but not run by go test.
func ExampleNewTokenStore() {
	rdb := redis.NewClient(&redis.Options{Addr: os.Getenv("REDIS_ADDR")})
	defer rdb.Close()

	appKey, secret := os.Getenv("TAOBAO_APP_KEY"), os.Getenv("TAOBAO_APP_SECRET")
	store, err := couponkitredis.NewTokenStore(rdb, couponkitredis.TokenStoreConfig{
		Key: "taobaofilm:" + appKey + ":" + os.Getenv("TAOBAO_USER_ID"), // whose session, never the secret
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	auth, err := taobaofilm.NewClient(taobaofilm.Config{AppKey: appKey, AppSecret: secret}) // refreshes, without a session
	if err != nil {
		fmt.Println(err)
		return
	}
	defer auth.Close()
	sessions, err := token.NewRefreshing(token.Config{Store: store, Locker: store, Refresh: auth.Refresher()})
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := taobaofilm.NewClient(taobaofilm.Config{AppKey: appKey, AppSecret: secret, TokenSource: sessions})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	// Once, after the user's grant: store.Save(ctx, created.Token()), where
	// created is auth.CreateToken's result for the grant's code.
}
