package houcaller_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/houcaller"
)

// echoKey is a DES key (8 bytes) whose escaped forms all differ from it.
const echoKey = `k&+ %"é`

// keyForms is every spelling of echoKey a gateway could echo: raw, URL
// query and path escaped, JSON-escaped (as jsonx, encoding/json, Python,
// Jackson, Gson and System.Text.Json write it),
// hex in both cases and Base64 in both alphabets, padded and not.
func keyForms() map[string]string {
	htmlJSON, _ := json.Marshal(echoKey)
	var plain bytes.Buffer
	enc := json.NewEncoder(&plain)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(echoKey)
	h := hex.EncodeToString([]byte(echoKey))
	return map[string]string{
		"raw":            echoKey,
		"query":          url.QueryEscape(echoKey),
		"path":           url.PathEscape(echoKey),
		"json":           strings.Trim(strings.TrimSpace(plain.String()), `"`),
		"json html":      strings.Trim(string(htmlJSON), `"`),
		"json ascii":     `k&+ %\"\u00e9`,               // Python's json.dumps
		"json ASCII":     `k&+ %\"\u00E9`,               // Jackson's ESCAPE_NON_ASCII
		"json gson":      `k\u0026+ %\"é`,               // Gson
		"json dotnet":    `k\u0026\u002B %\u0022\u00E9`, // System.Text.Json's default encoder
		"hex":            h,
		"HEX":            strings.ToUpper(h),
		"base64":         base64.StdEncoding.EncodeToString([]byte(echoKey)),
		"base64 raw":     base64.RawStdEncoding.EncodeToString([]byte(echoKey)),
		"base64 url":     base64.URLEncoding.EncodeToString([]byte(echoKey)),
		"base64 raw url": base64.RawURLEncoding.EncodeToString([]byte(echoKey)),
	}
}

// echo is a gateway that prints the whole request back, preceded by every
// spelling of the key, as a misconfigured gateway or proxy might.
func echo(status int, html bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var b strings.Builder
		for _, f := range keyForms() {
			b.WriteString(f + " | ")
		}
		fmt.Fprintf(&b, "%s %s %v %s", r.Method, r.URL.String(), r.Header, body)
		if html {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(status)
			_, _ = io.WriteString(w, "<html><body>"+b.String()+"</body></html>")
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		out, _ := json.Marshal(map[string]any{"code": 500, "msg": b.String()})
		_, _ = w.Write(out)
	}
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

// TestEchoingGatewayLeaksNoKey: whatever the gateway echoes, the DES key in
// none of its spellings reaches an error or a debug log line.
func TestEchoingGatewayLeaksNoKey(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		handler http.HandlerFunc
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
			var logs bytes.Buffer
			c, err := houcaller.NewClient(houcaller.Config{Gateway: srv.URL + "/openapi/v1", Channel: "hkl-test", DESKey: echoKey},
				couponkit.WithClock(newClock()),
				couponkit.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
			require.NoError(t, err)
			t.Cleanup(func() { _ = c.Close() })

			var errs []error
			_, err = c.SellCard(context.Background(), exampleSale())
			errs = append(errs, err)
			_, err = c.Call(context.Background(), houcaller.EndpointListCouponsByMember, map[string]string{"memberId": "m1"}, &struct{}{}, couponkit.Read())
			errs = append(errs, err)
			_, err = c.Call(context.Background(), houcaller.EndpointGiftCoupon, nil, nil)
			errs = append(errs, err)

			var texts []string
			for _, err := range errs {
				var ce *couponkit.Error
				require.True(t, errors.As(err, &ce), "%v", err)
				texts = append(texts, errorTexts(err)...)
			}
			texts = append(texts, logs.String())
			assert.Contains(t, logs.String(), "couponkit attempt", "the log was captured")
			for name, form := range keyForms() {
				for _, s := range texts {
					assert.NotContains(t, s, form, "the key's %s form leaked", name)
				}
			}
		})
	}
}
