package couponkittest

// TokenStats counts what a fake that acts for an authorized user did with
// its access tokens (taobaofilmtest's sessions, suningtest's access
// tokens): each such fake's Tokens method returns it.
type TokenStats struct {
	// Created counts access tokens issued for an authorization code.
	Created int
	// Refreshed counts access tokens issued for a refresh token.
	Refreshed int
	// RefreshRefused counts refreshes refused: a refresh token unknown,
	// expired, or used before.
	RefreshRefused int
	// Expired counts requests refused because their access token had
	// expired.
	Expired int
	// Accepted counts requests accepted with an access token the fake
	// issued (the token calls, which take none, are not counted).
	Accepted int
}
