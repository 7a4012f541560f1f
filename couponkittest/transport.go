package couponkittest

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"runtime/debug"
	"strconv"
	"strings"
)

// RemoteAddr is the RemoteAddr of every request a [HandlerTransport] serves
// (an address of TEST-NET-1, RFC 5737).
const RemoteAddr = "192.0.2.1:40000"

// errAborted is returned by a HandlerTransport whose handler aborted the
// response, as a server that closes the connection does.
var errAborted = fmt.Errorf("couponkittest: connection closed before a response: %w", io.ErrUnexpectedEOF)

// HandlerTransport returns an http.RoundTripper that serves every request
// with h in this process, without sockets: tests that use it run in
// parallel freely and inside a testing/synctest bubble.
//
// Each round trip behaves as over a connection to an HTTP/1.1 server:
//
//   - The request body is read in full and closed before h runs; h sees a
//     server-side request (URL with path and query only, Host, RequestURI,
//     RemoteAddr [RemoteAddr], a Content-Length and a default User-Agent as
//     Go's client sends them, TLS set for an https URL) whose context is done
//     when the caller's is, or once h returns.
//   - h runs to completion before the response is returned; the response
//     carries the status (200 if h set none), the header as it was when the
//     status was written, a Content-Type sniffed as net/http does when h set
//     none, and a body reading the bytes h wrote (none for HEAD, 204 and 304).
//   - When the caller's context is done first, RoundTrip returns its error
//     at once; h goes on until it returns, as a server's handler would. A
//     response body read after the context is done returns its error.
//   - A handler that panics with http.ErrAbortHandler makes RoundTrip fail
//     with an error wrapping io.ErrUnexpectedEOF, as a dropped connection
//     does; another panic is returned as an error carrying the panic value
//     and stack.
//   - The httptrace hooks WroteHeaders, WroteRequest and
//     GotFirstResponseByte fire as on a real connection, so a client can tell
//     a request that left from one that never did.
func HandlerTransport(h http.Handler) http.RoundTripper { return handlerTransport{h} }

type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	if req.URL == nil {
		closeBody(req)
		return nil, errors.New("couponkittest: request has no URL")
	}
	if err := ctx.Err(); err != nil {
		closeBody(req)
		return nil, err
	}
	var body []byte
	if req.Body != nil && req.Body != http.NoBody {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("couponkittest: reading the request body: %w", err)
		}
		body = b
	}
	trace := httptrace.ContextClientTrace(ctx)
	if trace != nil && trace.WroteHeaders != nil {
		trace.WroteHeaders()
	}
	if trace != nil && trace.WroteRequest != nil {
		trace.WroteRequest(httptrace.WroteRequestInfo{})
	}

	hctx, cancel := context.WithCancel(ctx)
	sreq := serverRequest(hctx, req, body)
	rec := &recorder{header: http.Header{}}
	type result struct {
		aborted bool
		panic   error
	}
	done := make(chan result, 1)
	go func() {
		defer cancel()
		var res result
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					res.aborted = true
				} else {
					res.panic = fmt.Errorf("couponkittest: handler panicked: %v\n%s", p, debug.Stack())
				}
			}
			done <- res
		}()
		t.h.ServeHTTP(rec, sreq)
	}()
	var res result
	select {
	case res = <-done:
		// A handler that returns because the client left (its request's
		// context is the client's) finishes at the moment the client's
		// context ends: the client has gone either way.
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	switch {
	case res.panic != nil:
		return nil, res.panic
	case res.aborted:
		return nil, errAborted
	}
	if trace != nil && trace.GotFirstResponseByte != nil {
		trace.GotFirstResponseByte()
	}
	return rec.response(req), nil
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		req.Body.Close()
	}
}

