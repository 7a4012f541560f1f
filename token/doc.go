// Package token is the access-token contract of the couponkit vendor
// packages that act for an authorized user: TOP's session
// (taobaofilm.Config.TokenSource) and Suning's OAuth access_token
// (suning.Config.TokenSource). It is built on golang.org/x/oauth2's Token
// and TokenSource, the Go convention, and adds what a long-running SDK
// client needs:
//
//   - [Static]: one fixed token, today's Session and AccessToken.
//   - [Refreshing]: a token kept in a [Store], refreshed a margin before it
//     expires (on a couponkit.Clock), once per process at a time
//     (single-flight) and, with a [Locker], once per fleet; the rotated
//     refresh token is saved to the Store before the new token is handed
//     out (a save that fails is logged, and the token used in this
//     process). When the vendor refuses a token as expired although the clock
//     says otherwise, the client asks the source to [Renewer.Renew] it:
//     one refresh, whoever asks, and the call that was refused is sent once
//     more (see the vendor packages for which calls).
//   - Stores: [MemoryStore] (one process), [FileStore] (a JSON file,
//     written atomically with mode 0600), and the Redis module's TokenStore
//     (github.com/couponkit/couponkit/redis), which is also a [Locker] with
//     fencing tokens, for a fleet.
//
// The refresh itself is the vendor's: taobaofilm.Client.Refresher
// (taobao.top.auth.token.refresh) and suning.Client.Refresher (the OAuth
// token endpoint, grant_type=refresh_token) return a [RefreshFunc].
//
// A token's Expiry is an instant; a Refreshing source compares it with its
// Clock's Now. Tokens never appear in an error this package returns.
package token
