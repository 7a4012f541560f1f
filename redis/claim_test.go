package couponkitredis_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/internal/fleettest"
	couponkitredis "github.com/couponkit/couponkit/redis"
)

func newClaimStore(t *testing.T, rdb redis.UniversalClient, cfg couponkitredis.ClaimStoreConfig) *couponkitredis.ClaimStore {
	t.Helper()
	s, err := couponkitredis.NewClaimStore(rdb, cfg)
	require.NoError(t, err)
	return s
}

func TestClaimStoreContract(t *testing.T) {
	t.Parallel()
	s := newClaimStore(t, newClient(t, redisAddr), couponkitredis.ClaimStoreConfig{})
	couponkittest.RunClaimStoreTests(t, func(*testing.T) couponkit.ClaimStore { return s })
}

// TestClaimStoreKeys: what a claim leaves in Redis, read with plain Redis
// commands: a hash under the prefix, the lease's end as Unix milliseconds
// rounded up, and an expiry of the retention.
func TestClaimStoreKeys(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rdb := newClient(t, redisAddr)
	prefix := "couponkitredis-test:" + couponkit.NewClaimToken() + ":"
	s := newClaimStore(t, rdb, couponkitredis.ClaimStoreConfig{Prefix: prefix, Retention: time.Hour})
	now := time.UnixMilli(1715911200000).Add(300 * time.Microsecond)
	c, err := s.Claim(ctx, "ebuy:notify:u1", 90*time.Second, now)
	require.NoError(t, err)
	require.Equal(t, couponkit.ClaimAcquired, c.State)
	assert.Equal(t, prefix+"ebuy:notify:u1", s.Key("ebuy:notify:u1"))
	assert.True(t, time.UnixMilli(1715911290001).Equal(c.Until), "rounded up to the millisecond: %v", c.Until)

	h, err := rdb.HGetAll(ctx, prefix+"ebuy:notify:u1").Result()
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"state": "claimed", "token": c.Token, "until": "1715911290001"}, h)
	ttl, err := rdb.PTTL(ctx, prefix+"ebuy:notify:u1").Result()
	require.NoError(t, err)
	assert.True(t, ttl > 0 && ttl <= time.Hour, "expiry %v", ttl)

	require.NoError(t, s.Complete(ctx, "ebuy:notify:u1", c.Token, now.Add(time.Second)))
	h, err = rdb.HGetAll(ctx, prefix+"ebuy:notify:u1").Result()
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"state": "done", "token": c.Token, "done_at": "1715911201000"}, h)
	ttl, err = rdb.PTTL(ctx, prefix+"ebuy:notify:u1").Result()
	require.NoError(t, err)
	assert.True(t, ttl > 0 && ttl <= time.Hour, "expiry %v", ttl)

	// Released: nothing is left.
	c, err = s.Claim(ctx, "ebuy:notify:u2", time.Minute, now)
	require.NoError(t, err)
	require.NoError(t, s.Release(ctx, "ebuy:notify:u2", c.Token))
	n, err := rdb.Exists(ctx, prefix+"ebuy:notify:u2").Result()
	require.NoError(t, err)
	assert.Zero(t, n)
}

// TestClaimStoreUnavailable: every method fails with ErrUnavailable when
// Redis cannot be reached, and with the caller's own error when the caller
// gave up.
func TestClaimStoreUnavailable(t *testing.T) {
	t.Parallel()
	port, err := freePort()
	require.NoError(t, err)
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:" + strconv.Itoa(port), MaxRetries: -1, DialTimeout: 200 * time.Millisecond})
	t.Cleanup(func() { _ = rdb.Close() })
	s := newClaimStore(t, rdb, couponkitredis.ClaimStoreConfig{})
	ctx := context.Background()
	_, err = s.Claim(ctx, "k", time.Minute, time.Now())
	assert.ErrorIs(t, err, couponkitredis.ErrUnavailable)
	assert.ErrorIs(t, s.Complete(ctx, "k", "t", time.Now()), couponkitredis.ErrUnavailable)
	assert.ErrorIs(t, s.Release(ctx, "k", "t"), couponkitredis.ErrUnavailable)

	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err = s.Claim(cancelled, "k", time.Minute, time.Now())
	assert.ErrorIs(t, err, context.Canceled)
	assert.NotErrorIs(t, err, couponkitredis.ErrUnavailable)

	_, err = couponkitredis.NewClaimStore(nil, couponkitredis.ClaimStoreConfig{})
	assert.Error(t, err)
}

// TestNotifyFleet: two e-Buy notification handlers in two processes share
// one Redis; the same notification delivered 20 times at once runs fn once,
// and a holder killed mid-fn is replaced once its lease ends (see
// fleettest.Run).
func TestNotifyFleet(t *testing.T) {
	t.Parallel()
	fleettest.Run(t, "REDIS_ADDR="+redisAddr)
}
