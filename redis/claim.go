package couponkitredis

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/couponkit/couponkit"
)

// DefaultClaimPrefix starts the Redis key of every claim by default.
const DefaultClaimPrefix = "couponkit:claim:"

// DefaultClaimRetention is how long a claim's Redis key lives after its last
// change by default: how long a done key is remembered.
const DefaultClaimRetention = 7 * 24 * time.Hour

// ClaimStoreConfig configures a [ClaimStore].
type ClaimStoreConfig struct {
	// Prefix starts the Redis key of every claim: the key of the claim on
	// k is Prefix+k (default [DefaultClaimPrefix]). Keys hold no secret.
	Prefix string
	// Retention is how long a claim's Redis key lives after its last
	// change (PEXPIRE, on Redis's own clock): a done key is remembered that
	// long, then forgotten (its event, delivered again, is handled again),
	// and the claim of a holder that vanished is deleted after it. It only
	// collects garbage: leases are compared on the callers' clocks, never
	// by expiry. It must be longer than any lease and than the time the
	// sender keeps re-sending an event. Default [DefaultClaimRetention].
	Retention time.Duration
	// Timeout bounds each Redis round trip, go-redis's own retries and
	// redials included. Default [DefaultTimeout]. A caller's context with an
	// earlier deadline bounds it further.
	Timeout time.Duration
}

// ClaimStore is a [couponkit.ClaimStore] in Redis, shared by every process
// using the same Redis and [ClaimStoreConfig.Prefix]: a notification handler
// of each process claims an event there, so the event's work runs once in
// the fleet.
//
// A claim on key k is the Redis hash Prefix+k with the fields state
// ("claimed" or "done"), token (the holder's, or the completer's) and until
// (the end of the lease, Unix milliseconds on the claimant's clock); a done
// key has done_at in place of until. Each method is one Lua script, so concurrent claimants never both
// acquire a key: the script compares the stored until with the caller's now,
// so a lease ends when the callers' clocks say so (a test advances a manual
// clock instead of waiting). Times are kept to the millisecond; a lease's
// end is rounded up to it.
//
// Errors match [ErrUnavailable]. A ClaimStore is safe for concurrent use and
// starts no goroutine.
type ClaimStore struct {
	rdb       redis.UniversalClient
	prefix    string
	retention time.Duration
	timeout   time.Duration
}

