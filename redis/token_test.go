package couponkitredis_test

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/couponkittest"
	couponkitredis "github.com/couponkit/couponkit/redis"
	"github.com/couponkit/couponkit/taobaofilm"
	"github.com/couponkit/couponkit/taobaofilm/taobaofilmtest"
	"github.com/couponkit/couponkit/token"
)

var tokenStart = time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)

func newTokenStore(t *testing.T, rdb redis.UniversalClient, cfg couponkitredis.TokenStoreConfig) *couponkitredis.TokenStore {
	t.Helper()
	if cfg.Key == "" {
		cfg.Key = "test:" + couponkit.NewClaimToken()
	}
	s, err := couponkitredis.NewTokenStore(rdb, cfg)
	require.NoError(t, err)
	return s
}

// TestTokenStoreKeys: what a save leaves in Redis, read with plain Redis
// commands: the token as oauth2.Token's JSON in a hash that does not
// expire.
func TestTokenStoreKeys(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rdb := newClient(t, redisAddr)
	s := newTokenStore(t, rdb, couponkitredis.TokenStoreConfig{Key: "taobaofilm:12345678:u-" + couponkit.NewClaimToken()})
	tokenKey, lockKey := s.Keys()
	assert.Regexp(t, `^couponkit:token:\{taobaofilm:12345678:u-[0-9a-f]+\}$`, tokenKey)
	assert.Equal(t, tokenKey+":lock", lockKey)

	_, err := s.Load(ctx)
	assert.ErrorIs(t, err, token.ErrNoToken)
	exp := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	require.NoError(t, s.Save(ctx, &oauth2.Token{AccessToken: "a1", TokenType: "Bearer", RefreshToken: "r1", Expiry: exp}))
	raw, err := rdb.HGet(ctx, tokenKey, "token").Result()
	require.NoError(t, err)
	assert.JSONEq(t, `{"access_token":"a1","token_type":"Bearer","refresh_token":"r1","expiry":"2026-12-07T10:00:00Z"}`, raw)
	ttl, err := rdb.PTTL(ctx, tokenKey).Result()
	require.NoError(t, err)
	assert.Equal(t, time.Duration(-1), ttl, "the refresh token is never forgotten")
	tok, err := s.Load(ctx)
	require.NoError(t, err)
	assert.Equal(t, "r1", tok.RefreshToken)
	assert.True(t, tok.Expiry.Equal(exp))
}

// TestTokenStoreFences: a save under an older fence than the last fenced
// save is refused and changes nothing.
func TestTokenStoreFences(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newTokenStore(t, newClient(t, redisAddr), couponkitredis.TokenStoreConfig{})
	require.NoError(t, s.SaveFenced(ctx, &oauth2.Token{AccessToken: "a5"}, 5))
	assert.ErrorIs(t, s.SaveFenced(ctx, &oauth2.Token{AccessToken: "a4"}, 4), token.ErrStaleLease)
	tok, err := s.Load(ctx)
	require.NoError(t, err)
	assert.Equal(t, "a5", tok.AccessToken)
	require.NoError(t, s.SaveFenced(ctx, &oauth2.Token{AccessToken: "a5b"}, 5), "the same lease saves again")
	require.NoError(t, s.SaveFenced(ctx, &oauth2.Token{AccessToken: "a6"}, 6))
	tok, err = s.Load(ctx)
	require.NoError(t, err)
	assert.Equal(t, "a6", tok.AccessToken)
}

// TestTokenStoreLock: one holder at a time, fences growing; a waiter wakes
// on the release message (its poll is an hour, so nothing else wakes it);
// a lease ends when the caller's clock passes it, and the old holder's
// unlock then releases nothing.
func TestTokenStoreLock(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rdb := newClient(t, redisAddr)
	clock := couponkittest.NewClock(tokenStart)
	key := "lock:" + couponkit.NewClaimToken()
	s := newTokenStore(t, rdb, couponkitredis.TokenStoreConfig{Key: key, Clock: clock, Lease: time.Minute, Poll: time.Hour})
	_, lockKey := s.Keys()

	a, err := s.Lock(ctx)
	require.NoError(t, err)
	assert.Equal(t, int64(1), a.Fence())
	h, err := rdb.HGetAll(ctx, lockKey).Result()
	require.NoError(t, err)
	assert.Equal(t, strconv.FormatInt(tokenStart.Add(time.Minute).UnixMilli(), 10), h["until"])

	got := make(chan token.Lease, 1)
	go func() {
		l, err := s.Lock(ctx)
		assert.NoError(t, err)
		got <- l
	}()
	waitSubscribed(t, rdb, lockKey)
	select {
	case <-got:
		t.Fatal("a second holder while the first holds the lock")
	default:
	}
	require.NoError(t, a.Unlock(ctx))
	b := <-got
	assert.Equal(t, int64(2), b.Fence())

	clock.Advance(time.Minute) // b's lease ends; b never unlocks
	c, err := s.Lock(ctx)
	require.NoError(t, err)
	assert.Equal(t, int64(3), c.Fence())
	require.NoError(t, b.Unlock(ctx), "b no longer holds the lock: nothing released")
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = s.Lock(cancelled)
	assert.ErrorIs(t, err, context.Canceled, "c still holds it")
	require.NoError(t, c.Unlock(ctx))
	n, err := rdb.Exists(ctx, lockKey).Result()
	require.NoError(t, err)
	assert.Zero(t, n)
}

