package houcaller_test

import (
	"crypto/des"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/houcaller"
	"github.com/couponkit/couponkit/houcaller/houcallertest"
	"github.com/couponkit/couponkit/internal/testclock"
)

const (
	mockGateway = "http://crm.test/htest/openapi/v1"
	saleURL     = mockGateway + "/sendMncardForSale"
	testKey     = "hkDESk3y"
	testIV      = "iv-8byte"
)

// vector is one entry of testdata/vectors.json (computed with openssl).
type vector struct {
	Name, Mode, Padding, Key, IV, Plain string
	CipherHex                           string `json:"cipherHex"`
}

func loadVectors(t testing.TB) map[string]vector {
	t.Helper()
	b, err := os.ReadFile("testdata/vectors.json")
	require.NoError(t, err)
	var vs []vector
	require.NoError(t, json.Unmarshal(b, &vs))
	m := make(map[string]vector, len(vs))
	for _, v := range vs {
		m[v.Name] = v
	}
	return m
}

// exampleSale is the vendor's param example as a request.
func exampleSale() *houcaller.SellCardRequest {
	return &houcaller.SellCardRequest{
		CardInfoID:  "L68F353AD0019",
		SaleTime:    time.Date(2021, 6, 16, 8, 2, 15, 0, time.UTC), // 16:02:15 in Beijing
		SaleUser:    "1345",
		SaleOrgCode: "526",
		PayAmount:   1122,
		SaleNo:      "1234567892",
		MemberID:    "L38E1ASJP00Q4",
		Count:       3,
	}
}

// mockClient is a client on an httpmock transport with an instant clock.
func mockClient(t *testing.T, cfg houcaller.Config, opts ...couponkit.Option) (*houcaller.Client, *httpmock.MockTransport, *testclock.Clock) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	clk := newClock()
	if cfg.Gateway == "" {
		cfg.Gateway = mockGateway
	}
	if cfg.Channel == "" {
		cfg.Channel = "hkl-test"
	}
	if cfg.DESKey == "" {
		cfg.DESKey = testKey
	}
	c, err := houcaller.NewClient(cfg, append([]couponkit.Option{couponkit.WithTransport(mt), couponkit.WithClock(clk)}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c, mt, clk
}

// recorder answers with body and keeps every request body.
type recorder struct {
	mu     sync.Mutex
	bodies []string
	reqs   []*http.Request
}

func (r *recorder) responder(status int, body string) httpmock.Responder {
	return func(req *http.Request) (*http.Response, error) {
		b, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		r.mu.Lock()
		r.bodies = append(r.bodies, string(b))
		r.reqs = append(r.reqs, req)
		r.mu.Unlock()
		resp := httpmock.NewStringResponse(status, body)
		resp.Header.Set("Content-Type", "application/json")
		return resp, nil
	}
}

// answer is one canned response.
type answer struct {
	status int
	body   string
}

// sequence answers with answers in order, repeating the last one.
func (r *recorder) sequence(answers ...answer) httpmock.Responder {
	return func(req *http.Request) (*http.Response, error) {
		r.mu.Lock()
		n := len(r.bodies)
		r.mu.Unlock()
		a := answers[min(n, len(answers)-1)]
		return r.responder(a.status, a.body)(req)
	}
}

// fakeClient starts a fake gateway and a client for it (through the fake's
// in-memory transport when fcfg.InMemory).
func fakeClient(t *testing.T, fcfg houcallertest.Config, mod func(*houcaller.Config), opts ...couponkit.Option) (*houcaller.Client, *houcallertest.Server, *testclock.Clock) {
	t.Helper()
	srv := houcallertest.NewServer(fcfg)
	t.Cleanup(srv.Close)
	cfg := srv.ClientConfig()
	if mod != nil {
		mod(&cfg)
	}
	clk := newClock()
	base := []couponkit.Option{couponkit.WithClock(clk)}
	if fcfg.InMemory {
		base = append(base, srv.ClientOption())
	}
	c, err := houcaller.NewClient(cfg, append(base, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c, srv, clk
}

// wireRequest is the request body every call sends.
type wireRequest struct {
	Channel   string `json:"channel"`
	Timestamp string `json:"timestamp"`
	Param     string `json:"param"`
}

func parseWire(t *testing.T, body []byte) wireRequest {
	t.Helper()
	var w wireRequest
	require.NoError(t, json.Unmarshal(body, &w))
	return w
}

// newClock is a test clock at the vendor example's timestamp whose every Sleep
// moves at least a millisecond, so each attempt has its own timestamp.
func newClock() *testclock.Clock {
	c := testclock.New(time.UnixMilli(1623893916291))
	c.MinAdvance = time.Millisecond
	return c
}

// decryptECB decrypts a param sent with key in the default mode
// (DES/ECB/PKCS5, upper-case hex) with the standard library alone.
func decryptECB(t *testing.T, key, param string) []byte {
	t.Helper()
	ct, err := hex.DecodeString(param)
	require.NoError(t, err)
	require.Zero(t, len(ct)%8)
	block, err := des.NewCipher([]byte(key))
	require.NoError(t, err)
	plain := make([]byte, len(ct))
	for i := 0; i < len(ct); i += 8 {
		block.Decrypt(plain[i:i+8], ct[i:i+8])
	}
	n := int(plain[len(plain)-1])
	require.True(t, n >= 1 && n <= 8)
	return plain[:len(plain)-n]
}
