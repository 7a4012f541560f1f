package couponkitredis

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/oauth2"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/token"
)

// Defaults of [TokenStoreConfig].
const (
	// DefaultTokenLease is how long a refresh lock is held, on the callers'
	// clocks, unless it is released first: longer than a refresh round
	// (token.DefaultTimeout).
	DefaultTokenLease = 2 * time.Minute
	// DefaultTokenPoll is how often a Lock waiting for another holder looks
	// again, besides the message of its release: in case that message was
	// lost, or the holder died and its lease must end on the caller's clock.
	DefaultTokenPoll = time.Second
)

// TokenStoreConfig configures a [TokenStore].
type TokenStoreConfig struct {
	// Key names the token: every process sharing it uses the same Key, such
	// as "taobaofilm:" + appKey + ":" + userID. Required. The Redis keys
	// hold no secret in their names; the token's hash holds the tokens in
	// plain text, so protect Redis as you would the tokens.
	Key string
	// Lease is how long a Lock is held unless released first, measured on
	// the callers' clocks (Clock): a holder that died is replaced once its
	// lease ends. It must be longer than a refresh round
	// (token.Config.Timeout). Default [DefaultTokenLease].
	Lease time.Duration
	// Clock tells the time leases are compared with. Default: the system
	// clock. Give the token.Refreshing source's clock.
	Clock couponkit.Clock
	// Poll is how often a waiting Lock looks again, in real time, besides
	// the release message. Default [DefaultTokenPoll].
	Poll time.Duration
	// Timeout bounds each Redis round trip, go-redis's own retries and
	// redials included. Default [DefaultTimeout].
	Timeout time.Duration
}

// TokenStore is a token.Store, a token.FencedStore and a token.Locker in
// Redis, shared by every process using the same Redis and
// [TokenStoreConfig.Key]: a token.Refreshing source in each of them
// refreshes the token once per fleet, and saves the rotated refresh token
// where the others load it.
//
// For Key k it uses the hash "couponkit:token:{k}" (fields token, the
// oauth2.Token as JSON, as token.FileStore writes it; fence, the fence of
// the last fenced save; leases, the count of leases granted, which is the
// next fence), which never expires, and the hash "couponkit:token:{k}:lock"
// (holder, until: the lease's end in Unix milliseconds on the holder's
// clock, fence), kept ten leases after its last change; a release is
// published on the channel of the lock's name. The braces put both in one
// Redis Cluster slot. Each method is one Lua script: a Lock is granted when
// no lease is held or the held one ended at the caller's now, so leases end
// when the callers' clocks say so, and a test moves a manual clock instead
// of waiting; a fenced save is refused when a save under a greater fence
// came first. Errors match [ErrUnavailable], but the caller's own
// cancellation. A TokenStore is safe for concurrent use and starts no
// goroutine but a waiting Lock's subscription, which ends with it.
type TokenStore struct {
	rdb     redis.UniversalClient
	key     string // the token's hash
	lock    string // the lock's hash and channel
	lease   time.Duration
	clock   couponkit.Clock
	poll    time.Duration
	timeout time.Duration
}

var (
	_ token.FencedStore = (*TokenStore)(nil)
	_ token.Locker      = (*TokenStore)(nil)
)

