package transport

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
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/fakekit"
)

// applyingHandler applies a write once per key (replaying repeats) and
// counts how many writes it applied.
type applyingHandler struct {
	mu      sync.Mutex
	applied map[string]int
}

func (h *applyingHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var in struct{ Key string }
	_ = json.NewDecoder(r.Body).Decode(&in)
	h.mu.Lock()
	if h.applied == nil {
		h.applied = map[string]int{}
	}
	if h.applied[in.Key] == 0 {
		h.applied[in.Key]++
	}
	h.mu.Unlock()
	_, _ = fmt.Fprintf(w, `{"ok":true,"data":{"key":%q}}`, in.Key)
}

func (h *applyingHandler) total() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, v := range h.applied {
		n += v
	}
	return n
}

// jsonEndpoint frames {"Key":key,"Body":req} and opens {"ok":…,"code":…,"data":…}:
// anything else is not a definite answer.
func jsonEndpoint(c *Client, base string) *Endpoint[string] {
	return &Endpoint[string]{
		Client: c,
		Base:   base,
		Frame: func(op *Op, attempt int, key string, req string) (Payload, error) {
			b, _ := json.Marshal(map[string]string{"Key": key, "Body": req})
			return Payload{Body: b, ContentType: "application/json"}, nil
		},
		Open: func(op *Op, key string, req string, r *Response) ([]byte, error) {
			var env struct {
				OK   *bool           `json:"ok"`
				Code string          `json:"code"`
				Data json.RawMessage `json:"data"`
			}
			if err := json.Unmarshal(r.Body, &env); err != nil {
				return nil, DecodeError(err, r.Body)
			}
			if env.OK == nil {
				return nil, Unreadable(couponkit.FaultUnknown, "no success flag", nil)
			}
			if !*env.OK {
				f := couponkit.FaultClient
				if env.Code == "BUSY" {
					f = couponkit.FaultServer
				}
				return nil, &couponkit.Error{Code: env.Code, Message: "refused", Fault: f}
			}
			return env.Data, nil
		},
	}
}

var (
	opUnsafe = &Op{Name: "sell", Path: "/sell", Class: Unsafe, KeyName: "saleNo"}
	opKeyed  = &Op{Name: "redeem", Path: "/redeem", Class: Keyed, KeyName: "bizId"}
	opRead   = &Op{Name: "query", Path: "/query", Class: Safe}
)

func TestAmbiguousAnswersAreUnknownOutcomes(t *testing.T) {
	t.Parallel()
	faults := []struct {
		name  string
		fault fakekit.Fault
	}{
		{"empty 200", fakekit.Fault{Status: 200, Body: []byte{}, AfterHandler: true}},
		{"html 200", fakekit.Fault{Status: 200, Body: []byte("<html><body>gateway</body></html>"), Header: http.Header{"Content-Type": {"text/html"}}}},
		{"malformed json 200", fakekit.Fault{Status: 200, Body: []byte(`{"ok":tru`)}},
		{"no success flag 200", fakekit.Fault{Status: 200, Body: []byte(`{"data":{}}`)}},
		{"5xx", fakekit.Fault{Status: 502, Body: []byte("bad gateway")}},
		{"vendor server fault", fakekit.Fault{Status: 200, Body: []byte(`{"ok":false,"code":"BUSY"}`)}},
		{"dropped after write", fakekit.Fault{Drop: true, AfterHandler: true}},
		{"timeout after write", fakekit.Fault{Delay: time.Hour}},
	}
	for _, f := range faults {
		for _, op := range []*Op{opUnsafe, opKeyed} {
			t.Run(f.name+"/"+op.Name, func(t *testing.T) {
				t.Parallel()
				h := &applyingHandler{}
				srv := fakekit.NewServer(h)
				defer srv.Close()
				// Every attempt meets the fault, so a Keyed write exhausts its retries.
				for range 3 {
					srv.Inject(f.fault)
				}
				c := loopbackClient(t, couponkit.WithTimeout(time.Second))
				ep := jsonEndpoint(c, srv.URL)
				var decoded bool
				_, err := ep.Invoke(context.Background(), op, "K-1", "x", func([]byte) error { decoded = true; return nil })
				require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
				key, ok := couponkit.IdempotencyKey(err)
				require.True(t, ok)
				assert.Equal(t, "K-1", key)
				var u *couponkit.UnknownOutcomeError
				require.ErrorAs(t, err, &u)
				assert.Equal(t, op.KeyName, u.KeyName)
				var ce *couponkit.Error
				require.ErrorAs(t, err, &ce, "the cause stays reachable")
				assert.Equal(t, op.Name, ce.Operation)
				assert.False(t, decoded)
				want := 1
				if op.Class == Keyed {
					want = 3
				}
				assert.Equal(t, want, srv.RequestCount())
				assert.Equal(t, want, u.Attempts)
				for _, r := range srv.Requests() {
					assert.JSONEq(t, `{"Key":"K-1","Body":"x"}`, string(r.Body), "every attempt carries the same key")
				}
				assert.LessOrEqual(t, h.total(), 1, "applied at most once")
			})
		}
	}
}

