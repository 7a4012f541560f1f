package suning_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/testclock"
	"github.com/couponkit/couponkit/suning"
	"github.com/couponkit/couponkit/suning/suningtest"
)

// createNode returns a createAppoint node for the generic Call: the golden
// request's node as a create with the given key.
func createNode(t *testing.T, key string) json.RawMessage {
	t.Helper()
	var body struct {
		R struct {
			B struct {
				N map[string]any `json:"createAppoint"`
			} `json:"sn_body"`
		} `json:"sn_request"`
	}
	require.NoError(t, json.Unmarshal(readTestdata(t, "modify_request.json"), &body))
	n := body.R.B.N
	n["operateType"], n["enrollInfoCode"] = string(suning.OperateCreate), key
	delete(n, "actionId")
	b, err := json.Marshal(n)
	require.NoError(t, err)
	return b
}

// write is one write of the package, run against a fake: it returns the
// key the write was sent with, or for an unsafe write the value it reports
// ("" when it has none), and its error.
type write struct {
	name  string
	keyed bool
	// setup runs before the faults are queued (creating the activity a
	// modify or stop needs) and returns what the write needs.
	setup func(t *testing.T, c *suning.Client) *suning.AppointRequest
	run   func(ctx context.Context, t *testing.T, c *suning.Client, req *suning.AppointRequest) (key string, err error)
	// api is the method the write sends.
	api string
}

func created(t *testing.T, c *suning.Client) *suning.AppointRequest {
	t.Helper()
	res, err := c.Create(context.Background(), createRequest(t))
	require.NoError(t, err)
	req := createRequest(t)
	req.ActionID = res.ActionID
	return req
}

func writes() []write {
	return []write{
		{"Create", true, func(t *testing.T, _ *suning.Client) *suning.AppointRequest { return createRequest(t) },
			func(ctx context.Context, t *testing.T, c *suning.Client, req *suning.AppointRequest) (string, error) {
				_, err := c.Create(ctx, req)
				return "", err
			}, suning.MethodAppointCreate},
		{"Modify", true, created,
			func(ctx context.Context, t *testing.T, c *suning.Client, req *suning.AppointRequest) (string, error) {
				_, err := c.Modify(ctx, req)
				return "", err
			}, suning.MethodAppointCreate},
		{"Stop", true, created,
			func(ctx context.Context, t *testing.T, c *suning.Client, req *suning.AppointRequest) (string, error) {
				_, err := c.Stop(ctx, req)
				return "", err
			}, suning.MethodAppointCreate},
		{"Call", false, func(*testing.T, *suning.Client) *suning.AppointRequest { return nil },
			func(ctx context.Context, t *testing.T, c *suning.Client, _ *suning.AppointRequest) (string, error) {
				_, err := c.Call(ctx, suning.MethodAppointCreate, createNode(t, "SU-GENERIC-UNSAFE"), nil)
				return "", err
			}, suning.MethodAppointCreate},
		{"Call Keyed", true, func(*testing.T, *suning.Client) *suning.AppointRequest { return nil },
			func(ctx context.Context, t *testing.T, c *suning.Client, _ *suning.AppointRequest) (string, error) {
				const key = "SU-GENERIC-KEYED"
				_, err := c.Call(ctx, suning.MethodAppointCreate, createNode(t, key), nil, couponkit.Keyed(suning.KeyName, key))
				return key, err
			}, suning.MethodAppointCreate},
		{"GotoAppoint", false, created,
			func(ctx context.Context, t *testing.T, c *suning.Client, req *suning.AppointRequest) (string, error) {
				g := gotoRequest(req)
				_, err := c.GotoAppoint(ctx, g)
				return g.CustNo, err
			}, suning.MethodGotoAppointCreate},
	}
}

