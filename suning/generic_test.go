package suning_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/internal/leaktest"
	"github.com/couponkit/couponkit/internal/testclock"
	"github.com/couponkit/couponkit/suning"
	"github.com/couponkit/couponkit/suning/suningtest"
)

// memClient returns an in-memory fake and a client of it on a manual clock.
func memClient(t *testing.T, opts ...couponkit.Option) (*suning.Client, *suningtest.Server, *testclock.Clock) {
	t.Helper()
	clk := testclock.New(time.Now())
	clk.Step = time.Second
	srv := suningtest.Start(t, suningtest.Config{InMemory: true, Clock: clk})
	c, err := suning.NewClient(srv.ClientConfig(), append([]couponkit.Option{srv.ClientOption(), couponkit.WithClock(clk)}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c, srv, clk
}

func TestCallIsUnsafeByDefault(t *testing.T) {
	t.Parallel()
	c, srv, _ := memClient(t)
	srv.FailNextHTTP(http.StatusInternalServerError, "busy")
	srv.FailNextHTTP(http.StatusInternalServerError, "busy")
	_, err := c.Call(context.Background(), suning.MethodAppointCreate, createNode(t, "SU-UNSAFE-1"), nil)
	require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
	assert.Equal(t, 1, srv.RequestCount(), "an unsafe write is not sent again once it may have left")
	assert.Zero(t, srv.AppliedWrites())
}

func TestCallReadIsRetried(t *testing.T) {
	t.Parallel()
	c, srv, _ := memClient(t)
	res, err := c.Create(context.Background(), createRequest(t))
	require.NoError(t, err)
	srv.FailNextHTTP(http.StatusInternalServerError, "busy")
	srv.AnswerNextAfterWrite(http.StatusOK, "<html>proxy</html>")
	var out struct {
		ActionID string `json:"actionId"`
	}
	params := map[string]string{"actionId": res.ActionID, "partNumber": "000000000123456789", "vendorId": "0010012345"}
	meta, err := c.Call(context.Background(), suning.MethodAppointQuery, params, &out, couponkit.Read())
	require.NoError(t, err)
	assert.Equal(t, 3, meta.Attempts)
	assert.Equal(t, 4, srv.RequestCount())
	assert.Equal(t, res.ActionID, out.ActionID)
}

func TestCallKeyedIsRetriedWithTheSameKey(t *testing.T) {
	t.Parallel()
	c, srv, _ := memClient(t)
	const key = "SU-KEYED-0001"
	srv.DropNextAfterWrite()
	srv.FailNextHTTP(http.StatusBadGateway, "<html>bad gateway</html>")
	var out struct {
		ActionID       string `json:"actionId"`
		EnrollInfoCode string `json:"enrollInfoCode"`
	}
	meta, err := c.Call(context.Background(), suning.MethodAppointCreate, createNode(t, key), &out, couponkit.Keyed(suning.KeyName, key))
	require.NoError(t, err)
	assert.Equal(t, 3, meta.Attempts)
	reqs := srv.Requests()
	require.Len(t, reqs, 3)
	for _, r := range reqs {
		assert.Equal(t, key, sentKey(t, r.Body), "the key is on the wire of every attempt")
	}
	assert.NotEqual(t, reqs[0].Header.Get(suning.HeaderSignInfo), reqs[2].Header.Get(suning.HeaderSignInfo), "signed again")
	assert.Equal(t, 1, srv.AppliedWrites(), "the first attempt took effect, the third was replayed")
	assert.Equal(t, key, out.EnrollInfoCode)
	assert.Len(t, srv.Activities(), 1)
	assert.Equal(t, srv.Activities()[0].ActionID, out.ActionID)
}

func TestCallOutThatDoesNotDecodeIsAClientErrorNotAnUnknownOutcome(t *testing.T) {
	t.Parallel()
	c, srv, _ := memClient(t)
	var out struct {
		ActionID int `json:"actionId"` // the vendor sends a string
	}
	_, err := c.Call(context.Background(), suning.MethodAppointCreate, createNode(t, "SU-OUT-1"), &out)
	require.Error(t, err)
	assert.NotErrorIs(t, err, couponkit.ErrUnknownOutcome)
	var ce *couponkit.Error
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, couponkit.FaultClient, ce.Fault)
	assert.Contains(t, ce.Message, "took effect")
	assert.Equal(t, 1, srv.RequestCount())
	assert.Equal(t, 1, srv.AppliedWrites())
}

func TestCallNilParamsSendsAnEmptyNode(t *testing.T) {
	t.Parallel()
	c, srv, _ := memClient(t)
	_, err := c.Call(context.Background(), suning.MethodAppointQuery, nil, nil, couponkit.Read())
	requireCode(t, err, "biz.custom.queryappoint.missing-parameter:actionId", couponkit.FaultClient)
	require.Equal(t, 1, srv.RequestCount())
	assert.Equal(t, `{"sn_request":{"sn_body":{"queryAppoint":{}}}}`, string(srv.Requests()[0].Body))
}

// TestCodeFaultsOverrideTheTable overrides by whole code and by the code
// without its field suffix.
func TestCodeFaultsOverrideTheTable(t *testing.T) {
	t.Parallel()
	cfg := goldenConfig(t)
	cfg.CodeFaults = map[string]couponkit.Fault{
		suning.CodeMissingParameter:                 couponkit.FaultServer,
		suning.CodeMissingParameter + ":actionName": couponkit.FaultAuth,
		suning.CodeSignError:                        couponkit.FaultUnknown,
	}
	cases := map[string]couponkit.Fault{
		suning.CodeMissingParameter + ":actionName": couponkit.FaultAuth,
		suning.CodeMissingParameter + ":partName":   couponkit.FaultServer,
		suning.CodeSignError:                        couponkit.FaultUnknown,
		suning.CodeUserOverdue:                      couponkit.FaultAuth,
	}
	for code, want := range cases {
		c, _, _ := mockClient(t, cfg, snError(code, "x"), couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 1}))
		_, err := c.Query(context.Background(), &suning.QueryRequest{ActionID: "1", PartNumber: "2", VendorID: "3"})
		requireCode(t, err, code, want)
	}
}

