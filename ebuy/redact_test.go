package ebuy_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/internal/leaktest"
)

// echoSecret is an app secret whose escaped forms all differ from it.
const echoSecret = `se/cr+et "ü"&=x 0123456789abcdef`

// TestEchoingGatewayLeaksNoSecret: against a gateway that echoes the whole
// request in a 500 or a 200 HTML page, after every textual spelling of the
// app secret (leaktest.Textual: the secret only enters the sign, so it never
// travels hex or Base64 encoded), neither the errors (their text, %+v, %#v,
// every cause) nor the debug log hold the app secret or any attempt's sign,
// in any spelling (leaktest.Forms).
func TestEchoingGatewayLeaksNoSecret(t *testing.T) {
	t.Parallel()
	for _, status := range []int{http.StatusInternalServerError, http.StatusOK} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			t.Parallel()
			g := &leaktest.Gateway{Status: status, HTML: true, Reflect: leaktest.Values(leaktest.Textual(echoSecret))}
			srv := httptest.NewServer(g)
			t.Cleanup(srv.Close)
			logs, logger := leaktest.NewLog()
			c, err := ebuy.NewClient(ebuy.Config{Gateway: srv.URL, AppID: "app-1", AppSecret: echoSecret, BrandID: "4339"},
				couponkit.WithLogger(logger), couponkit.WithClock(couponkittest.NewClock(vecTime)),
				couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 2}))
			require.NoError(t, err)
			t.Cleanup(func() { _ = c.Close() })

			var errs []error
			_, err = c.Call(context.Background(), "batchActivateCode", map[string]any{"codeArray": []string{"c1"}}, nil)
			errs = append(errs, err)
			_, err = c.ActivateCodes(context.Background(), &ebuy.ActivateCodesRequest{Codes: []string{"c1"}})
			errs = append(errs, err)
			_, err = c.ProductDetail(context.Background(), &ebuy.ProductDetailRequest{ProductID: 7})
			errs = append(errs, err)

			texts := leaktest.Texts(t, logs, errs...)
			for i, err := range errs {
				var ce *couponkit.Error
				require.ErrorAs(t, err, &ce)
				assert.Contains(t, ce.Message, "[redacted]", "call %d: the echo was read, with the secrets taken out", i+1)
			}
			leaktest.AssertNoSecret(t, texts, echoSecret)

			bodies := g.Bodies()
			require.Len(t, bodies, 5, "five requests: one Unsafe, two keyed, two read attempts")
			signs := make([]string, 0, len(bodies))
			for _, body := range bodies {
				s := field(t, body, "sign")
				require.NotEmpty(t, s, "every attempt is signed: %s", body)
				signs = append(signs, s)
			}
			leaktest.AssertNoSecret(t, texts, signs...)
		})
	}
}
