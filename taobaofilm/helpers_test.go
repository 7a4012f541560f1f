package taobaofilm_test

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/testclock"
	"github.com/couponkit/couponkit/taobaofilm"
	"github.com/couponkit/couponkit/taobaofilm/taobaofilmtest"
)

// fakeConfig returns a client Config for srv's default credentials.
func fakeConfig(srv *taobaofilmtest.Server) taobaofilm.Config {
	return taobaofilm.Config{Gateway: srv.Gateway(), AppKey: taobaofilmtest.DefaultAppKey, AppSecret: taobaofilmtest.DefaultAppSecret}
}

// newFake starts a fake closed when the test ends.
func newFake(t testing.TB, cfg taobaofilmtest.Config) *taobaofilmtest.Server {
	t.Helper()
	srv := taobaofilmtest.NewServer(cfg)
	t.Cleanup(srv.Close)
	return srv
}

// newClient returns a client closed when the test ends, whose retries do not
// wait (a test clock at the real time, so the fake accepts its timestamps).
func newClient(t testing.TB, cfg taobaofilm.Config, opts ...couponkit.Option) (*taobaofilm.Client, *testclock.Clock) {
	t.Helper()
	clk := testclock.New(time.Now())
	c, err := taobaofilm.NewClient(cfg, append([]couponkit.Option{couponkit.WithClock(clk)}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c, clk
}

func defaultExport() *taobaofilm.ExportRequest {
	return &taobaofilm.ExportRequest{MixID: taobaofilmtest.DefaultMixID, PartnerCode: taobaofilmtest.DefaultPartnerCode, OperateType: taobaofilm.OperateAll}
}

// independentSign computes a TOP signature with the standard library only
// (no internal/sign), checked against the published vector in sign_test.go.
func independentSign(v url.Values, secret string) string {
	keys := make([]string, 0, len(v))
	for k := range v {
		if k != "sign" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var s strings.Builder
	for _, k := range keys {
		s.WriteString(k)
		s.WriteString(v.Get(k))
	}
	var h hash.Hash
	switch v.Get("sign_method") {
	case "hmac":
		h = hmac.New(md5.New, []byte(secret))
	case "hmac-sha256":
		h = hmac.New(sha256.New, []byte(secret))
	default:
		sum := md5.Sum([]byte(secret + s.String() + secret))
		return strings.ToUpper(hex.EncodeToString(sum[:]))
	}
	h.Write([]byte(s.String()))
	return strings.ToUpper(hex.EncodeToString(h.Sum(nil)))
}

// recorder is an httpmock transport that keeps every request and answers
// with the next queued response (the last one repeats).
type recorder struct {
	*httpmock.MockTransport
	mu      sync.Mutex
	bodies  [][]byte
	headers []http.Header
	answers []answer
}

type answer struct {
	status int
	body   string
}

const mockGateway = "https://gw.example.test/router/rest"

func newRecorder(answers ...answer) *recorder {
	r := &recorder{MockTransport: httpmock.NewMockTransport(), answers: answers}
	r.RegisterResponder(http.MethodPost, mockGateway, func(req *http.Request) (*http.Response, error) {
		b, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		r.mu.Lock()
		r.bodies = append(r.bodies, b)
		r.headers = append(r.headers, req.Header.Clone())
		a := answer{200, `{}`}
		if len(r.answers) > 0 {
			a = r.answers[0]
			if len(r.answers) > 1 {
				r.answers = r.answers[1:]
			}
		}
		r.mu.Unlock()
		resp := httpmock.NewStringResponse(a.status, a.body)
		resp.Header.Set("Content-Type", "application/json")
		return resp, nil
	})
	return r
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.bodies)
}

func (r *recorder) body(i int) []byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.bodies[i]
}

func (r *recorder) form(t testing.TB, i int) url.Values {
	t.Helper()
	v, err := url.ParseQuery(string(r.body(i)))
	require.NoError(t, err)
	return v
}

// mockClient returns a client sending to a recorder, with the given clock.
func mockClient(t testing.TB, cfg taobaofilm.Config, clk couponkit.Clock, answers ...answer) (*taobaofilm.Client, *recorder) {
	t.Helper()
	rec := newRecorder(answers...)
	if cfg.Gateway == "" {
		cfg.Gateway = mockGateway
	}
	if cfg.AppKey == "" {
		cfg.AppKey = "12345678"
	}
	if cfg.AppSecret == "" {
		cfg.AppSecret = "s3cr3t+密钥&"
	}
	c, err := taobaofilm.NewClient(cfg, couponkit.WithTransport(rec), couponkit.WithClock(clk))
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c, rec
}
