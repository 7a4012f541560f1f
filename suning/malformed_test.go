package suning_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/testclock"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/suning"
)

// The client reads an answer's envelope in one pass and leaves the node of
// a success to the decode that reads it (jsonx.ScanNested,
// Endpoint.DataDeferred). These tests hold every call to the rule that
// stands whatever the order of the checks: a body that is not well-formed
// JSON, wherever the fault lies (truncated, in the node, outside it, in an
// sn_error or beside one), is unreadable, never a success and never a
// definite refusal; a write's outcome is then unknown, with its key.

// cannedAnswers answers every request with one body and counts them.
type cannedAnswers struct {
	body  string
	count atomic.Int32
}

func (c *cannedAnswers) RoundTrip(req *http.Request) (*http.Response, error) {
	c.count.Add(1)
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		_ = req.Body.Close()
	}
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader([]byte(c.body))), ContentLength: int64(len(c.body)), Request: req}, nil
}

// cannedClient returns a client whose every call is answered with body, on
// a clock that never sleeps.
func cannedClient(t *testing.T, body string) (*suning.Client, *cannedAnswers) {
	t.Helper()
	rt := &cannedAnswers{body: body}
	c, err := suning.NewClient(suning.Config{Gateway: "https://open.example.com/api/http/sopRequest", AppKey: benchAppKey, AppSecret: benchAppSecret},
		couponkit.WithTransport(rt), couponkit.WithClock(testclock.New(time.Now())))
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c, rt
}

// snCall is one call of the package against a valid answer.
type snCall struct {
	name   string
	node   string
	answer string // a valid success
	write  bool
	keyed  bool
	key    string // the key a write's unknown outcome carries
	run    func(context.Context, *suning.Client) error
}

func snCalls(t *testing.T) []snCall {
	a := captureAnswers(t)
	create := func(ctx context.Context, c *suning.Client) error {
		req := createRequest(t)
		req.EnrollInfoCode = benchKey
		_, err := c.Create(ctx, req)
		return err
	}
	query := func(ctx context.Context, c *suning.Client) error {
		q := a.queryReq
		_, err := c.Query(ctx, &q)
		return err
	}
	params := map[string]string{"actionId": a.queryReq.ActionID, "partNumber": a.queryReq.PartNumber, "vendorId": a.queryReq.VendorID}
	return []snCall{
		{"Create", suning.NodeCreateAppoint, string(a.create), true, true, benchKey, create},
		{"Query", suning.NodeQueryAppoint, string(a.query), false, false, "", query},
		{"Call read with out", suning.NodeQueryAppoint, string(a.query), false, false, "", func(ctx context.Context, c *suning.Client) error {
			var out map[string]any
			_, err := c.Call(ctx, suning.MethodAppointQuery, params, &out, couponkit.Read())
			return err
		}},
		{"Call write without out", suning.NodeQueryAppoint, string(a.query), true, false, "", func(ctx context.Context, c *suning.Client) error {
			_, err := c.Call(ctx, suning.MethodAppointQuery, params, nil)
			return err
		}},
		{"Call keyed with raw out", suning.NodeQueryAppoint, string(a.query), true, true, "K-1", func(ctx context.Context, c *suning.Client) error {
			var out json.RawMessage
			p := map[string]string{"enrollInfoCode": "K-1"}
			_, err := c.Call(ctx, suning.MethodAppointQuery, p, &out, couponkit.Keyed("enrollInfoCode", "K-1"))
			return err
		}},
	}
}

