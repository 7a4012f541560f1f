package taobaofilm_test

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

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/testclock"
	"github.com/couponkit/couponkit/taobaofilm"
)

// The app secret and the session, chosen so that every escaped form differs
// from the raw one.
const (
	echoSecret  = `app+secret/é&"=`
	echoSession = `6100a/b+c d=e&f"é`
)

// asciiJSON is each secret JSON-escaped with non-ASCII escaped too (as
// Python's json.dumps and Jackson's ESCAPE_NON_ASCII write it), plain and
// with HTML escaping, written by hand.
var asciiJSON = map[string][]string{
	echoSecret:  {`app+secret/\u00e9&\"=`, `app+secret/\u00e9\u0026\"=`, `app+secret/\u00E9\u0026\"=`},
	echoSession: {`6100a/b+c d=e&f\"\u00e9`, `6100a/b+c d=e\u0026f\"\u00e9`, `6100a/b+c d=e\u0026f\"\u00E9`},
}

// secretForms is every spelling of s a gateway could echo: raw, URL query
// and path escaped (the session travels query-escaped in the form body),
// and JSON-escaped with and without HTML escaping and ASCII escaping.
func secretForms(s string) map[string]string {
	htmlJSON, _ := json.Marshal(s)
	var plain bytes.Buffer
	enc := json.NewEncoder(&plain)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	forms := map[string]string{
		"raw":       s,
		"query":     url.QueryEscape(s),
		"path":      url.PathEscape(s),
		"json":      strings.Trim(strings.TrimSpace(plain.String()), `"`),
		"json html": strings.Trim(string(htmlJSON), `"`),
	}
	for i, f := range asciiJSON[s] {
		forms[fmt.Sprintf("json ascii %d", i)] = f
	}
	return forms
}

// echoGateway prints the whole request back (every spelling of the
// secrets first, then the body, URL and headers), as a misconfigured
// gateway or proxy might, and keeps the signatures it saw.
type echoGateway struct {
	status int
	html   bool
	mu     sync.Mutex
	signs  []string
}

func (g *echoGateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if v, err := url.ParseQuery(string(body)); err == nil {
		g.mu.Lock()
		g.signs = append(g.signs, v.Get("sign"))
		g.mu.Unlock()
	}
	var b strings.Builder
	for _, s := range []string{echoSecret, echoSession} {
		for _, f := range secretForms(s) {
			b.WriteString(f + " | ")
		}
	}
	fmt.Fprintf(&b, "%s %s %s %v", body, r.Method, r.URL.String(), r.Header)
	if g.html {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(g.status)
		_, _ = io.WriteString(w, "<html><body>"+b.String()+"</body></html>")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(g.status)
	out, _ := json.Marshal(map[string]any{"error_response": map[string]any{"code": 15, "msg": b.String(), "sub_code": "isp.echo", "sub_msg": string(body)}})
	_, _ = w.Write(out)
}

// errorTexts is every text an error shows: Error, %+v, %#v and the texts of
// every cause in its tree.
func errorTexts(err error) []string {
	out := []string{fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)}
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
			g := &echoGateway{status: tc.status, html: tc.html}
			srv := httptest.NewServer(g)
			t.Cleanup(srv.Close)
			var logs bytes.Buffer
			c, err := taobaofilm.NewClient(taobaofilm.Config{Gateway: srv.URL + "/router/rest", AppKey: "12345678", AppSecret: echoSecret, Session: echoSession},
				couponkit.WithClock(testclock.New(vectorTime)),
				couponkit.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
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

			var texts []string
			for _, err := range errs {
				var ce *couponkit.Error
				require.True(t, errors.As(err, &ce), "%v", err)
				texts = append(texts, errorTexts(err)...)
			}
			texts = append(texts, logs.String())
			assert.Contains(t, logs.String(), "couponkit attempt", "the log was captured")
			for _, secret := range []string{echoSecret, echoSession} {
				for name, form := range secretForms(secret) {
					for _, s := range texts {
						assert.NotContains(t, s, form, "the %s form of %q leaked", name, secret)
					}
				}
			}
			g.mu.Lock()
			signs := g.signs
			g.mu.Unlock()
			require.NotEmpty(t, signs)
			for _, sig := range signs {
				require.Len(t, sig, 64, "hmac-sha256 in hex")
				for _, s := range texts {
					assert.NotContains(t, s, sig, "an attempt's signature leaked")
				}
			}
		})
	}
}
