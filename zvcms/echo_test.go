package zvcms_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/internal/testclock"
	"github.com/couponkit/couponkit/zvcms"
)

// echoGateway answers every request with status and the whole request
// echoed back (method, URL with query, headers, body), as some gateways and
// proxies do, wrapped in an HTML page when html is set. It keeps the bodies.
type echoGateway struct {
	status int
	html   bool
	mu     sync.Mutex
	bodies [][]byte
}

func (g *echoGateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	g.mu.Lock()
	g.bodies = append(g.bodies, body)
	g.mu.Unlock()
	echo := fmt.Sprintf("%s %s %v %s", r.Method, r.URL.String(), r.Header, body)
	if g.html {
		w.Header().Set("Content-Type", "text/html")
		echo = "<html><body><pre>" + echo + "</pre></body></html>"
	}
	w.WriteHeader(g.status)
	_, _ = io.WriteString(w, echo)
}

// forms returns s in every spelling it may be echoed in: raw, query- and
// path-escaped, and JSON-escaped.
func forms(s string) []string {
	j, _ := json.Marshal(s)
	return []string{s, url.QueryEscape(s), url.PathEscape(s), string(j[1 : len(j)-1])}
}

// causes returns the texts of err and of every error in its chain.
func causes(err error) []string {
	var out []string
	var walk func(error)
	walk = func(e error) {
		if e == nil {
			return
		}
		out = append(out, e.Error(), fmt.Sprintf("%+v", e), fmt.Sprintf("%#v", e))
		switch u := e.(type) {
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		case interface{ Unwrap() []error }:
			for _, x := range u.Unwrap() {
				walk(x)
			}
		}
	}
	walk(err)
	return out
}

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
				g := &echoGateway{status: gw.status, html: gw.html}
				var logs bytes.Buffer
				logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
				c, err := zvcms.NewClient(zvcms.Config{Gateway: "https://zvcms.echo.test", OpenID: "oid", OpenKey: openKey, GrantCode: grantCode},
					couponkit.WithTransport(couponkittest.HandlerTransport(g)), couponkit.WithClock(testclock.New(epoch)),
					couponkit.WithLogger(logger), couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 2}))
				require.NoError(t, err)
				defer c.Close()

				err = call.run(c)
				require.Error(t, err)
				var ce *couponkit.Error
				require.ErrorAs(t, err, &ce)

				secrets := append(forms(openKey), forms(grantCode)...)
				require.NotEmpty(t, g.bodies)
				for _, b := range g.bodies {
					token := parseRequest(t, b).Token
					raw, uerr := url.QueryUnescape(token)
					require.NoError(t, uerr)
					require.NotEqual(t, raw, token, "the token is sent URL-escaped")
					secrets = append(secrets, forms(token)...)
					secrets = append(secrets, forms(raw)...)
				}
				// The gateway did echo them, so the test means something.
				require.Contains(t, string(g.bodies[0]), `"grantCode":"grant/Code+\"q\"&=SECRET"`)

				texts := append(causes(err), logs.String())
				for _, text := range texts {
					for _, s := range secrets {
						require.NotContains(t, text, s)
						// Nor a secret's start, where a quote of the body is cut short.
						require.NotContains(t, text, s[:10])
					}
				}
				assert.Contains(t, err.Error(), "POST /v3/crm/", "the error quotes the echoed request")
				assert.NotEmpty(t, logs.String(), "the attempts were logged")
				assert.False(t, errors.Is(err, context.Canceled))
			})
		}
	}
}