func TestAmbiguousAnswerToAReadIsRetriedThenPlainError(t *testing.T) {
	t.Parallel()
	srv := fakekit.NewServer(&applyingHandler{})
	defer srv.Close()
	srv.Inject(fakekit.Fault{Status: 200, Body: []byte("<html>")}, fakekit.Fault{Status: 200, Body: nil})
	c := loopbackClient(t)
	var data string
	meta, err := jsonEndpoint(c, srv.URL).Invoke(context.Background(), opRead, "", "q", func(b []byte) error { data = string(b); return nil })
	require.NoError(t, err)
	assert.Equal(t, 3, srv.RequestCount())
	assert.Equal(t, 3, meta.Attempts)
	assert.JSONEq(t, `{"key":""}`, data)

	srv.Inject(fakekit.Fault{Status: 200, Body: []byte("<html>")}, fakekit.Fault{Status: 200, Body: []byte("<html>")}, fakekit.Fault{Status: 200, Body: []byte("<html>")})
	_, err = jsonEndpoint(c, srv.URL).Invoke(context.Background(), opRead, "", "q", nil)
	require.Error(t, err)
	assert.NotErrorIs(t, err, couponkit.ErrUnknownOutcome)
	assert.ErrorIs(t, err, ErrUnreadable)
}

func TestDefiniteRejectionsArePlainErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		fault     fakekit.Fault
		wantFault couponkit.Fault
		wantCode  string
	}{
		{"vendor error code", fakekit.Fault{Status: 200, Body: []byte(`{"ok":false,"code":"E1"}`)}, couponkit.FaultClient, "E1"},
		{"404 html page", fakekit.Fault{Status: 404, Body: []byte("<html>not found</html>")}, couponkit.FaultClient, ""},
		{"400 empty", fakekit.Fault{Status: 400}, couponkit.FaultClient, ""},
		{"403 page", fakekit.Fault{Status: 403, Body: []byte("forbidden")}, couponkit.FaultAuth, ""},
	}
	for _, tc := range cases {
		for _, op := range []*Op{opUnsafe, opKeyed} {
			t.Run(tc.name+"/"+op.Name, func(t *testing.T) {
				t.Parallel()
				srv := fakekit.NewServer(&applyingHandler{})
				defer srv.Close()
				srv.Inject(tc.fault)
				c := loopbackClient(t)
				_, err := jsonEndpoint(c, srv.URL).Invoke(context.Background(), op, "K-1", "x", nil)
				require.Error(t, err)
				assert.NotErrorIs(t, err, couponkit.ErrUnknownOutcome)
				var ce *couponkit.Error
				require.ErrorAs(t, err, &ce)
				assert.Equal(t, tc.wantFault, ce.Fault)
				assert.Equal(t, tc.wantCode, ce.Code)
				assert.Equal(t, 1, srv.RequestCount())
			})
		}
	}
}