// TestHeadersAreFoundByHeaderGet reads every common parameter the way a
// user's middleware or test transport does.
func TestHeadersAreFoundByHeaderGet(t *testing.T) {
	t.Parallel()
	v := signVectors(t)[1]
	got := map[string]string{}
	rt := roundTripper(func(r *http.Request) (*http.Response, error) {
		for _, name := range []string{suning.HeaderAppMethod, suning.HeaderAppRequestTime, suning.HeaderFormat, suning.HeaderAppKey,
			suning.HeaderVersionNo, suning.HeaderSignInfo, suning.HeaderAccessToken} {
			got[name] = r.Header.Get(name)
		}
		for k := range r.Header {
			if k != http.CanonicalHeaderKey(k) {
				got["non-canonical "+k] = k
			}
		}
		return &http.Response{StatusCode: 200, Header: http.Header{}, Request: r,
			Body: io.NopCloser(strings.NewReader(`{"sn_responseContent":{"sn_body":{"queryAppoint":{"resultFlag":"true","actionId":"2019102800001"}}}}`))}, nil
	})
	c, err := suning.NewClient(suning.Config{AppKey: v.AppKey, AppSecret: v.AppSecret, AccessToken: "tok-123456"},
		couponkit.WithTransport(rt), couponkit.WithClock(testclock.New(goldenTime)))
	require.NoError(t, err)
	_, err = c.Query(context.Background(), &suning.QueryRequest{ActionID: "2019102800001", PartNumber: "000000000123456789", VendorID: "0010012345"})
	require.NoError(t, err)
	assert.Equal(t, map[string]string{
		"AppMethod": "suning.custom.appoint.query", "AppRequestTime": "2024-06-01 10:20:30", "Format": "json",
		"AppKey": v.AppKey, "VersionNo": "v1.2", "signInfo": v.SignInfo, "access_token": "tok-123456",
	}, got)
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestEchoingGatewayLeaksNoSecret answers every request with a 500 or an
// HTML 200 page echoing the whole request (URL, headers, body), with each
// header value in one spelling; no secret of the Config, nor the attempt's
// signInfo, may reach an error text or a debug log line in any spelling.
func TestEchoingGatewayLeaksNoSecret(t *testing.T) {
	t.Parallel()
	const (
		secret = `app/secret+with space&"q"=1`
		token  = `tok/en+with space&"q"?=2`
	)
	// Every textual spelling leaktest knows, one a subtest.
	for name := range leaktest.Textual(secret) {
		spell := func(s string) string { return leaktest.Textual(s)[name] }
		for _, status := range []int{http.StatusInternalServerError, http.StatusOK} {
			t.Run(fmt.Sprintf("%s/%d", name, status), func(t *testing.T) {
				t.Parallel()
				var signInfos []string
				echo := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					body, _ := io.ReadAll(r.Body)
					signInfos = append(signInfos, r.Header.Get(suning.HeaderSignInfo))
					var b strings.Builder
					if status == http.StatusOK {
						b.WriteString("<html>")
					}
					// The secrets first, so that they fall within the body
					// snapshot an error keeps.
					b.WriteString(spell(r.Header.Get(suning.HeaderAccessToken)) + " " + spell(r.Header.Get(suning.HeaderSignInfo)) + " ")
					b.WriteString(r.Method + " " + r.URL.String() + "\n")
					for k, vs := range r.Header {
						b.WriteString(k + ": " + spell(strings.Join(vs, ",")) + "\n")
					}
					b.Write(body)
					w.WriteHeader(status)
					_, _ = io.WriteString(w, b.String())
				})
				logs, logger := leaktest.NewLog()
				c, err := suning.NewClient(suning.Config{Gateway: "https://gw.example/api/http/sopRequest", AppKey: "key-1", AppSecret: secret, AccessToken: token},
					couponkit.WithTransport(couponkittest.HandlerTransport(echo)), couponkit.WithClock(testclock.New(goldenTime)), couponkit.WithLogger(logger))
				require.NoError(t, err)
				req := createRequest(t)
				_, errCreate := c.Create(context.Background(), req)
				require.ErrorIs(t, errCreate, couponkit.ErrUnknownOutcome)
				_, errCall := c.Call(context.Background(), suning.MethodAppointQuery, map[string]string{"actionId": "1"}, nil, couponkit.Read())
				require.Error(t, errCall)
				require.NotEmpty(t, signInfos)

				texts := append(leaktest.ErrorTexts(errCreate), leaktest.ErrorTexts(errCall)...)
				texts = append(texts, logs.String())
				assert.Contains(t, strings.Join(texts, "\n"), "[redacted]", "the echo reached the error")
				leaktest.AssertNoSecret(t, texts, append([]string{secret, token}, signInfos...)...)
			})
		}
	}
}