// NewClaimStore returns the claim store of cfg on rdb (a *redis.Client, a
// *redis.ClusterClient or a *redis.Ring). It does not contact Redis.
func NewClaimStore(rdb redis.UniversalClient, cfg ClaimStoreConfig) (*ClaimStore, error) {
	if rdb == nil {
		return nil, errors.New("couponkitredis: nil redis client")
	}
	if cfg.Prefix == "" {
		cfg.Prefix = DefaultClaimPrefix
	}
	if cfg.Retention <= 0 {
		cfg.Retention = DefaultClaimRetention
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	return &ClaimStore{rdb: rdb, prefix: cfg.Prefix, retention: cfg.Retention, timeout: cfg.Timeout}, nil
}

// claimScript claims KEYS[1]. ARGV: the caller's now and the lease's end
// (Unix ms), the new token, the retention (ms). It answers {"done"},
// {"held", until} or {"acquired", until}.
var claimScript = redis.NewScript(`
local v = redis.call("HMGET", KEYS[1], "state", "until")
if v[1] == "done" then
  return {"done"}
end
if v[1] == "claimed" and tonumber(v[2]) > tonumber(ARGV[1]) then
  return {"held", v[2]}
end
redis.call("DEL", KEYS[1])
redis.call("HSET", KEYS[1], "state", "claimed", "token", ARGV[3], "until", ARGV[2])
redis.call("PEXPIRE", KEYS[1], ARGV[4])
return {"acquired", ARGV[2]}
`)

// completeScript records KEYS[1] done by the token unless another token
// holds it or completed it. ARGV: the token, now (Unix ms), the retention
// (ms). It answers 1, or 0 when another token holds or completed the key.
var completeScript = redis.NewScript(`
local v = redis.call("HMGET", KEYS[1], "state", "token")
if v[1] == "done" or v[1] == "claimed" then
  if v[2] ~= ARGV[1] then
    return 0
  end
  if v[1] == "done" then
    return 1
  end
end
redis.call("DEL", KEYS[1])
redis.call("HSET", KEYS[1], "state", "done", "token", ARGV[1], "done_at", ARGV[2])
redis.call("PEXPIRE", KEYS[1], ARGV[3])
return 1
`)

// releaseScript deletes KEYS[1] if the token ARGV[1] claims it.
var releaseScript = redis.NewScript(`
local v = redis.call("HMGET", KEYS[1], "state", "token")
if v[1] == "claimed" and v[2] == ARGV[1] then
  redis.call("DEL", KEYS[1])
end
return 1
`)

// Key returns the Redis key of the claim on key.
func (s *ClaimStore) Key(key string) string { return s.prefix + key }

// Claim implements [couponkit.ClaimStore].
func (s *ClaimStore) Claim(ctx context.Context, key string, lease time.Duration, now time.Time) (couponkit.Claim, error) {
	until := ceilMilli(now.Add(lease))
	token := couponkit.NewClaimToken()
	var res []any
	err := s.do(ctx, "claim", key, func(ctx context.Context) (err error) {
		res, err = claimScript.Run(ctx, s.rdb, []string{s.Key(key)},
			now.UnixMilli(), until, token, s.retention.Milliseconds()).Slice()
		return err
	})
	if err != nil {
		return couponkit.Claim{}, err
	}
	state, _ := res[0].(string)
	switch state {
	case "done":
		return couponkit.Claim{State: couponkit.ClaimDone}, nil
	case "held", "acquired":
		s, _ := res[1].(string)
		ms, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return couponkit.Claim{}, fmt.Errorf("%w: claim %q: the lease's end is %q, not Unix milliseconds", ErrUnavailable, key, s)
		}
		if state == "held" {
			return couponkit.Claim{State: couponkit.ClaimHeld, Until: time.UnixMilli(ms)}, nil
		}
		return couponkit.Claim{State: couponkit.ClaimAcquired, Token: token, Until: time.UnixMilli(ms)}, nil
	}
	return couponkit.Claim{}, fmt.Errorf("%w: claim %q: unexpected answer %v", ErrUnavailable, key, res)
}

// Complete implements [couponkit.ClaimStore].
func (s *ClaimStore) Complete(ctx context.Context, key, token string, now time.Time) error {
	var ok int64
	err := s.do(ctx, "complete", key, func(ctx context.Context) (err error) {
		ok, err = completeScript.Run(ctx, s.rdb, []string{s.Key(key)}, token, now.UnixMilli(), s.retention.Milliseconds()).Int64()
		return err
	})
	if err != nil {
		return err
	}
	if ok == 0 {
		return couponkit.ErrClaimLost
	}
	return nil
}

// Release implements [couponkit.ClaimStore].
func (s *ClaimStore) Release(ctx context.Context, key, token string) error {
	return s.do(ctx, "release", key, func(ctx context.Context) error {
		return releaseScript.Run(ctx, s.rdb, []string{s.Key(key)}, token).Err()
	})
}

// do runs f with a context bounded by the Timeout; its errors match
// ErrUnavailable, but the caller's own cancellation.
func (s *ClaimStore) do(ctx context.Context, op, key string, f func(context.Context) error) error {
	rctx, cancel := context.WithTimeout(ctx, s.timeout)
	err := f(rctx)
	cancel()
	switch {
	case err == nil:
		return nil
	case ctx.Err() != nil:
		return ctx.Err()
	case errors.Is(err, context.DeadlineExceeded):
		err = fmt.Errorf("no answer within %v: %w", s.timeout, err)
	}
	return fmt.Errorf("%w: %s %q: %w", ErrUnavailable, op, key, err)
}

// ceilMilli returns t in Unix milliseconds, rounded up.
func ceilMilli(t time.Time) int64 {
	ms := t.UnixMilli()
	if t.After(time.UnixMilli(ms)) {
		ms++
	}
	return ms
}

var _ couponkit.ClaimStore = (*ClaimStore)(nil)
