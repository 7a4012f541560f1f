package taobaofilm_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/leaktest"
	"github.com/couponkit/couponkit/internal/testclock"
	"github.com/couponkit/couponkit/taobaofilm"
)

// The app secret and the session, chosen so that every escaped form differs
// from the raw one.
const (
	echoSecret  = `app+secret/é&"=`
	echoSession = `6100a/b+c d=e&f"é`
)

// echoGateway prints the whole request back, preceded by every textual
// spelling of the secrets (leaktest.Textual), as a misconfigured gateway or
// proxy might, in a page or in a TOP error envelope.
func echoGateway(status int, html bool) *leaktest.Gateway {
	reflect := append(leaktest.Values(leaktest.Textual(echoSecret)), leaktest.Values(leaktest.Textual(echoSession))...)
	return &leaktest.Gateway{Status: status, HTML: html, Reflect: reflect,
		Envelope: func(echo string, body []byte) any {
			return map[string]any{"error_response": map[string]any{"code": 15, "msg": echo, "sub_code": "isp.echo", "sub_msg": string(body)}}
		}}
}

// Whatever the gateway echoes, neither the app secret nor the session, in
// any spelling, nor an attempt's signature reaches an error or a debug log
// line.
func TestEchoingGatewayLeaksNoSecret(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		status int
		html   bool
	}{
		{"500 envelope", http.StatusInternalServerError, false},
		{"500 page", http.StatusInternalServerError, true},
		{"200 page", http.StatusOK, true},
		{"200 envelope", http.StatusOK, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			g := echoGateway(tc.status, tc.html)
			srv := httptest.NewServer(g)
			t.Cleanup(srv.Close)
			logs, logger := leaktest.NewLog()
			c, err := taobaofilm.NewClient(taobaofilm.Config{Gateway: srv.URL + "/router/rest", AppKey: "12345678", AppSecret: echoSecret, Session: echoSession},
				couponkit.WithClock(testclock.New(vectorTime)), couponkit.WithLogger(logger))
			require.NoError(t, err)
			t.Cleanup(func() { _ = c.Close() })

			var errs []error
			_, err = c.ExportCodes(context.Background(), defaultExport())
			errs = append(errs, err)
			_, err = c.Call(context.Background(), merchantSend, sendOrder("U-1"), nil)
			errs = append(errs, err)
			_, err = c.Call(context.Background(), merchantSend, sendOrder("K-1"), nil, couponkit.Keyed("ext_order_id", "K-1"))
			errs = append(errs, err)
			_, err = c.Call(context.Background(), "taobao.film.x.get", map[string]string{"session_hint": echoSession}, &struct{}{}, couponkit.Read())
			errs = append(errs, err)

			texts := leaktest.Texts(t, logs, errs...)
			leaktest.AssertNoSecret(t, texts, echoSecret, echoSession)
			bodies := g.Bodies()
			require.NotEmpty(t, bodies)
			for _, body := range bodies {
				v, err := url.ParseQuery(string(body))
				require.NoError(t, err)
				sig := v.Get("sign")
				require.Len(t, sig, 64, "hmac-sha256 in hex")
				leaktest.AssertAbsent(t, texts, sig, "an attempt's signature")
			}
		})
	}
}
