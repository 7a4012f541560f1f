// Package couponkitredis holds in Redis what a fleet of processes using
// couponkit must share: one vendor quota ([Limiter]), the claims that
// make a notification's work run once ([ClaimStore]), and an access token
// refreshed once per fleet ([TokenStore]).
//
// # Quota
//
// Vendors count requests per app key, not per process. A [Limiter] made with
// the same [LimiterConfig.Key] in every process that uses one app key hands
// out that key's quota across all of them, with the GCRA algorithm of
// github.com/go-redis/redis_rate (one Lua script, Redis's own clock). When
// the vendor throttles one client, [Limiter.PauseUntil] makes every client
// of the key wait out the window:
//
//	l, err := couponkitredis.NewLimiter(rdb, couponkitredis.LimiterConfig{Key: "taobaofilm:" + appKey, PerSecond: 40, Burst: 5})
//	…
//	c, err := taobaofilm.NewClient(cfg, couponkit.WithLimiter(l), couponkit.WithPauser(l))
//
// For LimiterConfig.Key k the limiter uses two Redis keys:
// "rate:couponkit:{k}", the GCRA state (a float of seconds, expiring once
// the quota is full again), and "couponkit:{k}:pause", the end of a shared
// pause in Unix milliseconds (expiring a second after the pause ends). The
// braces put both in one Redis Cluster slot.
//
// By default a limiter fails closed: when Redis cannot be reached within
// [LimiterConfig.Timeout], Wait returns an error matching [ErrUnavailable]
// and the client's call fails without reaching the vendor. With
// [LimiterConfig.FailOpen] it falls back to a limiter of this process
// alone. See [LimiterConfig.FailOpen] for why. After a failure the limiter
// answers at once, without trying Redis, for [LimiterConfig.ProbeInterval];
// then one call tries Redis again.
//
// # Claims
//
// A [ClaimStore] is a [couponkit.ClaimStore]: notification handlers in
// several processes behind one URL share it, so that each notification's
// function runs once in the fleet, and a notification whose holder died is
// handled again once its lease ends:
//
//	claims, err := couponkitredis.NewClaimStore(rdb, couponkitredis.ClaimStoreConfig{})
//	h := ebuy.NewNotifyHandler(secret, fn, ebuy.WithClaimStore(claims))
//
// A claim on key k is the hash "couponkit:claim:" + k (see
// [ClaimStore]), kept [ClaimStoreConfig.Retention] after its last change.
// When Redis cannot be reached, its methods return an error matching
// [ErrUnavailable], and the handler answers 503 so that the vendor sends the
// notification again.
//
// # Access tokens
//
// A [TokenStore] is a token.Store and a token.Locker (package
// github.com/couponkit/couponkit/token): a token.Refreshing source in each
// process, on the same store, refreshes a TOP session or a Suning access
// token once per expiry in the whole fleet, and every process loads the
// rotated refresh token from it:
//
//	store, err := couponkitredis.NewTokenStore(rdb, couponkitredis.TokenStoreConfig{Key: "taobaofilm:" + appKey + ":" + userID})
//	sessions, err := token.NewRefreshing(token.Config{Store: store, Locker: store, Refresh: auth.Refresher()})
//	c, err := taobaofilm.NewClient(taobaofilm.Config{AppKey: appKey, AppSecret: secret, TokenSource: sessions})
//
// A refresh runs under a lease (fenced: a holder that outlived its lease
// cannot overwrite a newer holder's save), measured on the callers'
// clocks; a process waiting for it wakes on its release. The token is kept
// in plain text in Redis, without expiry (see [TokenStore]).
package couponkitredis