// waitSubscribed returns once a client listens on channel: the waiting Lock.
func waitSubscribed(t *testing.T, rdb *redis.Client, channel string) {
	t.Helper()
	deadline := time.Now().Add(time.Minute) // a bound on failure only
	for time.Now().Before(deadline) {
		n, err := rdb.PubSubNumSub(context.Background(), channel).Result()
		require.NoError(t, err)
		if n[channel] > 0 {
			return
		}
	}
	t.Fatal("no Lock waits on " + channel)
}

func TestTokenStoreUnavailable(t *testing.T) {
	t.Parallel()
	port, err := freePort()
	require.NoError(t, err)
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:" + strconv.Itoa(port), MaxRetries: -1, DialTimeout: 200 * time.Millisecond})
	t.Cleanup(func() { _ = rdb.Close() })
	s := newTokenStore(t, rdb, couponkitredis.TokenStoreConfig{})
	ctx := context.Background()
	_, err = s.Load(ctx)
	assert.ErrorIs(t, err, couponkitredis.ErrUnavailable)
	assert.ErrorIs(t, s.Save(ctx, &oauth2.Token{AccessToken: "a"}), couponkitredis.ErrUnavailable)
	assert.ErrorIs(t, s.SaveFenced(ctx, &oauth2.Token{AccessToken: "a"}, 1), couponkitredis.ErrUnavailable)
	_, err = s.Lock(ctx)
	assert.ErrorIs(t, err, couponkitredis.ErrUnavailable)
	_, err = couponkitredis.NewTokenStore(rdb, couponkitredis.TokenStoreConfig{})
	var ve *couponkit.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "Key", ve.Field)
}

// topSource returns a token.Refreshing on store (its Store and Locker)
// refreshing through the TOP fake at gateway, and a client using it.
func topSource(t testing.TB, gateway string, store *couponkitredis.TokenStore, clock couponkit.Clock, opts ...couponkit.Option) (*token.Refreshing, *taobaofilm.Client) {
	t.Helper()
	cfg := taobaofilm.Config{Gateway: gateway, AppKey: taobaofilmtest.DefaultAppKey, AppSecret: taobaofilmtest.DefaultAppSecret}
	opts = append(opts, couponkit.WithClock(clock))
	auth, err := taobaofilm.NewClient(cfg, opts...)
	require.NoError(t, err)
	src, err := token.NewRefreshing(token.Config{Store: store, Locker: store, Refresh: auth.Refresher(), Clock: clock})
	require.NoError(t, err)
	cfg.TokenSource = src
	c, err := taobaofilm.NewClient(cfg, opts...)
	require.NoError(t, err)
	return src, c
}

// TestTokenRefreshSharedByTwoSources: two clients of one process, each
// with its own token.Refreshing on one TokenStore, as two processes would
// have: sixteen goroutines export while the session expires (the fake's
// clock moves, the clients' stands still, so each source learns it from the
// fake's code 27): one refresh in all, every call accepted once, and the
// rotated refresh token is the one Redis holds.
func TestTokenRefreshSharedByTwoSources(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fakeClock, clientClock := couponkittest.NewClock(tokenStart), couponkittest.NewClock(tokenStart)
	srv := taobaofilmtest.Start(t, taobaofilmtest.Config{InMemory: true, Clock: fakeClock, SessionTTL: time.Hour, MaxSkew: 100 * time.Hour})
	store := newTokenStore(t, newClient(t, redisAddr), couponkitredis.TokenStoreConfig{Clock: clientClock, Poll: time.Hour})
	require.NoError(t, store.Save(ctx, srv.IssueToken()))
	srcA, a := topSource(t, srv.Gateway(), store, clientClock, srv.ClientOption())
	srcB, b := topSource(t, srv.Gateway(), store, clientClock, srv.ClientOption())
	const workers, each = 16, 10
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for i := range workers {
		c := a
		if i%2 == 1 {
			c = b
		}
		wg.Go(func() {
			for range each {
				_, err := c.ExportCodes(ctx, &taobaofilm.ExportRequest{MixID: taobaofilmtest.DefaultMixID, PartnerCode: taobaofilmtest.DefaultPartnerCode, OperateType: taobaofilm.OperateAll})
				errs <- err
			}
		})
	}
	require.NoError(t, srv.WaitRequests(ctx, workers*each/2))
	fakeClock.Advance(time.Hour)
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	st := srv.Tokens()
	assert.Equal(t, 1, st.Refreshed)
	assert.Zero(t, st.RefreshRefused)
	assert.Equal(t, workers*each, st.Accepted)
	assert.Equal(t, int64(1), srcA.Refreshes()+srcB.Refreshes())
	saved, err := store.Load(ctx)
	require.NoError(t, err)
	_, err = a.RefreshToken(ctx, &taobaofilm.RefreshTokenRequest{RefreshToken: saved.RefreshToken})
	require.NoError(t, err, "Redis holds the live refresh token")
}