// NewTokenStore returns the token store of cfg on rdb (a *redis.Client, a
// *redis.ClusterClient or a *redis.Ring). It does not contact Redis.
func NewTokenStore(rdb redis.UniversalClient, cfg TokenStoreConfig) (*TokenStore, error) {
	if rdb == nil {
		return nil, errors.New("couponkitredis: nil redis client")
	}
	if cfg.Key == "" {
		return nil, couponkit.Invalid("Key", "is required: the name of the token every process shares")
	}
	if cfg.Lease <= 0 {
		cfg.Lease = DefaultTokenLease
	}
	if cfg.Clock == nil {
		cfg.Clock = couponkit.SystemClock{}
	}
	if cfg.Poll <= 0 {
		cfg.Poll = DefaultTokenPoll
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	key := "couponkit:token:{" + cfg.Key + "}"
	return &TokenStore{rdb: rdb, key: key, lock: key + ":lock", lease: cfg.Lease, clock: cfg.Clock, poll: cfg.Poll, timeout: cfg.Timeout}, nil
}

// Keys returns the Redis keys of the token's hash and of its lock's hash
// (also the channel its releases are published on).
func (s *TokenStore) Keys() (tokenKey, lockKey string) { return s.key, s.lock }

// Load implements token.Store: token.ErrNoToken when none was saved.
func (s *TokenStore) Load(ctx context.Context) (*oauth2.Token, error) {
	var raw string
	err := s.do(ctx, "load", func(ctx context.Context) (err error) {
		raw, err = s.rdb.HGet(ctx, s.key, "token").Result()
		return err
	})
	if errors.Is(err, redis.Nil) {
		return nil, token.ErrNoToken
	}
	if err != nil {
		return nil, err
	}
	var tok oauth2.Token
	if err := json.Unmarshal([]byte(raw), &tok); err != nil {
		return nil, fmt.Errorf("couponkitredis: token %s: the stored value is not a token (%d bytes)", s.key, len(raw))
	}
	return &tok, nil
}

// Save implements token.Store: it replaces the token whatever the fences.
func (s *TokenStore) Save(ctx context.Context, tok *oauth2.Token) error {
	b, err := json.Marshal(tok)
	if err != nil {
		return err
	}
	return s.do(ctx, "save", func(ctx context.Context) error {
		return s.rdb.HSet(ctx, s.key, "token", b).Err()
	})
}

// saveFencedScript saves ARGV[1] in KEYS[1] under fence ARGV[2] unless a
// greater fence saved first. It answers 1, or 0 when refused.
var saveFencedScript = redis.NewScript(`
local last = tonumber(redis.call("HGET", KEYS[1], "fence") or "0")
if tonumber(ARGV[2]) < last then
  return 0
end
redis.call("HSET", KEYS[1], "token", ARGV[1], "fence", ARGV[2])
return 1
`)

// SaveFenced implements token.FencedStore: token.ErrStaleLease when a save
// under a greater fence came first.
func (s *TokenStore) SaveFenced(ctx context.Context, tok *oauth2.Token, fence int64) error {
	b, err := json.Marshal(tok)
	if err != nil {
		return err
	}
	var ok int64
	if err := s.do(ctx, "save", func(ctx context.Context) (err error) {
		ok, err = saveFencedScript.Run(ctx, s.rdb, []string{s.key}, b, fence).Int64()
		return err
	}); err != nil {
		return err
	}
	if ok == 0 {
		return token.ErrStaleLease
	}
	return nil
}

// lockScript grants the lock KEYS[1] to ARGV[3] until ARGV[2] when no
// lease is held or the held one ended at ARGV[1] (Unix ms); the fence is
// the count of leases in KEYS[2]. It answers {"acquired", fence} or
// {"held", until}.
var lockScript = redis.NewScript(`
local v = redis.call("HMGET", KEYS[1], "holder", "until")
if v[1] and tonumber(v[2]) > tonumber(ARGV[1]) then
  return {"held", v[2]}
end
local fence = redis.call("HINCRBY", KEYS[2], "leases", 1)
redis.call("DEL", KEYS[1])
redis.call("HSET", KEYS[1], "holder", ARGV[3], "until", ARGV[2], "fence", fence)
redis.call("PEXPIRE", KEYS[1], ARGV[4])
return {"acquired", tostring(fence)}
`)

// unlockScript deletes the lock KEYS[1] if ARGV[1] holds it, and publishes
// its release on the channel KEYS[1].
var unlockScript = redis.NewScript(`
if redis.call("HGET", KEYS[1], "holder") == ARGV[1] then
  redis.call("DEL", KEYS[1])
  redis.call("PUBLISH", KEYS[1], "released")
end
return 1
`)

// Lock implements token.Locker: it returns once the caller holds the lock
// for Lease from its clock's now, waiting for the holder's release message
// (or, every Poll, for the held lease to end on the caller's clock), or
// with ctx's error.
func (s *TokenStore) Lock(ctx context.Context) (token.Lease, error) {
	holder := couponkit.NewClaimToken()
	var sub *redis.PubSub
	defer func() {
		if sub != nil {
			_ = sub.Close()
		}
	}()
	for {
		fence, ok, err := s.tryLock(ctx, holder)
		if err != nil {
			return nil, err
		}
		if ok {
			return &tokenLease{s: s, holder: holder, fence: fence}, nil
		}
		if sub == nil {
			// Listen first, then try again: a release between the try and
			// the subscription is not missed.
			sub = s.rdb.Subscribe(ctx, s.lock)
			if err := s.do(ctx, "lock", func(ctx context.Context) error { _, err := sub.Receive(ctx); return err }); err != nil {
				return nil, err
			}
			continue
		}
		timer := time.NewTimer(s.poll)
		select {
		case <-sub.Channel():
		case <-timer.C:
		case <-ctx.Done():
			timer.Stop()
			return nil, ctx.Err()
		}
		timer.Stop()
	}
}

// tryLock asks for the lock once.
func (s *TokenStore) tryLock(ctx context.Context, holder string) (fence int64, ok bool, err error) {
	now := s.clock.Now()
	until := ceilMilli(now.Add(s.lease))
	var res []any
	if err := s.do(ctx, "lock", func(ctx context.Context) (err error) {
		res, err = lockScript.Run(ctx, s.rdb, []string{s.lock, s.key}, now.UnixMilli(), until, holder, (10 * s.lease).Milliseconds()).Slice()
		return err
	}); err != nil {
		return 0, false, err
	}
	state, _ := res[0].(string)
	val, _ := res[1].(string)
	switch state {
	case "held":
		return 0, false, nil
	case "acquired":
		n, err := strconv.ParseInt(val, 10, 64)
		if err == nil {
			return n, true, nil
		}
	}
	return 0, false, fmt.Errorf("%w: lock %s: unexpected answer %v", ErrUnavailable, s.lock, res)
}

// tokenLease is a held lock.
type tokenLease struct {
	s      *TokenStore
	holder string
	fence  int64
}

// Fence implements token.Lease.
func (l *tokenLease) Fence() int64 { return l.fence }

// Unlock implements token.Lease: the lock is released and its release
// published if this lease still holds it.
func (l *tokenLease) Unlock(ctx context.Context) error {
	return l.s.do(ctx, "unlock", func(ctx context.Context) error {
		return unlockScript.Run(ctx, l.s.rdb, []string{l.s.lock}, l.holder).Err()
	})
}

// do runs f with a context bounded by the Timeout; its errors match
// ErrUnavailable, but the caller's own cancellation and redis.Nil.
func (s *TokenStore) do(ctx context.Context, op string, f func(context.Context) error) error {
	rctx, cancel := context.WithTimeout(ctx, s.timeout)
	err := f(rctx)
	cancel()
	switch {
	case err == nil, errors.Is(err, redis.Nil):
		return err
	case ctx.Err() != nil:
		return ctx.Err()
	case errors.Is(err, context.DeadlineExceeded):
		err = fmt.Errorf("no answer within %v: %w", s.timeout, err)
	}
	return fmt.Errorf("%w: token %s: %s: %w", ErrUnavailable, s.key, op, err)
}
