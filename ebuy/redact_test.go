package ebuy_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/ebuy"
)

// forms returns s raw, URL-escaped (query and path escaping) and
// JSON-escaped: plainly, as encoding/json writes it ('&' as \u0026) and as
// Gson does (also '=' as \u003d).
func forms(s string) []string {
	j, _ := json.Marshal(s)
	html := string(j[1 : len(j)-1])
	plain := strings.NewReplacer(`\u0026`, "&", `\u003c`, "<", `\u003e`, ">").Replace(html)
	gson := strings.NewReplacer("=", `\u003d`, "'", `\u0027`).Replace(html)
	return []string{s, url.QueryEscape(s), url.PathEscape(s), plain, html, gson}
}

// echoGateway answers every request with status and the whole request
// echoed back (method, URL with query, headers, body), as some gateways and
// proxies do, after the strings in reflect (a gateway that quotes a
// configured value in its error page).
type echoGateway struct {
	status  int
	reflect []string

	mu    sync.Mutex
	signs []string // the sign of every request received
}

func (g *echoGateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var env struct {
		Sign string `json:"sign"`
	}
	_ = json.Unmarshal(body, &env)
	g.mu.Lock()
	g.signs = append(g.signs, env.Sign)
	g.mu.Unlock()
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(g.status)
	_, _ = fmt.Fprintf(w, "<html><pre>%s\n%s\n%s %s\n%v</pre></html>", strings.Join(g.reflect, " "), body, r.Method, r.URL.String(), r.Header)
}

func TestEchoingGatewayLeaksNoSecret(t *testing.T) {
	t.Parallel()
	const secret = `se/cr+et "ü"&=x 0123456789abcdef`
	for _, status := range []int{500, 200} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			t.Parallel()
			gw := &echoGateway{status: status, reflect: forms(secret)}
			srv := httptest.NewServer(gw)
			defer srv.Close()
			var logs bytes.Buffer
			logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			c, err := ebuy.NewClient(ebuy.Config{Gateway: srv.URL, AppID: "app-1", AppSecret: secret, BrandID: "4339"},
				couponkit.WithLogger(logger), couponkit.WithClock(couponkittest.NewClock(time.Date(2024, 5, 17, 10, 0, 0, 0, beijing))),
				couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 2}))
			require.NoError(t, err)
			defer c.Close()

			var errs []error
			_, err = c.Call(context.Background(), "batchActivateCode", map[string]any{"codeArray": []string{"c1"}}, nil)
			errs = append(errs, err)
			_, err = c.ActivateCodes(context.Background(), &ebuy.ActivateCodesRequest{Codes: []string{"c1"}})
			errs = append(errs, err)
			_, err = c.ProductDetail(context.Background(), 7)
			errs = append(errs, err)

			gw.mu.Lock()
			// The secret as System.Text.Json writes it by default, and as an
			// ASCII-only writer with encoding/json's HTML escapes does.
			secrets := append(forms(secret),
				`se/cr\u002Bet \u0022\u00FC\u0022\u0026=x 0123456789abcdef`,
				`se/cr+et \"\u00fc\"\u0026=x 0123456789abcdef`)
			for _, s := range gw.signs {
				require.NotEmpty(t, s)
				secrets = append(secrets, forms(s)...)
			}
			gw.mu.Unlock()
			require.Len(t, secrets, 2+6*(1+5), "five requests: one Unsafe, two keyed, two read attempts")

			var texts []string
			for _, err := range errs {
				require.Error(t, err)
				texts = append(texts, err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err))
				for e := err; e != nil; e = unwrapOne(e) {
					texts = append(texts, e.Error(), fmt.Sprintf("%#v", e))
				}
				var ce *couponkit.Error
				require.ErrorAs(t, err, &ce)
				assert.Contains(t, ce.Message, "[redacted]", "the echo was read, with the secrets taken out")
			}
			texts = append(texts, logs.String())
			require.NotEmpty(t, logs.String())
			for _, text := range texts {
				for _, s := range secrets {
					assert.NotContains(t, text, s)
				}
			}
		})
	}
}

// unwrapOne returns the first error err wraps, or nil.
func unwrapOne(err error) error {
	switch u := err.(type) {
	case interface{ Unwrap() []error }:
		if es := u.Unwrap(); len(es) > 0 {
			return es[len(es)-1]
		}
		return nil
	default:
		return errors.Unwrap(err)
	}
}
