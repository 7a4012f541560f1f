// Package benchkit measures the SDK against a hand-written baseline honestly
// on shared machines: both sides run interleaved in the same benchmark loop,
// so a change in machine load hits both, and the result is the median of
// per-round ratios with its spread, not two numbers taken minutes apart.
//
// It also serves canned answers from memory (RoundTripper), fixed-length,
// chunked or gzip-encoded, for client-only variants that leave the network
// and the server out of the measurement.
package benchkit

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"slices"
	"strconv"
	"testing"
	"time"
)

// roundSize is how many calls of each side make one round.
const roundSize = 16

// Paired runs sdk and hand alternately (the order flipping every call) in one
// b.Loop, and reports:
//   - ratio: the median over rounds of sdk time / hand time,
//   - ratio-p10 and ratio-p90: the spread of the per-round ratios,
//   - sdk-ns/op and hand-ns/op: the median per-call time of each side.
//
// ns/op of the benchmark itself is the time of one sdk and one hand call
// together. An error from either side fails the benchmark.
func Paired(b *testing.B, sdk, hand func() error) {
	b.Helper()
	var (
		ratios      []float64
		sdkN, handN []float64
		sdkT, handT time.Duration
		n           int
	)
	run := func(f func() error) time.Duration {
		start := time.Now()
		if err := f(); err != nil {
			b.Fatal(err)
		}
		return time.Since(start)
	}
	for b.Loop() {
		if n%2 == 0 {
			sdkT += run(sdk)
			handT += run(hand)
		} else {
			handT += run(hand)
			sdkT += run(sdk)
		}
		n++
		if n == roundSize {
			ratios = append(ratios, float64(sdkT)/float64(handT))
			sdkN = append(sdkN, float64(sdkT)/roundSize)
			handN = append(handN, float64(handT)/roundSize)
			sdkT, handT, n = 0, 0, 0
		}
	}
	if len(ratios) == 0 {
		return
	}
	b.ReportMetric(Quantile(ratios, 0.5), "ratio")
	b.ReportMetric(Quantile(ratios, 0.1), "ratio-p10")
	b.ReportMetric(Quantile(ratios, 0.9), "ratio-p90")
	b.ReportMetric(Quantile(sdkN, 0.5), "sdk-ns/op")
	b.ReportMetric(Quantile(handN, 0.5), "hand-ns/op")
}

// Quantile returns the q-quantile (0..1) of xs by the nearest-rank method.
func Quantile(xs []float64, q float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	i := int(q*float64(len(s)-1) + 0.5)
	return s[min(max(i, 0), len(s)-1)]
}

// Encoding is how a canned answer is framed on the wire.
type Encoding int

const (
	// Fixed sends Content-Length.
	Fixed Encoding = iota
	// Chunked sends no length (Transfer-Encoding: chunked on a real server).
	Chunked
	// Gzip sends the body gzip-compressed; the client decompresses it and,
	// like net/http, reports an unknown length.
	Gzip
)

// String returns "fixed", "chunked" or "gzip".
func (e Encoding) String() string {
	switch e {
	case Chunked:
		return "chunked"
	case Gzip:
		return "gzip"
	default:
		return "fixed"
	}
}

// Encodings lists every Encoding, for sub-benchmarks.
var Encodings = []Encoding{Fixed, Chunked, Gzip}

// Handler answers every request with body framed by enc, after reading the
// request body. For loopback servers.
func Handler(body []byte, enc Encoding) http.Handler {
	gz := gzipped(body)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		h := w.Header()
		h.Set("Content-Type", "application/json")
		switch enc {
		case Fixed:
			h.Set("Content-Length", strconv.Itoa(len(body)))
			_, _ = w.Write(body)
		case Chunked:
			// Flushing before the end makes net/http send chunks.
			half := len(body) / 2
			_, _ = w.Write(body[:half])
			w.(http.Flusher).Flush()
			_, _ = w.Write(body[half:])
		case Gzip:
			h.Set("Content-Encoding", "gzip")
			h.Set("Content-Length", strconv.Itoa(len(gz)))
			_, _ = w.Write(gz)
		}
	})
}

func gzipped(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write(b)
	_ = zw.Close()
	return buf.Bytes()
}

// RoundTripper answers every request from memory with body framed by enc,
// after reading the request body: the client's own cost without a network or
// a server. A Gzip answer is decompressed as net/http's transport does (and
// its length reported unknown). Safe for concurrent use.
type RoundTripper struct {
	body []byte
	gz   []byte
	enc  Encoding
}

// NewRoundTripper returns a RoundTripper answering body framed by enc.
func NewRoundTripper(body []byte, enc Encoding) *RoundTripper {
	return &RoundTripper{body: body, gz: gzipped(body), enc: enc}
}

// RoundTrip implements http.RoundTripper.
func (t *RoundTripper) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		_ = r.Body.Close()
	}
	resp := &http.Response{StatusCode: 200, Status: "200 OK", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{"Content-Type": {"application/json"}}, Request: r}
	switch t.enc {
	case Fixed:
		resp.ContentLength = int64(len(t.body))
		resp.Body = io.NopCloser(bytes.NewReader(t.body))
	case Chunked:
		resp.ContentLength = -1
		resp.TransferEncoding = []string{"chunked"}
		resp.Body = io.NopCloser(bytes.NewReader(t.body))
	case Gzip:
		zr, err := gzip.NewReader(bytes.NewReader(t.gz))
		if err != nil {
			return nil, err
		}
		resp.ContentLength = -1
		resp.Uncompressed = true
		resp.Body = zr
	}
	return resp, nil
}
