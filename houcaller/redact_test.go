package houcaller_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/houcaller"
	"github.com/couponkit/couponkit/internal/leaktest"
)

// echoKey is a DES key (8 bytes) whose escaped forms all differ from it.
const echoKey = `k&+ %"é`

// echo is a gateway that prints the whole request back, preceded by every
// spelling of the key (leaktest.Forms: raw, escaped, hex, Base64), as a
// misconfigured gateway or proxy might, in a page or in the vendor's
// envelope.
func echo(status int, html bool) *leaktest.Gateway {
	return &leaktest.Gateway{Status: status, HTML: html, Reflect: leaktest.Values(leaktest.Forms(echoKey)),
		Envelope: func(echo string, _ []byte) any { return map[string]any{"code": 500, "msg": echo} }}
}

// TestEchoingGatewayLeaksNoKey: whatever the gateway echoes, the DES key in
// none of its spellings reaches an error or a debug log line.
func TestEchoingGatewayLeaksNoKey(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		handler http.Handler
	}{
		{"500 envelope", echo(http.StatusInternalServerError, false)},
		{"500 page", echo(http.StatusInternalServerError, true)},
		{"200 page", echo(http.StatusOK, true)},
		{"200 envelope", echo(http.StatusOK, false)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(tc.handler)
			t.Cleanup(srv.Close)
			logs, logger := leaktest.NewLog()
			c, err := houcaller.NewClient(houcaller.Config{Gateway: srv.URL + "/openapi/v1", Channel: "hkl-test", DESKey: echoKey},
				couponkit.WithClock(newClock()), couponkit.WithLogger(logger))
			require.NoError(t, err)
			t.Cleanup(func() { _ = c.Close() })

			var errs []error
			_, err = c.SellCard(context.Background(), exampleSale())
			errs = append(errs, err)
			_, err = c.Call(context.Background(), houcaller.EndpointListCouponsByMember, map[string]string{"memberId": "m1"}, &struct{}{}, couponkit.Read())
			errs = append(errs, err)
			_, err = c.Call(context.Background(), houcaller.EndpointGiftCoupon, nil, nil)
			errs = append(errs, err)

			texts := leaktest.Texts(t, logs, errs...)
			leaktest.AssertNoSecret(t, texts, echoKey)
		})
	}
}