// serverRequest builds the request a server would hand its handler.
func serverRequest(ctx context.Context, req *http.Request, body []byte) *http.Request {
	sr := req.Clone(ctx)
	host := req.Host
	if host == "" {
		host = req.URL.Host
	}
	sr.URL = &url.URL{Path: req.URL.Path, RawPath: req.URL.RawPath, RawQuery: req.URL.RawQuery}
	if sr.URL.Path == "" {
		sr.URL.Path = "/"
	}
	sr.RequestURI = sr.URL.RequestURI()
	sr.Host = host
	sr.RemoteAddr = RemoteAddr
	sr.Proto, sr.ProtoMajor, sr.ProtoMinor = "HTTP/1.1", 1, 1
	if sr.Method == "" {
		sr.Method = http.MethodGet
	}
	// A server reads header names in canonical form, whatever the client
	// wrote ("AppMethod" arrives as "Appmethod").
	canon := make(http.Header, len(sr.Header)+2)
	for k, v := range sr.Header {
		ck := http.CanonicalHeaderKey(k)
		canon[ck] = append(canon[ck], v...)
	}
	sr.Header = canon
	sr.Header.Del("Host")
	if sr.Header.Get("User-Agent") == "" {
		if _, suppressed := req.Header["User-Agent"]; !suppressed {
			sr.Header.Set("User-Agent", "Go-http-client/1.1")
		}
	}
	if len(body) > 0 || sr.Method == http.MethodPost || sr.Method == http.MethodPut || sr.Method == http.MethodPatch {
		sr.Header.Set("Content-Length", strconv.Itoa(len(body)))
	}
	sr.Body = io.NopCloser(bytes.NewReader(body))
	sr.ContentLength = int64(len(body))
	sr.GetBody = nil
	sr.TransferEncoding = nil
	sr.Close = false
	sr.Form, sr.PostForm, sr.MultipartForm = nil, nil, nil
	sr.Trailer = nil
	sr.Response = nil
	sr.TLS = nil
	if strings.EqualFold(req.URL.Scheme, "https") {
		sr.TLS = &tls.ConnectionState{HandshakeComplete: true, ServerName: hostname(host)}
	}
	return sr
}

func hostname(hostport string) string {
	u := url.URL{Host: hostport}
	return u.Hostname()
}

// recorder is the ResponseWriter a HandlerTransport hands its handler.
type recorder struct {
	header http.Header // as the handler sees it
	sent   http.Header // as it was when the status was written
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(code int) {
	if r.status != 0 {
		return // a superfluous call, ignored as net/http does
	}
	if code < 100 || code > 999 {
		panic(fmt.Sprintf("invalid WriteHeader code %v", code))
	}
	if code >= 100 && code < 200 && code != http.StatusSwitchingProtocols {
		return // an informational answer; the final one follows
	}
	r.status = code
	r.sent = r.header.Clone()
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.WriteHeader(http.StatusOK)
	}
	return r.body.Write(b)
}

// Flush implements http.Flusher; the response is delivered when the handler returns.
func (r *recorder) Flush() {
	if r.status == 0 {
		r.WriteHeader(http.StatusOK)
	}
}

func (r *recorder) response(req *http.Request) *http.Response {
	if r.status == 0 {
		r.WriteHeader(http.StatusOK)
	}
	h := r.sent
	body := r.body.Bytes()
	if req.Method == http.MethodHead || r.status == http.StatusNoContent || r.status == http.StatusNotModified {
		body = nil
	}
	if _, set := h["Content-Type"]; !set && len(body) > 0 && h.Get("Transfer-Encoding") == "" {
		h.Set("Content-Type", http.DetectContentType(body[:min(len(body), 512)]))
	}
	if h.Get("Content-Length") == "" && req.Method != http.MethodHead && r.status != http.StatusNoContent && r.status != http.StatusNotModified {
		h.Set("Content-Length", strconv.Itoa(len(body)))
	}
	resp := &http.Response{
		Status:        strconv.Itoa(r.status) + " " + http.StatusText(r.status),
		StatusCode:    r.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        h,
		Body:          &ctxReader{ctx: req.Context(), r: bytes.NewReader(body)},
		ContentLength: int64(len(body)),
		Request:       req,
	}
	if req.Method == http.MethodHead {
		resp.ContentLength = -1
		if n, err := strconv.ParseInt(h.Get("Content-Length"), 10, 64); err == nil {
			resp.ContentLength = n
		}
	}
	if strings.EqualFold(req.URL.Scheme, "https") {
		resp.TLS = &tls.ConnectionState{HandshakeComplete: true, ServerName: req.URL.Hostname()}
	}
	return resp
}

// ctxReader reads a response body until its request's context is done.
type ctxReader struct {
	ctx context.Context
	r   *bytes.Reader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

func (c *ctxReader) Close() error { return nil }