// TestResultsNeverEncodeMeta: JSON of every result type has no raw body.
func TestResultsNeverEncodeMeta(t *testing.T) {
	t.Parallel()
	meta := couponkit.Meta{Raw: []byte("RAW-BODY-SECRET"), RequestID: "REQ-ID-1", HTTPStatus: 200, Attempts: 1}
	for _, v := range []any{&suning.AppointResult{ActionID: "A", Meta: meta}, &suning.QueryResult{ActionID: "A", Meta: meta}} {
		b, err := json.Marshal(v)
		require.NoError(t, err)
		assert.NotContains(t, string(b), "RAW-BODY")
		assert.NotContains(t, string(b), "REQ-ID-1")
		assert.NotContains(t, string(b), "Meta")
	}
}

// A node that reports a business failure is an error from Call, never a
// success; the answers are written out here, not produced by the fake.
func TestCallNodeFailureIsAnError(t *testing.T) {
	t.Parallel()
	failures := []struct {
		name, node, code, message string
	}{
		{"flag false with code", `{"resultFlag":"false","resultCode":"1","resultMsg":"活动不存在"}`, "1", "活动不存在"},
		{"flag N without code", `{"resultFlag":"N","resultMsg":"失败"}`, "1", "失败"},
		{"code only", `{"resultCode":"E0102","resultMsg":"库存不足","actionId":"2019102800001"}`, "E0102", "库存不足"},
		{"numeric code", `{"resultCode":1,"resultMsg":"失败"}`, "1", "失败"},
		{"flag false outranks code 0", `{"resultFlag":"false","resultCode":"0","resultMsg":"x"}`, "0", "x"},
	}
	for _, tc := range failures {
		for _, class := range []struct {
			name string
			opts []couponkit.CallOption
		}{
			{"unsafe", nil},
			{"read", []couponkit.CallOption{couponkit.Read()}},
			{"keyed", []couponkit.CallOption{couponkit.Keyed("orderNo", "K-1")}},
		} {
			t.Run(tc.name+"/"+class.name, func(t *testing.T) {
				t.Parallel()
				c, srv, _ := memClient(t)
				srv.Inject(answer(`{"sn_responseContent":{"sn_body":{"queryOrder":` + tc.node + `}}}`))
				out := json.RawMessage(`"untouched"`)
				_, err := c.Call(context.Background(), "suning.custom.order.query", map[string]string{"orderNo": "K-1"}, &out,
					append([]couponkit.CallOption{suning.Node("queryOrder")}, class.opts...)...)
				var ce *couponkit.Error
				require.ErrorAs(t, err, &ce)
				assert.Equal(t, tc.code, ce.Code)
				assert.Equal(t, tc.message, ce.Message)
				assert.Equal(t, couponkit.FaultClient, ce.Fault)
				assert.NotErrorIs(t, err, couponkit.ErrUnknownOutcome, "the vendor answered: the outcome is known")
				assert.Equal(t, 1, srv.RequestCount(), "a refusal is not sent again")
				assert.JSONEq(t, `"untouched"`, string(out), "out is not filled from a failure")
			})
		}
	}
}

