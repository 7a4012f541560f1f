package probe

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
)

// Exchange is one request and its answer as the probe keeps them: redacted
// with the client's Redact (its secrets, and this exchange's signature or
// token, in every spelling) before it is stored.
type Exchange struct {
	// Point is the point whose check sent it; Call names the call within
	// the check ("read: getCustomerCoupons", "write: activate").
	Point string `json:"point"`
	Call  string `json:"call"`
	// Method and URL of the request (the URL's query redacted like the rest).
	Method string `json:"method"`
	URL    string `json:"url"`
	// RequestHeader holds the request's headers, one value each.
	RequestHeader map[string]string `json:"requestHeader,omitempty"`
	RequestBody   string            `json:"requestBody,omitempty"`
	// Status is the answer's HTTP status; 0 when none came.
	Status         int               `json:"status"`
	ResponseHeader map[string]string `json:"responseHeader,omitempty"`
	ResponseBody   string            `json:"responseBody,omitempty"`
	// Error is the transport's error when no answer came.
	Error string `json:"error,omitempty"`
}

// recorder is the http.RoundTripper the probe's clients send through: it
// forwards to base and keeps each exchange, redacted.
type recorder struct {
	base http.RoundTripper

	mu        sync.Mutex
	point     string
	call      string
	exchanges []Exchange
	// redactFn is the main client's Redact; extra are values every text is
	// cleaned of as well (a wrong secret a check tried).
	redactFn func(s string, extra ...string) string
	extra    []string
}

func (rc *recorder) setLabel(point, call string) {
	rc.mu.Lock()
	rc.point, rc.call = point, call
	rc.mu.Unlock()
}

// setRedactor sets the function every kept text goes through.
func (rc *recorder) setRedactor(f func(s string, extra ...string) string) {
	rc.mu.Lock()
	rc.redactFn = f
	rc.mu.Unlock()
}

// addSecret makes every kept text be cleaned of s too.
func (rc *recorder) addSecret(s string) {
	rc.mu.Lock()
	rc.extra = append(rc.extra, s)
	rc.mu.Unlock()
}

// redact cleans s of the client's secrets and the run's extra ones.
func (rc *recorder) redact(s string, extra ...string) string {
	rc.mu.Lock()
	f, all := rc.redactFn, append(slices.Clone(rc.extra), extra...)
	rc.mu.Unlock()
	if f == nil {
		// No client yet: nothing may be kept unredacted.
		return "[redacted]"
	}
	return f(s, all...)
}

// signatureKeys are the names under which a request or answer carries its
// own signature or token: e-Buy's sign, zvcms's token, TOP's sign, Suning's
// signInfo header. They are redacted in every spelling wherever they appear.
var signatureKeys = []string{"sign", "token", "signinfo"}

// RoundTrip sends req through base and keeps the exchange, redacted; the
// caller gets the answer as it came.
func (rc *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	var reqBody []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		_ = req.Body.Close()
		if err != nil {
			return nil, err
		}
		reqBody = b
		req.Body = io.NopCloser(bytes.NewReader(b))
	}
	resp, err := rc.base.RoundTrip(req)
	var respBody []byte
	if resp != nil && resp.Body != nil {
		b, rerr := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(b))
		respBody = b
		if rerr != nil && err == nil {
			resp.Body = io.NopCloser(io.MultiReader(bytes.NewReader(b), errReader{rerr}))
		}
	}
	// This exchange's own signatures and tokens.
	var own []string
	own = append(own, signatures(req.Header, reqBody, req.URL.Query())...)
	if resp != nil {
		own = append(own, signatures(resp.Header, respBody, nil)...)
	}
	ex := Exchange{Method: req.Method, URL: rc.redact(req.URL.String(), own...), RequestHeader: rc.headers(req.Header, own),
		RequestBody: rc.redact(string(reqBody), own...)}
	if resp != nil {
		ex.Status, ex.ResponseHeader, ex.ResponseBody = resp.StatusCode, rc.headers(resp.Header, own), rc.redact(string(respBody), own...)
	}
	if err != nil {
		ex.Error = rc.redact(err.Error(), own...)
	}
	rc.mu.Lock()
	ex.Point, ex.Call = rc.point, rc.call
	rc.exchanges = append(rc.exchanges, ex)
	rc.mu.Unlock()
	return resp, err
}

type errReader struct{ err error }

// Read fails with the error the answer's body ended with.
func (e errReader) Read([]byte) (int, error) { return 0, e.err }

func (rc *recorder) headers(h http.Header, own []string) map[string]string {
	if len(h) == 0 {
		return nil
	}
	out := make(map[string]string, len(h))
	for k, v := range h {
		out[k] = rc.redact(strings.Join(v, ", "), own...)
	}
	return out
}

// signatures returns the values under signatureKeys in headers, a JSON
// object body (at any depth), a form body and query.
func signatures(h http.Header, body []byte, query url.Values) []string {
	var out []string
	isSig := func(k string) bool { return slices.Contains(signatureKeys, strings.ToLower(k)) }
	for k, v := range h {
		if isSig(k) {
			out = append(out, v...)
		}
	}
	for k, v := range query {
		if isSig(k) {
			out = append(out, v...)
		}
	}
	var doc any
	if json.Unmarshal(body, &doc) == nil {
		var walk func(any)
		walk = func(v any) {
			switch t := v.(type) {
			case map[string]any:
				for k, x := range t {
					if s, ok := x.(string); ok && isSig(k) {
						out = append(out, s)
					}
					walk(x)
				}
			case []any:
				for _, x := range t {
					walk(x)
				}
			}
		}
		walk(doc)
	} else if form, err := url.ParseQuery(string(body)); err == nil {
		for k, v := range form {
			if isSig(k) {
				out = append(out, v...)
			}
		}
	}
	return out
}

// of returns the exchanges of point.
func (rc *recorder) of(point string) []Exchange {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	var out []Exchange
	for _, ex := range rc.exchanges {
		if ex.Point == point {
			out = append(out, ex)
		}
	}
	return out
}

func (rc *recorder) all() []Exchange {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return slices.Clone(rc.exchanges)
}
