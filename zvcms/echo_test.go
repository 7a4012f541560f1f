package zvcms_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/internal/leaktest"
	"github.com/couponkit/couponkit/internal/testclock"
	"github.com/couponkit/couponkit/zvcms"
)

// TestEchoingGatewayLeaksNoSecret: against a gateway that echoes the whole
// request in a 500 or a 200 HTML page, neither the error (its text, %+v, %#v,
// every cause) nor the debug log holds the openKey, the grantCode or any
// attempt's token, in any spelling: raw, URL-escaped, JSON-escaped, and for
// the token (sent URL-escaped) its Base64 too.
func TestEchoingGatewayLeaksNoSecret(t *testing.T) {
	t.Parallel()
	const (
		openKey   = `open/Key+"ü"&=SECRET`
		grantCode = `grant/Code+"q"&=SECRET`
	)
	calls := []struct {
		name string
		run  func(*zvcms.Client) error
	}{
		{"GetCustomerCoupons", func(c *zvcms.Client) error {
			_, err := c.GetCustomerCoupons(context.Background(), &zvcms.CustomerCouponsRequest{CustomerID: "1"})
			return err
		}},
		{"WriteOffCoupon", func(c *zvcms.Client) error {
			_, err := c.WriteOffCoupon(context.Background(), &zvcms.WriteOffRequest{BizID: "B-1", Channel: "ch", CustomerID: "1", CardIDs: []string{"A"}})
			return err
		}},
		{"Call", func(c *zvcms.Client) error {
			_, err := c.Call(context.Background(), "/v3/crm/customer/getInfo", map[string]string{"customerId": "1"}, nil, couponkit.Read())
			return err
		}},
	}
	for _, gw := range []struct {
		name   string
		status int
		html   bool
	}{{"500", http.StatusInternalServerError, false}, {"200 html", http.StatusOK, true}} {
		for _, call := range calls {
			t.Run(gw.name+"/"+call.name, func(t *testing.T) {
				t.Parallel()
				g := &leaktest.Gateway{Status: gw.status, HTML: gw.html}
				logs, logger := leaktest.NewLog()
				c, err := zvcms.NewClient(zvcms.Config{Gateway: "https://zvcms.echo.test", OpenID: "oid", OpenKey: openKey, GrantCode: grantCode},
					couponkit.WithTransport(couponkittest.HandlerTransport(g)), couponkit.WithClock(testclock.New(epoch)),
					couponkit.WithLogger(logger), couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 2}))
				require.NoError(t, err)
				defer c.Close()

				err = call.run(c)
				require.Error(t, err)
				var ce *couponkit.Error
				require.ErrorAs(t, err, &ce)

				secrets := []string{openKey, grantCode}
				bodies := g.Bodies()
				require.NotEmpty(t, bodies)
				for _, b := range bodies {
					token := parseRequest(t, b).Token
					raw, uerr := url.QueryUnescape(token)
					require.NoError(t, uerr)
					require.NotEqual(t, raw, token, "the token is sent URL-escaped")
					secrets = append(secrets, token, raw)
				}
				// The gateway did echo them, so the test means something.
				require.Contains(t, string(bodies[0]), `"grantCode":"grant/Code+\"q\"&=SECRET"`)

				texts := append(leaktest.ErrorTexts(err), logs.String())
				leaktest.AssertNoSecret(t, texts, secrets...)
				// Nor a secret's start, where a quote of the body is cut short.
				leaktest.AssertNoPrefix(t, texts, 10, secrets...)
				assert.Contains(t, err.Error(), "POST /v3/crm/", "the error quotes the echoed request")
				assert.NotEmpty(t, logs.String(), "the attempts were logged")
				assert.False(t, errors.Is(err, context.Canceled))
			})
		}
	}
}