// TestEveryWriteReportsAmbiguousAnswersAsUnknownOutcomes runs every write of
// the package through every answer that is not a definite vendor answer.
func TestEveryWriteReportsAmbiguousAnswersAsUnknownOutcomes(t *testing.T) {
	t.Parallel()
	faults := []struct {
		name    string
		inject  func(srv *suningtest.Server)
		timeout bool
	}{
		{"empty 200", func(srv *suningtest.Server) { srv.AnswerNextAfterWrite(http.StatusOK, "") }, false},
		{"html 200", func(srv *suningtest.Server) {
			srv.AnswerNextAfterWrite(http.StatusOK, "<html><body>502 Bad Gateway</body></html>")
		}, false},
		{"malformed json 200", func(srv *suningtest.Server) {
			srv.AnswerNextAfterWrite(http.StatusOK, `{"sn_responseContent":{"sn_body":{"createAppoint":{"resultCode":"0"`)
		}, false},
		{"no createAppoint node", func(srv *suningtest.Server) {
			srv.AnswerNextAfterWrite(http.StatusOK, `{"sn_responseContent":{"sn_head":{},"sn_body":{}}}`)
		}, false},
		{"no sn_responseContent", func(srv *suningtest.Server) { srv.AnswerNextAfterWrite(http.StatusOK, `{}`) }, false},
		{"truncated body", func(srv *suningtest.Server) { srv.TruncateNextAfterWrite() }, false},
		{"5xx", func(srv *suningtest.Server) { srv.FailNextHTTP(http.StatusBadGateway, "<html>bad gateway</html>") }, false},
		{"vendor service unavailable", func(srv *suningtest.Server) { srv.FailNext(suning.CodeServiceUnavailable, "服务不可用") }, false},
		{"dropped after write", func(srv *suningtest.Server) { srv.DropNextAfterWrite() }, false},
		{"timeout after write", func(srv *suningtest.Server) { srv.DelayNext(time.Hour) }, true},
	}
	const attempts = 3
	for _, f := range faults {
		for _, w := range writes() {
			t.Run(f.name+"/"+w.name, func(t *testing.T) {
				t.Parallel()
				srv := suningtest.Start(t, suningtest.Config{})
				clk := testclock.New(time.Now())
				clk.Step = time.Second // every attempt has its own AppRequestTime
				// Over loopback, so that a truncated body meets a real
				// Content-Length check.
				opts := []couponkit.Option{couponkit.WithClock(clk), couponkit.WithHTTPClient(srv.Client()),
					couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: attempts})}
				if f.timeout {
					// Long enough for the request to leave even on a loaded
					// machine; the fake holds it for an hour.
					opts = append(opts, couponkit.WithTimeout(time.Second))
				}
				c, err := suning.NewClient(srv.ClientConfig(), opts...)
				require.NoError(t, err)
				req := w.setup(t, c)
				before, appliedBefore := srv.RequestCount(), srv.AppliedWrites()
				for range attempts {
					f.inject(srv)
				}

				given, err := w.run(context.Background(), t, c, req)

				require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
				var ce *couponkit.Error
				require.ErrorAs(t, err, &ce, "the last failure stays reachable")
				assert.Equal(t, w.api, ce.Operation)
				var u *couponkit.UnknownOutcomeError
				require.ErrorAs(t, err, &u)
				key, ok := couponkit.IdempotencyKey(err)
				require.True(t, ok)
				reqs := srv.Requests()[before:]
				want := 1
				if w.keyed {
					want = attempts
					assert.Equal(t, suning.KeyName, u.KeyName)
					if given != "" {
						assert.Equal(t, given, key)
					}
					assert.NotEmpty(t, key)
				} else if given != "" {
					assert.Equal(t, suning.GotoAppointKeyName, u.KeyName)
					assert.Equal(t, given, key, "an unsafe write reports what to look up")
				} else {
					assert.Empty(t, key, "an unsafe write has no key")
				}
				require.Len(t, reqs, want, "unsafe: one request; keyed: every attempt")
				assert.Equal(t, want, u.Attempts)
				signatures := map[string]bool{}
				for _, r := range reqs {
					assert.Equal(t, w.api, r.API)
					if w.keyed {
						assert.Equal(t, key, sentKey(t, r.Body), "every attempt carries the reported key")
					}
					assert.Equal(t, reqs[0].Body, r.Body, "the body is built once")
					signatures[r.Header.Get(suning.HeaderSignInfo)] = true
				}
				assert.Len(t, signatures, want, "every attempt is signed again")
				assert.LessOrEqual(t, srv.AppliedWrites()-appliedBefore, 1, "the fake applied the write at most once")
			})
		}
	}
}

// TestDefiniteRejectionsOfWritesArePlainErrors: a 4xx page (a wrong path)
// and a vendor error code refuse the request; nothing is retried.
func TestDefiniteRejectionsOfWritesArePlainErrors(t *testing.T) {
	t.Parallel()
	for _, w := range writes() {
		t.Run(w.name, func(t *testing.T) {
			t.Parallel()
			srv := suningtest.Start(t, suningtest.Config{})
			cfg := srv.ClientConfig()
			cfg.Gateway = srv.URL() + "/api/http/wrongPath"
			c, err := suning.NewClient(cfg, srv.ClientOption())
			require.NoError(t, err)
			good, err := suning.NewClient(srv.ClientConfig(), srv.ClientOption())
			require.NoError(t, err)
			req := w.setup(t, good)
			before := srv.RequestCount()

			_, err = w.run(context.Background(), t, c, req)
			require.Error(t, err)
			assert.NotErrorIs(t, err, couponkit.ErrUnknownOutcome)
			var ce *couponkit.Error
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, couponkit.FaultClient, ce.Fault)
			assert.Equal(t, http.StatusNotFound, ce.HTTPStatus)
			assert.Equal(t, before+1, srv.RequestCount())

			srv.FailNextHTTP(http.StatusNotFound, "<html><body>404 Not Found</body></html>")
			_, err = w.run(context.Background(), t, good, req)
			require.ErrorAs(t, err, &ce)
			assert.False(t, errors.Is(err, couponkit.ErrUnknownOutcome))
			assert.Equal(t, couponkit.FaultClient, ce.Fault)
			assert.Equal(t, before+2, srv.RequestCount())
		})
	}
}
