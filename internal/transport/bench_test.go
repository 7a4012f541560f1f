package transport

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/couponkit/couponkit"
)

// BenchmarkPipeline compares one call through the pipeline with the same
// request sent by hand with net/http, against the same loopback server.
func BenchmarkPipeline(b *testing.B) {
	answer := []byte(`{"ok":true}`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(answer)
	}))
	defer srv.Close()
	body := bytes.Repeat([]byte("x"), 300)
	ctx := context.Background()

	b.Run("sdk", func(b *testing.B) {
		c := New("bench", couponkit.ResolveOptions())
		defer c.Close()
		call := &Call{Operation: "op", URL: srv.URL, Class: Safe,
			Build: func(int) (Payload, error) { return Payload{Body: body, ContentType: "application/json"}, nil },
			Check: func(r *Response) error {
				if !bytes.Equal(r.Body, answer) {
					return &couponkit.Error{Message: "bad"}
				}
				return nil
			}}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.Do(ctx, call); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("handwritten", func(b *testing.B) {
		hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
		defer hc.CloseIdleConnections()
		b.ReportAllocs()
		for b.Loop() {
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL, bytes.NewReader(body))
			if err != nil {
				b.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/json")
			resp, err := hc.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			got, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil || !bytes.Equal(got, answer) {
				b.Fatal("bad answer", err)
			}
		}
	})
}