func TestTypedDecodeFailureOfAWriteIsUnknown(t *testing.T) {
	t.Parallel()
	srv := fakekit.NewServer(&applyingHandler{})
	defer srv.Close()
	c := loopbackClient(t)
	_, err := jsonEndpoint(c, srv.URL).Invoke(context.Background(), opUnsafe, "K-2", "x", func(b []byte) error {
		var v struct{ Key int }
		return json.Unmarshal(b, &v)
	})
	require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
	assert.Equal(t, 1, srv.RequestCount())
}

func TestCallerDeadlineWrapsContextErrorNotServerFault(t *testing.T) {
	t.Parallel()
	srv := fakekit.NewServer(&applyingHandler{})
	defer srv.Close()
	c := loopbackClient(t)
	ep := jsonEndpoint(c, srv.URL)

	// A read: the caller's deadline passes while the server holds the answer.
	srv.Inject(fakekit.Fault{Delay: time.Hour})
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_, err := ep.Invoke(ctx, opRead, "", "q", nil)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.False(t, couponkit.FaultOf(err).Retryable())
	assert.NotErrorIs(t, err, couponkit.ErrUnknownOutcome)
	assert.Equal(t, 1, srv.RequestCount())

	// A write that left: an unknown outcome that still wraps the deadline.
	srv.Inject(fakekit.Fault{Delay: time.Hour})
	ctx2, cancel2 := context.WithTimeout(context.Background(), time.Second)
	defer cancel2()
	_, err = ep.Invoke(ctx2, opKeyed, "K-3", "x", nil)
	require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.False(t, couponkit.FaultOf(err).Retryable())
	key, _ := couponkit.IdempotencyKey(err)
	assert.Equal(t, "K-3", key)

	// Cancelled before anything was sent.
	ctx3, cancel3 := context.WithCancel(context.Background())
	cancel3()
	before := srv.RequestCount()
	_, err = ep.Invoke(ctx3, opKeyed, "K-4", "x", nil)
	require.ErrorIs(t, err, context.Canceled)
	assert.NotErrorIs(t, err, couponkit.ErrUnknownOutcome)
	assert.Equal(t, before, srv.RequestCount())
}

func TestEndpointKey(t *testing.T) {
	t.Parallel()
	c := loopbackClient(t)
	ep := jsonEndpoint(c, "http://127.0.0.1:1")
	k, err := ep.Key(opKeyed, "BizID", "given")
	require.NoError(t, err)
	assert.Equal(t, "given", k)
	_, err = ep.Key(opKeyed, "BizID", "")
	var ve *couponkit.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "BizID", ve.Field)
	gen := &Op{Name: "g", Class: Keyed, KeyName: "uuid", NewKey: func(now time.Time) string { return "gen-" + now.UTC().Format("2006") }}
	k, err = ep.Key(gen, "UUID", "")
	require.NoError(t, err)
	assert.Equal(t, "gen-0001", k, "generated from the client's clock")
	ep.NewKey = func(time.Time) string { return "hook" }
	k, _ = ep.Key(gen, "UUID", "")
	assert.Equal(t, "hook", k)
	k, err = ep.Key(opUnsafe, "SaleNo", "")
	require.NoError(t, err)
	assert.Empty(t, k)
}

// echoHandler answers 500 with the whole request echoed back, as some
// gateways and proxies do.
func echoHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := new(bytes.Buffer)
		_, _ = body.ReadFrom(r.Body)
		w.WriteHeader(500)
		_, _ = fmt.Fprintf(w, "echo %s %s %v %s", r.Method, r.URL.String(), r.Header, body.String())
	})
}

