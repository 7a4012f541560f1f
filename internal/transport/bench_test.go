package transport

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/go-resty/resty/v2"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/benchkit"
)

// answerOf returns a JSON answer of about n bytes.
func answerOf(n int) []byte {
	b := []byte(`{"ok":true,"pad":"`)
	b = append(b, bytes.Repeat([]byte("x"), max(n-len(b)-2, 0))...)
	return append(b, `"}`...)
}

var benchSizes = []int{1 << 10, 32 << 10}

// sides returns the SDK call, a hand-written net/http call and a bare resty
// call of the same request against rt (nil: the network) and url.
func sides(tb testing.TB, rt http.RoundTripper, url string, answer []byte) (sdk, hand, bare func() error) {
	body := bytes.Repeat([]byte("y"), 300)
	ctx := context.Background()
	var opts []couponkit.Option
	if rt != nil {
		opts = append(opts, couponkit.WithTransport(rt))
	}
	c := New("bench", couponkit.ResolveOptions(opts...))
	tb.Cleanup(c.Close)
	call := &Call{Operation: "op", URL: url, Class: Safe,
		Build: func(int) (Payload, error) { return Payload{Body: body, ContentType: "application/json"}, nil },
		Check: func(r *Response) error {
			if len(r.Body) != len(answer) {
				return &couponkit.Error{Message: "bad answer"}
			}
			return nil
		}}
	sdk = func() error { _, err := c.Do(ctx, call); return err }

	// A competent hand-written call: the same headers and per-request timeout.
	hc := &http.Client{Transport: rt}
	if rt == nil {
		hc.Transport = http.DefaultTransport.(*http.Transport).Clone()
	}
	tb.Cleanup(hc.CloseIdleConnections)
	hand = func() error {
		cctx, cancel := context.WithTimeout(ctx, 15*time.Second)
		defer cancel()
		req, err := http.NewRequestWithContext(cctx, http.MethodPost, url, bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json")
		req.Header.Set("User-Agent", couponkit.DefaultUserAgent)
		resp, err := hc.Do(req)
		if err != nil {
			return err
		}
		got, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		if len(got) != len(answer) {
			return fmt.Errorf("bad answer of %d bytes", len(got))
		}
		return nil
	}

	// The same bytes through resty alone, as the SDK configures it.
	rc := resty.NewWithClient(hc).SetDoNotParseResponse(true).
		SetHeader("User-Agent", couponkit.DefaultUserAgent).SetHeader("Accept", "application/json")
	bare = func() error {
		cctx, cancel := context.WithTimeout(ctx, 15*time.Second)
		defer cancel()
		r, err := rc.R().SetContext(cctx).SetHeader("Content-Type", "application/json").SetBody(bytes.NewReader(body)).Post(url)
		if err != nil {
			return err
		}
		raw := r.RawBody()
		got, err := io.ReadAll(raw)
		raw.Close()
		if err != nil {
			return err
		}
		if len(got) != len(answer) {
			return fmt.Errorf("bad answer of %d bytes", len(got))
		}
		return nil
	}
	return sdk, hand, bare
}

// BenchmarkPipeline pairs one call through the pipeline with the same
// request written by hand with net/http (vs=handwritten) and sent by bare
// resty (vs=resty), interleaved in one loop; see benchkit.Paired for the
// metrics. net= loopback goes through a local server, memory through an
// in-memory RoundTripper (the client's own cost).
func BenchmarkPipeline(b *testing.B) {
	for _, size := range benchSizes {
		answer := answerOf(size)
		for _, enc := range benchkit.Encodings {
			srv := httptest.NewServer(benchkit.Handler(answer, enc))
			for _, net := range []string{"loopback", "memory"} {
				var rt http.RoundTripper
				url := srv.URL
				if net == "memory" {
					rt, url = benchkit.NewRoundTripper(answer, enc), "http://bench.invalid/op"
				}
				sdk, hand, bare := sides(b, rt, url, answer)
				name := fmt.Sprintf("net=%s/enc=%s/size=%d", net, enc, size)
				b.Run(name+"/vs=handwritten", func(b *testing.B) { benchkit.Paired(b, sdk, hand) })
				b.Run(name+"/vs=resty", func(b *testing.B) { benchkit.Paired(b, sdk, bare) })
			}
			srv.Close()
		}
	}
}

// BenchmarkPipelineParallel is the pipeline's throughput with concurrent callers.
func BenchmarkPipelineParallel(b *testing.B) {
	answer := answerOf(1 << 10)
	sdk, _, _ := sides(b, benchkit.NewRoundTripper(answer, benchkit.Fixed), "http://bench.invalid/op", answer)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := sdk(); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
