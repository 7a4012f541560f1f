package ebuy_test

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/ebuy/ebuytest"
	"github.com/couponkit/couponkit/ebuy/internal/wire"
	"github.com/couponkit/couponkit/internal/testclock"
)

// The credentials and envelope values of the vectors in testdata (see testdata/gen.sh).
const (
	vecApp  = "ebuyde43082858d1"
	vecKey  = "D6954F665B12A4318DF2DE43082858DE"
	vecUUID = "20240517-0123456789abcdef0123456789abcdef"
	vecGW   = "https://gw.example.test"
)

var beijing = time.FixedZone("UTC+8", 8*3600)

// vecTime is the vectors' timestamp, 1715911200000 ms.
var vecTime = time.Date(2024, 5, 17, 10, 0, 0, 0, beijing)

// capture records request bodies and answers each with answer(body).
type capture struct {
	mu     sync.Mutex
	bodies [][]byte
	urls   []string
}

func (c *capture) Bodies() [][]byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([][]byte(nil), c.bodies...)
}

// mockClient returns a client on an httpmock transport whose every POST is
// recorded and answered by answer.
func mockClient(t *testing.T, cfg ebuy.Config, answer func(req []byte) (int, []byte), opts ...couponkit.Option) (*ebuy.Client, *httpmock.MockTransport, *capture) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	cp := &capture{}
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, err
		}
		cp.mu.Lock()
		cp.bodies = append(cp.bodies, b)
		cp.urls = append(cp.urls, r.URL.String())
		cp.mu.Unlock()
		status, body := answer(b)
		resp := httpmock.NewBytesResponse(status, body)
		resp.Header.Set("Content-Type", "application/json")
		return resp, nil
	})
	if cfg.Gateway == "" {
		cfg.Gateway = vecGW
	}
	if cfg.AppID == "" {
		cfg.AppID, cfg.AppSecret = vecApp, vecKey
	}
	all := append([]couponkit.Option{couponkit.WithTransport(mt), couponkit.WithClock(testclock.New(vecTime))}, opts...)
	c, err := ebuy.NewClient(cfg, all...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c, mt, cp
}

// signedAnswer is a signed success envelope with content, answering the
// request req (its action and uuid echoed), signed under secret.
func signedAnswer(t testing.TB, req []byte, secret string, content string) []byte {
	t.Helper()
	fields, err := wire.Fields(req)
	require.NoError(t, err)
	b, err := wire.Signed([]wire.Field{
		wire.Str("action", wire.String(fields, "action")), wire.Raw("content", []byte(content)),
		wire.Str("signType", "sha256"), wire.Raw("success", []byte("true")),
		wire.Raw("timestamp", []byte("1715911200456")), wire.Str("uuid", wire.String(fields, "uuid")),
	}, secret)
	require.NoError(t, err)
	return b
}

// fakeClient starts a fake and returns it with a client for it using a test clock.
func fakeClient(t *testing.T, opts ...couponkit.Option) (*ebuytest.Server, *ebuy.Client, *testclock.Clock) {
	t.Helper()
	fake := ebuytest.NewServer(ebuytest.Config{})
	t.Cleanup(fake.Close)
	clock := testclock.New(time.Now())
	clock.Step = time.Millisecond
	all := append([]couponkit.Option{couponkit.WithClock(clock), couponkit.WithHTTPClient(fake.Client())}, opts...)
	c, err := ebuy.NewClient(fake.ClientConfig(), all...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return fake, c, clock
}

// vector is one line of a testdata payloads.txt: name, sha256 and the payload it was computed from.
type vector struct{ name, sign, payload string }

func readVectors(t *testing.T, path string) map[string]vector {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	out := map[string]vector{}
	for _, line := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
		parts := strings.SplitN(line, "\t", 3)
		require.Len(t, parts, 3, line)
		out[parts[0]] = vector{parts[0], parts[1], parts[2]}
	}
	return out
}

// field returns the string value of a top-level key of a JSON body.
func field(t testing.TB, body []byte, key string) string {
	t.Helper()
	fields, err := wire.Fields(body)
	require.NoError(t, err)
	return wire.String(fields, key)
}

func jsonStd(b []byte, v any) error { return json.Unmarshal(b, v) }

// gatewayDown is the unsigned error body of a gateway that is down, for
// FailNextHTTP.
const gatewayDown = `{"errorCode":"SYSTEM_ERROR","errorMessage":"gateway unavailable","success":false}`

// vecKeyFunc is a Config.NewKey that gives every call the vectors' uuid.
func vecKeyFunc(time.Time) string { return vecUUID }
