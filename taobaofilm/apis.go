package taobaofilm

import (
	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/transport"
)

// APIs lists the package's typed calls: the couponkit command runs them by
// name, and go generate writes the call lists of the READMEs and of this
// package's doc from them.
func APIs() []couponkit.API {
	return []couponkit.API{
		transport.Describe(Vendor, opTokenCreate, (*Client).CreateToken, "a session (access token) from an authorization code"),
		transport.Describe(Vendor, opTokenRefresh, (*Client).RefreshToken, "a new session from a refresh token, which TOP rotates"),
	}
}