func TestSecretsRedactedInEveryForm(t *testing.T) {
	t.Parallel()
	secret := `se/cr+et "ü"&=x`
	sig := "SIG/+=123456"
	forms := append(secretForms(secret), secretForms(sig)...)
	srv := fakekit.NewServer(echoHandler())
	defer srv.Close()
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := New("test", couponkit.ResolveOptions(couponkit.WithLogger(logger), couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 1})), secret)
	defer c.Close()
	ep := &Endpoint[string]{Client: c, Base: srv.URL,
		Frame: func(*Op, int, string, string) (Payload, error) {
			jsonSecret, _ := json.Marshal(secret)
			return Payload{
				Body:    []byte(`{"session":` + string(jsonSecret) + `,"raw":"` + secret + `","q":"` + url.QueryEscape(secret) + `","p":"` + url.PathEscape(secret) + `"}`),
				Query:   "session=" + url.QueryEscape(secret) + "&sign=" + url.QueryEscape(sig),
				Header:  http.Header{"X-Sign": {sig}},
				Secrets: []string{sig},
			}, nil
		},
		Open: func(op *Op, key, req string, r *Response) ([]byte, error) {
			return nil, DecodeError(errors.New("not json"), r.Body)
		},
	}
	_, err := ep.Invoke(context.Background(), opRead, "", "", nil)
	require.Error(t, err)
	var ce *couponkit.Error
	require.ErrorAs(t, err, &ce)
	texts := []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err), fmt.Sprintf("%v", ce.Err), logs.String()}
	for _, text := range texts {
		for _, f := range forms {
			assert.NotContains(t, text, f)
		}
	}

	// A network failure: url.Error carries the URL with its query.
	srv.Close()
	_, err = ep.Invoke(context.Background(), opRead, "", "", nil)
	require.Error(t, err)
	var ue *url.Error
	require.ErrorAs(t, err, &ue, "the cause keeps its type")
	for _, text := range []string{err.Error(), fmt.Sprintf("%+v", err), ue.URL, logs.String()} {
		for _, f := range forms {
			assert.NotContains(t, text, f)
		}
	}
}

type recordingObserver struct {
	mu       sync.Mutex
	calls    []couponkit.CallInfo
	attempts []couponkit.AttemptInfo
	started  atomic.Int32
}

type ctxKey struct{}

func (o *recordingObserver) CallStart(ctx context.Context, c couponkit.CallInfo) context.Context {
	o.started.Add(1)
	return context.WithValue(ctx, ctxKey{}, "call")
}
func (o *recordingObserver) AttemptStart(ctx context.Context, a couponkit.AttemptInfo) context.Context {
	if ctx.Value(ctxKey{}) != "call" {
		panic("attempt context does not descend from the call's")
	}
	return ctx
}
func (o *recordingObserver) AttemptEnd(ctx context.Context, a couponkit.AttemptInfo) {
	o.mu.Lock()
	o.attempts = append(o.attempts, a)
	o.mu.Unlock()
}
func (o *recordingObserver) CallEnd(ctx context.Context, c couponkit.CallInfo) {
	o.mu.Lock()
	o.calls = append(o.calls, c)
	o.mu.Unlock()
}

func TestObserverSeesCallsAndAttempts(t *testing.T) {
	t.Parallel()
	srv := fakekit.NewServer(&applyingHandler{})
	defer srv.Close()
	obs := &recordingObserver{}
	c := loopbackClient(t, couponkit.WithObserver(obs))
	ep := jsonEndpoint(c, srv.URL)
	srv.Inject(fakekit.Fault{Status: 503, Body: []byte("busy")})
	_, err := ep.Invoke(context.Background(), opKeyed, "K-5", "x", nil)
	require.NoError(t, err)
	srv.Inject(fakekit.Fault{Status: 502})
	_, err = ep.Invoke(context.Background(), opUnsafe, "S-1", "x", nil)
	require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)

	srv.Inject(fakekit.Fault{Status: 200, Body: []byte(`{"ok":false,"code":"E1"}`)})
	_, err = ep.Invoke(context.Background(), opKeyed, "K-6", "x", nil)
	require.Error(t, err)

	require.Len(t, obs.calls, 3)
	require.Len(t, obs.attempts, 4)
	assert.Equal(t, 1, obs.calls[2].Attempts, "a definite refusal after one attempt")
	assert.Equal(t, couponkit.FaultClient, obs.calls[2].Fault)
	a := obs.attempts
	assert.Equal(t, []int{1, 2, 1}, []int{a[0].Attempt, a[1].Attempt, a[2].Attempt})
	assert.Equal(t, []int{503, 200, 502}, []int{a[0].HTTPStatus, a[1].HTTPStatus, a[2].HTTPStatus})
	assert.Equal(t, couponkit.FaultServer, a[0].Fault)
	assert.True(t, a[0].Ambiguous)
	assert.False(t, a[1].Ambiguous)
	assert.NoError(t, a[1].Err)
	assert.Equal(t, "redeem", a[0].Operation)
	assert.Equal(t, "K-5", a[0].Key)
	assert.Equal(t, "bizId", a[0].KeyName)
	assert.Equal(t, couponkit.ClassKeyed, a[0].Class)

	c0, c1 := obs.calls[0], obs.calls[1]
	assert.Equal(t, 2, c0.Attempts)
	assert.NoError(t, c0.Err)
	assert.False(t, c0.UnknownOutcome)
	assert.Equal(t, "sell", c1.Operation)
	assert.True(t, c1.UnknownOutcome)
	assert.Equal(t, 1, c1.Attempts)
	assert.Equal(t, couponkit.FaultServer, c1.Fault)
}