func TestCallNodeSuccessShapes(t *testing.T) {
	t.Parallel()
	for _, node := range []string{
		`{"resultFlag":"true","resultCode":"0","resultMsg":"成功","orderNo":"K-1"}`,
		`{"resultFlag":"TRUE","orderNo":"K-1"}`,
		`{"resultCode":"0","orderNo":"K-1"}`,
		`{"orderNo":"K-1"}`,
		`[{"orderNo":"K-1"}]`,
	} {
		t.Run(node, func(t *testing.T) {
			t.Parallel()
			c, srv, _ := memClient(t)
			srv.Inject(answer(`{"sn_responseContent":{"sn_body":{"queryOrder":` + node + `}}}`))
			var out json.RawMessage
			_, err := c.Call(context.Background(), "suning.custom.order.query", nil, &out, suning.Node("queryOrder"), couponkit.Read())
			require.NoError(t, err)
			assert.JSONEq(t, node, string(out))
		})
	}
}

// A node whose result fields cannot be read is not a definite answer: an
// unsafe write's outcome is unknown.
func TestCallUnreadableResultIsUnknown(t *testing.T) {
	t.Parallel()
	c, srv, _ := memClient(t)
	srv.Inject(answer(`{"sn_responseContent":{"sn_body":{"createOrder":{"resultFlag":{"v":1}}}}}`))
	_, err := c.Call(context.Background(), "suning.custom.order.create", map[string]string{"orderNo": "K-2"}, nil, suning.Node("createOrder"))
	require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
	assert.Equal(t, 1, srv.RequestCount())
}

// answer is a fault that answers the next request with body, HTTP 200.
func answer(body string) couponkittest.Fault {
	return couponkittest.Fault{Respond: func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json;charset=UTF-8")
		_, _ = io.WriteString(w, body)
	}}
}
