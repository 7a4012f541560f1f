package suning_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/suning"
	"github.com/couponkit/couponkit/suning/suningtest"
)

func TestAPIs(t *testing.T) {
	t.Parallel()
	require.NoError(t, couponkit.CheckAPIs(suning.APIs()...))
}

// The fake serves every listed API: each is answered (a refused grant, for
// a made-up code or refresh token), and logged under its Operation.
func TestFakeServesEveryAPI(t *testing.T) {
	t.Parallel()
	c, srv, _ := fakeClient(t, suningtest.Config{InMemory: true})
	for _, a := range suning.APIs() {
		var err error
		switch a.Method {
		case "CreateToken":
			_, err = c.CreateToken(context.Background(), &suning.CreateTokenRequest{Code: "made-up"})
		case "RefreshToken":
			_, err = c.RefreshToken(context.Background(), &suning.RefreshTokenRequest{RefreshToken: "made-up"})
		default:
			t.Fatalf("no case for %s", a.Method)
		}
		var ce *couponkit.Error
		require.ErrorAs(t, err, &ce, a.Method)
		assert.Equal(t, "invalid_grant", ce.Code, "the fake does not serve %s (%s)", a.Operation, a.Method)
		reqs := srv.Requests()
		assert.Equal(t, a.Operation, reqs[len(reqs)-1].API)
	}
}