type memPauser struct {
	mu    sync.Mutex
	until time.Time
	sets  int
}

func (p *memPauser) PauseUntil(_ context.Context, t time.Time) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.sets++
	if t.After(p.until) {
		p.until = t
	}
	return nil
}

func (p *memPauser) PausedUntil(context.Context) (time.Time, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.until, nil
}

func TestThrottleIsSharedThroughThePauser(t *testing.T) {
	t.Parallel()
	srv := fakekit.NewServer(&applyingHandler{})
	defer srv.Close()
	p := &memPauser{}
	c1 := loopbackClient(t, couponkit.WithPauser(p))
	srv.Inject(fakekit.Fault{Status: 429, Header: http.Header{"Retry-After": {"7"}}})
	_, err := jsonEndpoint(c1, srv.URL).Invoke(context.Background(), opUnsafe, "S-2", "x", nil)
	require.NoError(t, err, "a throttled write is retried: the vendor refused before acting")
	assert.Equal(t, 1, p.sets)
	assert.Equal(t, 2, srv.RequestCount())

	// Another client (another process, in production) with its own clock at
	// the same instant waits out the shared window before its first attempt.
	clk := loopbackClient(t).Options().Clock
	c2 := loopbackClient(t, couponkit.WithPauser(p))
	_, err = jsonEndpoint(c2, srv.URL).Invoke(context.Background(), opRead, "", "q", nil)
	require.NoError(t, err)
	assert.True(t, p.until.After(clk.Now()))
	sleeps := c2.Options().Clock.(interface{ Sleeps() []time.Duration }).Sleeps()
	require.NotEmpty(t, sleeps)
	assert.Equal(t, 7*time.Second, sleeps[0])
}

