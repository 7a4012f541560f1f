package ebuy_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// ntPayload is an implementation of e-Buy's signed text written for the
// tests, independent of the package's: every top-level field but sign and
// null ones, sorted by key (byte order), a string value unquoted and any
// other value as its JSON text in the body, joined as k=v with '&', then
// '&' and the secret.
func ntPayload(t testing.TB, body []byte, secret string) string {
	t.Helper()
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(body, &m))
	var pairs [][2]string
	for k, v := range m {
		if k == "sign" || string(v) == "null" {
			continue
		}
		text := string(v)
		if len(v) > 0 && v[0] == '"' {
			var s string
			require.NoError(t, json.Unmarshal(v, &s))
			text = s
		}
		pairs = append(pairs, [2]string{k, text})
	}
	return ntJoin(pairs, secret)
}

// ntJoin sorts pairs by key and joins them as k=v&…&secret.
func ntJoin(pairs [][2]string, secret string) string {
	sort.Slice(pairs, func(i, j int) bool { return pairs[i][0] < pairs[j][0] })
	var b strings.Builder
	for i, p := range pairs {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p[0] + "=" + p[1])
	}
	return b.String() + "&" + secret
}

// ntSHA256 is the lowercase hex SHA-256 of s.
func ntSHA256(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// TestNotifyIndependentSignerMatchesVectors cross-checks the tests' signer
// with the published and hand-computed vectors of internal/sign/testdata.
func TestNotifyIndependentSignerMatchesVectors(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("../internal/sign/testdata/ebuy.json")
	require.NoError(t, err)
	var vecs []struct {
		Name    string      `json:"name"`
		Params  [][2]string `json:"params"`
		Secret  string      `json:"secret"`
		Payload string      `json:"payload"`
		Sign    string      `json:"sign"`
	}
	require.NoError(t, json.Unmarshal(b, &vecs))
	require.NotEmpty(t, vecs)
	for _, v := range vecs {
		got := ntJoin(append([][2]string(nil), v.Params...), v.Secret)
		require.Equal(t, v.Payload, got, v.Name)
		require.Equal(t, v.Sign, ntSHA256(got), v.Name)
	}
	// And the captured notification of testdata: its sign is the SHA-256 of
	// the payload listed beside it.
	body, err := os.ReadFile("testdata/notifications/verify_toplevel.json")
	require.NoError(t, err)
	vec := readVectors(t, "testdata/notifications/payloads.txt")["verify_toplevel"]
	require.Equal(t, vec.payload, ntPayload(t, body, vecKey))
	require.Equal(t, vec.sign, ntSHA256(vec.payload))
	require.Equal(t, vec.sign, field(t, body, "sign"))
}

// ntCapture wraps a handler and records each answer's status and each body
// it was sent.
type ntCapture struct {
	h        http.Handler
	mu       sync.Mutex
	statuses []int
	bodies   [][]byte
}

func (c *ntCapture) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	rec := httptest.NewRecorder()
	c.h.ServeHTTP(rec, r)
	c.mu.Lock()
	c.statuses = append(c.statuses, rec.Code)
	c.bodies = append(c.bodies, body)
	c.mu.Unlock()
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

func (c *ntCapture) Statuses() []int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]int(nil), c.statuses...)
}

func (c *ntCapture) Bodies() [][]byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([][]byte(nil), c.bodies...)
}

// ntPost posts body as JSON to h and returns the recorder.
func ntPost(h http.Handler, body string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/notify", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	h.ServeHTTP(rec, req)
	return rec
}
