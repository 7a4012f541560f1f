package zvcms_test

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/testclock"
	"github.com/couponkit/couponkit/zvcms"
)

// TestTokenVectors checks DefaultToken against HMAC-SHA1 tokens computed with
// Python and openssl (testdata/gen_vectors.py).
func TestTokenVectors(t *testing.T) {
	t.Parallel()
	for _, v := range loadVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			got := zvcms.DefaultToken(v.OpenKey, v.OpenID, v.GrantCode, v.Timestamp, v.Nonce)
			assert.Equal(t, v.Token, got)
			assert.NotContains(t, got, "+")
			assert.NotContains(t, got, "/")
			assert.NotContains(t, got, "=")
		})
	}
}

// TestRequestBodyVectors checks the whole request body, byte for byte,
// against bodies built in Python from the same inputs.
func TestRequestBodyVectors(t *testing.T) {
	t.Parallel()
	for _, v := range loadVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			var p struct {
				CustomerID string `json:"customerId"`
				UseStatus  *int   `json:"useStatus"`
				CardID     string `json:"cardId"`
			}
			require.NoError(t, json.Unmarshal(v.Params, &p))
			sec, err := strconv.ParseInt(v.Timestamp, 10, 64)
			require.NoError(t, err)
			c, mt := mock(t, zvcms.Config{OpenID: v.OpenID, OpenKey: v.OpenKey, GrantCode: v.GrantCode,
				NonceFunc: func() string { return v.Nonce }}, couponkit.WithClock(testclock.New(time.Unix(sec, 0))))
			got := capture(mt, "getCustomerCoupons", okEmpty)
			req := &zvcms.CustomerCouponsRequest{CustomerID: p.CustomerID, CardID: p.CardID}
			if p.UseStatus != nil {
				req.UseStatus = zvcms.UseStatus(*p.UseStatus).Ptr()
			}
			_, err = c.GetCustomerCoupons(context.Background(), req)
			require.NoError(t, err)
			require.Len(t, *got, 1)
			assert.Equal(t, v.Body, string((*got)[0]))
		})
	}
}
