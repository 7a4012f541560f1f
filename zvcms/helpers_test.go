package zvcms_test

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/testclock"
	"github.com/couponkit/couponkit/zvcms"
	"github.com/couponkit/couponkit/zvcms/zvcmstest"
)

// epoch is the fixed instant of most tests: 2019-01-11 13:57:24 Beijing time,
// the timestamp of the vendor's example.
var epoch = time.Unix(1547186244, 0)

// fixture is a fake gateway and a client of it sharing one test clock.
type fixture struct {
	srv   *zvcmstest.Server
	c     *zvcms.Client
	clock *testclock.Clock
}

func newFixture(t *testing.T, fcfg zvcmstest.Config, opts ...couponkit.Option) *fixture {
	t.Helper()
	clock := testclock.New(epoch)
	fcfg.Clock = clock
	srv := zvcmstest.NewServer(fcfg)
	t.Cleanup(srv.Close)
	opts = append([]couponkit.Option{couponkit.WithClock(clock)}, opts...)
	c, err := zvcms.NewClient(srv.ClientConfig(), opts...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return &fixture{srv: srv, c: c, clock: clock}
}

// mockGateway is the gateway of mock clients.
const mockGateway = "https://zvcms.test"

// mock is a client whose requests go to an httpmock transport.
func mock(t *testing.T, cfg zvcms.Config, opts ...couponkit.Option) (*zvcms.Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	if cfg.Gateway == "" {
		cfg.Gateway = mockGateway
	}
	if cfg.OpenID == "" {
		cfg.OpenID, cfg.OpenKey, cfg.GrantCode = "oid", "okey-secret", "grant-secret"
	}
	opts = append([]couponkit.Option{couponkit.WithTransport(mt), couponkit.WithClock(testclock.New(epoch))}, opts...)
	c, err := zvcms.NewClient(cfg, opts...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c, mt
}

// respond registers body as the answer to every POST to the API.
func respond(mt *httpmock.MockTransport, api string, status int, body string) {
	mt.RegisterResponder(http.MethodPost, mockGateway+"/v3/crm/coupon/"+api, httpmock.NewStringResponder(status, body))
}

// captured records request bodies and answers each with body.
func capture(mt *httpmock.MockTransport, api, body string) *[][]byte {
	var got [][]byte
	mt.RegisterResponder(http.MethodPost, mockGateway+"/v3/crm/coupon/"+api, func(r *http.Request) (*http.Response, error) {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, err
		}
		got = append(got, b)
		return httpmock.NewStringResponse(http.StatusOK, body), nil
	})
	return &got
}

// requestBody is a request as sent.
type requestBody struct {
	OpenID    string          `json:"openId"`
	GrantCode string          `json:"grantCode"`
	Timestamp string          `json:"timestamp"`
	Nonce     string          `json:"nonce"`
	Token     string          `json:"token"`
	Params    json.RawMessage `json:"params"`
}

func parseRequest(t *testing.T, b []byte) requestBody {
	t.Helper()
	var r requestBody
	require.NoError(t, json.Unmarshal(b, &r))
	return r
}

type vector struct {
	Name      string
	OpenKey   string          `json:"openKey"`
	OpenID    string          `json:"openId"`
	GrantCode string          `json:"grantCode"`
	Timestamp string          `json:"timestamp"`
	Nonce     string          `json:"nonce"`
	Message   string          `json:"message"`
	Base64    string          `json:"base64"`
	Token     string          `json:"token"`
	Params    json.RawMessage `json:"params"`
	Body      string          `json:"body"`
}

func loadVectors(t *testing.T) []vector {
	t.Helper()
	b, err := os.ReadFile("testdata/vectors.json")
	require.NoError(t, err)
	var v struct{ Vectors []vector }
	require.NoError(t, json.Unmarshal(b, &v))
	require.NotEmpty(t, v.Vectors)
	return v.Vectors
}

const okEmpty = `{"status":"true","code":"0","message":"ok","data":[]}`

// refusedBeforeSending checks that err is a *couponkit.ValidationError
// naming field and that mt saw no request.
func refusedBeforeSending(t *testing.T, mt *httpmock.MockTransport, err error, field string) {
	t.Helper()
	var ve *couponkit.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, field, ve.Field)
	assert.Zero(t, mt.GetTotalCallCount(), "nothing is sent")
}