func TestReadAllGrowsOncePathBounded(t *testing.T) {
	body := bytes.Repeat([]byte("z"), 100<<10)
	got, err := readAll(bytes.NewReader(body), -1)
	require.NoError(t, err)
	assert.Equal(t, body, got)
	assert.Equal(t, len(body), cap(got), "an unknown length is read into a pooled buffer and copied out exactly")
	got, err = readAll(bytes.NewReader(body), int64(len(body)))
	require.NoError(t, err)
	assert.Equal(t, len(body)+1, cap(got), "a known length is read into one exact buffer")
	// Within the pooled buffer's first size: the reader and the body's copy,
	// and now and then a new pooled buffer (after a GC, or when the race
	// detector's pool drops one).
	small := body[:6<<10]
	allocs := testing.AllocsPerRun(40, func() { _, _ = readAll(bytes.NewReader(small), -1) })
	assert.LessOrEqual(t, allocs, 3.0)
	_, err = readAll(io.LimitReader(zeros{}, maxBody+1), -1)
	require.Error(t, err)
	got, err = readAll(bytes.NewReader(nil), -1)
	require.NoError(t, err)
	assert.NotNil(t, got, "an empty body is empty, not nil")
	assert.Empty(t, got)
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// pausingLimiter is a Limiter that also shares pauses, as couponkitredis.Limiter does.
type pausingLimiter struct {
	memPauser
	waits atomic.Int32
}

func (l *pausingLimiter) Wait(ctx context.Context) error {
	l.waits.Add(1)
	return ctx.Err()
}

func (l *pausingLimiter) PausedUntil(ctx context.Context) (time.Time, error) {
	panic("PausedUntil must not be called: Wait checks the shared pause")
}

func TestPauserThatIsTheLimiterIsAskedOnce(t *testing.T) {
	t.Parallel()
	srv := fakekit.NewServer(&applyingHandler{})
	defer srv.Close()
	l := &pausingLimiter{}
	c := loopbackClient(t, couponkit.WithLimiter(l), couponkit.WithPauser(l))
	_, err := jsonEndpoint(c, srv.URL).Invoke(context.Background(), opRead, "", "q", nil)
	require.NoError(t, err)
	assert.Equal(t, int32(1), l.waits.Load())
}

func TestRedactorCoversOtherJSONEncoders(t *testing.T) {
	t.Parallel()
	secret := "a&b<c>d=e'f/é😀"
	encoded := map[string]string{
		"encoding/json":         func() string { b, _ := json.Marshal(secret); return string(b[1 : len(b)-1]) }(),
		"encoding/json by hand": `a\u0026b\u003cc\u003ed=e'f/é😀`,
		"Gson":                  `a\u0026b\u003cc\u003ed\u003de\u0027f/é😀`,
		"ASCII-only, lower hex": `a&b<c>d=e'f/\u00e9\ud83d\ude00`,
		"ASCII-only, upper hex": `a&b<c>d=e'f/\u00E9\uD83D\uDE00`,
		"Gson, upper hex":       `a\u0026b\u003Cc\u003Ed\u003De\u0027f/é😀`,
		"slash-escaped JSON":    `a&b<c>d=e'f\/é😀`,
		"query-escaped":         "a%26b%3Cc%3Ed%3De%27f%2F%C3%A9%F0%9F%98%80",
		"query-escaped, lower":  "a%26b%3cc%3ed%3de%27f%2f%c3%a9%f0%9f%98%80",
		"path-escaped":          "a&b%3Cc%3Ed=e%27f%2F%C3%A9%F0%9F%98%80",
		"JSON inside a query":   "a%26b%3Cc%3Ed%3De%27f%2F%C3%A9%F0%9F%98%80",
		"raw":                   secret,
	}
	d := newRedactor([]string{secret})
	for name, form := range encoded {
		got := d.replace("before "+form+" after", nil)
		assert.Equal(t, "before [redacted] after", got, name)
	}
}

func TestRedactorCoversHTMLAndASCIIEscapingTogether(t *testing.T) {
	t.Parallel()
	d := newRedactor([]string{"k&é"})
	for _, form := range []string{`k\u0026\u00e9`, `k\u0026\u00E9`, `k\u0026é`, `k&\u00e9`} {
		assert.Equal(t, "<[redacted]>", d.replace("<"+form+">", nil), form)
	}
	// System.Text.Json's default encoder.
	d = newRedactor([]string{`a"b+c'd` + "`é"})
	for _, form := range []string{`a\u0022b\u002Bc\u0027d\u0060\u00E9`, `a\"b+c'd` + "`é"} {
		assert.Equal(t, "<[redacted]>", d.replace("<"+form+">", nil), form)
	}
}

func TestDecodeErrorQuotesTheBodyOnlyAfterRedaction(t *testing.T) {
	t.Parallel()
	secret := "0123456789abcdef-secret"
	// The secret straddles the 200-byte cut of the quote.
	body := strings.Repeat("x", 190) + secret + strings.Repeat("y", 50)
	srv := fakekit.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, body) }))
	defer srv.Close()
	c := New("test", couponkit.ResolveOptions(couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 1})), secret)
	defer c.Close()
	_, err := jsonEndpoint(c, srv.URL).Invoke(context.Background(), opRead, "", "q", nil)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), secret[:10], "no prefix of the secret survives the cut")
	assert.Contains(t, err.Error(), "[redacted]")
	assert.Contains(t, err.Error(), "response does not decode")
}
