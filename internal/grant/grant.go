// Package grant is what the token calls of the vendor packages that act
// for an authorized user share (taobaofilm's taobao.top.auth.token.create
// and .refresh, Suning's OAuth authorization_code and refresh_token
// grants): which of their params are secrets, a token's expiry from the
// lifetime an answer gives in seconds, and the Refresher a token.Refreshing
// source calls. Each vendor package keeps its wire: how the params are
// sent, the answer's envelope and members, its failures.
package grant

import (
	"context"
	"time"

	"golang.org/x/oauth2"

	"github.com/couponkit/couponkit/token"
)

// Secret reports whether a token call's param is a secret of every
// attempt, kept out of errors and logs: the authorization code (code) and
// the refresh token (refresh_token), as RFC 6749 and TOP both name them.
func Secret(name string) bool {
	return name == "code" || name == "refresh_token"
}

// Expiry returns when a token that lives seconds from now expires (an
// answer's expires_in, re_expires_in); zero when seconds is not positive,
// the answer not saying.
func Expiry(now time.Time, seconds int64) time.Time {
	if seconds <= 0 {
		return time.Time{}
	}
	return now.Add(time.Duration(seconds) * time.Second)
}

// Refresher returns a vendor client's refresh call as a token.RefreshFunc:
// refresh sends the refresh token it is given, and the source gets the
// result's Token, or refresh's error as it is.
func Refresher[R interface{ Token() *oauth2.Token }](refresh func(ctx context.Context, refreshToken string) (R, error)) token.RefreshFunc {
	return func(ctx context.Context, refreshToken string) (*oauth2.Token, error) {
		res, err := refresh(ctx, refreshToken)
		if err != nil {
			return nil, err
		}
		return res.Token(), nil
	}
}