// malformedAnswers returns answers made from valid (a success whose node is
// named node) that are not well-formed JSON: prefixes of it, and valid with
// a fault inside the node, outside it, or in or beside an sn_error.
func malformedAnswers(t *testing.T, valid, node string) map[string]string {
	out := map[string]string{}
	for i := 1; i < len(valid); i++ {
		if i%11 == 0 || i > len(valid)-20 {
			out["prefix "+valid[:i]] = valid[:i]
		}
	}
	open := `"` + node + `":{`
	at := strings.Index(valid, open) + len(open)
	require.Greater(t, at, len(open), "the node of %s", valid)
	inNode := func(s string) string { return valid[:at] + s + valid[at:] }
	snErr := `"sn_error":{"error_code":"biz.custom.appoint.failed","error_msg":"活动不存在"}`
	for name, body := range map[string]string{
		"a literal misspelled in the node":    inNode(`"zz":tru,`),
		"a control character in the node":     inNode("\"z\x01\":1,"),
		"a bad escape in the node":            inNode(`"z":"\x",`),
		"brackets that do not match":          inNode(`"z":[1},`),
		"a trailing comma in the node":        valid[:len(valid)-4] + ",}}}}",
		"an overridden malformed node":        strings.Replace(valid, `"`+node+`":`, `"`+node+`":{"a":tru},"`+node+`":`, 1),
		"a malformed member beside the node":  strings.Replace(valid, `"sn_body":{`, `"sn_body":{"x":[1,],`, 1),
		"a malformed member beside sn_body":   strings.Replace(valid, `"sn_body":`, `"x":nul,"sn_body":`, 1),
		"a malformed top-level member":        strings.Replace(valid, `{"sn_responseContent":`, `{"x":"\u12","sn_responseContent":`, 1),
		"a malformed array as the node":       `{"sn_responseContent":{"sn_body":{"` + node + `":["x",]}}}`,
		"text after the object":               valid + "x",
		"a second object":                     valid + "{}",
		"a malformed sn_error":                `{"sn_responseContent":{"sn_error":{"error_code":"biz.x","error_msg":"坏` + "\x01" + `"}}}`,
		"a truncated sn_error":                `{"sn_responseContent":{` + snErr[:len(snErr)-3],
		"an sn_error beside a malformed node": strings.Replace(inNode(`"zz":tru,`), `"sn_body":`, snErr+`,"sn_body":`, 1),
		"an sn_error beside a truncated node": strings.Replace(valid[:len(valid)-3], `"sn_body":`, snErr+`,"sn_body":`, 1),
	} {
		out[name] = body
	}
	return out
}

func TestMalformedAnswersAreUnreadable(t *testing.T) {
	t.Parallel()
	for _, call := range snCalls(t) {
		t.Run(call.name, func(t *testing.T) {
			t.Parallel()
			c, rt := cannedClient(t, call.answer)
			require.NoError(t, call.run(context.Background(), c), "the valid answer")
			require.Equal(t, int32(1), rt.count.Load())

			for name, body := range malformedAnswers(t, call.answer, call.node) {
				require.Error(t, jsonx.Check([]byte(body)), "%s: %q is well-formed", name, body)
				c, rt := cannedClient(t, body)
				err := call.run(context.Background(), c)
				require.Error(t, err, "%s: %q", name, body)
				assert.True(t, transport.IsUnreadable(err), "%s: %v", name, err)
				var ce *couponkit.Error
				if errors.As(err, &ce) {
					assert.NotEqual(t, "biz.custom.appoint.failed", ce.Code, "%s: not a definite refusal", name)
				}
				switch {
				case call.write:
					require.ErrorIs(t, err, couponkit.ErrUnknownOutcome, name)
					key, _ := couponkit.IdempotencyKey(err)
					assert.Equal(t, call.key, key, name)
					if call.keyed {
						assert.Greater(t, rt.count.Load(), int32(1), "%s: a keyed write is retried with its key", name)
					} else {
						assert.Equal(t, int32(1), rt.count.Load(), "%s: an unsafe write is sent once", name)
					}
				default:
					assert.NotErrorIs(t, err, couponkit.ErrUnknownOutcome, name)
					assert.Greater(t, rt.count.Load(), int32(1), "%s: a read is retried", name)
				}
			}
		})
	}
}

// TestAnSnErrorBesideAWellFormedNodeIsADefiniteRefusal is the other side:
// the node beside an sn_error, checked by open, does not make a definite
// refusal unreadable.
func TestAnSnErrorBesideAWellFormedNodeIsADefiniteRefusal(t *testing.T) {
	t.Parallel()
	c, rt := cannedClient(t, `{"sn_responseContent":{"sn_error":{"error_code":"biz.custom.appoint.failed","error_msg":"活动不存在"},`+
		`"sn_body":{"queryAppoint":{"a":"}\"]","b":[{}]}}}}`)
	_, err := c.Query(context.Background(), &suning.QueryRequest{ActionID: "A1", PartNumber: "P1", VendorID: "V1"})
	var ce *couponkit.Error
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "biz.custom.appoint.failed", ce.Code)
	assert.Equal(t, "活动不存在", ce.Message)
	assert.False(t, transport.IsUnreadable(err))
	assert.Equal(t, int32(1), rt.count.Load(), "a definite answer is not retried")
}
