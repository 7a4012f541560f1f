package zvcms_test

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/fakekit"
	"github.com/couponkit/couponkit/internal/faulttest"
	"github.com/couponkit/couponkit/internal/testclock"
	"github.com/couponkit/couponkit/zvcms"
	"github.com/couponkit/couponkit/zvcms/zvcmstest"
)

// maxAttempts is the retry budget of the fault tests' clients.
const maxAttempts = 3

// write is one write of the package, run against a fake holding one unused
// coupon card of the default customer.
type write struct {
	name  string
	class couponkit.Class
	key   string // the idempotency key the write is sent with ("" for none)
	run   func(ctx context.Context, c *zvcms.Client, card string) error
	// op is the API's name (default writeOffCoupon).
	op string
	// setup, when set, prepares the fake through the client before the faults.
	setup func(ctx context.Context, c *zvcms.Client, card string) error
	// applied returns how often the fake applied the write, and how many
	// later requests it answered from it (default: its redemptions).
	applied func(srv *zvcmstest.Server) (n, replays int)
}

func (w *write) opName() string { return cmp.Or(w.op, "writeOffCoupon") }

func (w *write) appliedOn(srv *zvcmstest.Server) (int, int) {
	if w.applied != nil {
		return w.applied(srv)
	}
	red := srv.Redemptions()
	if len(red) == 0 {
		return 0, 0
	}
	return len(red), red[0].Replays
}

// redemption is writeOffCoupon's params, as a generic call sends them.
func redemption(bizID, card string) json.RawMessage {
	return json.RawMessage(`{"bizId":"` + bizID + `","channel":"` + zvcmstest.DefaultChannel +
		`","customerId":"` + zvcmstest.DefaultCustomerID + `","couponsCardList":["` + card + `"]}`)
}

// writes are every write of the package: the typed redemption (Keyed by
// bizId) and the generic call, Unsafe by default and Keyed on request.
var writes = []write{
	{name: "WriteOffCoupon", class: couponkit.ClassKeyed, key: "W-1", run: func(ctx context.Context, c *zvcms.Client, card string) error {
		_, err := c.WriteOffCoupon(ctx, &zvcms.WriteOffRequest{BizID: "W-1", Channel: zvcmstest.DefaultChannel,
			CustomerID: zvcmstest.DefaultCustomerID, CardIDs: []string{card}})
		return err
	}},
	{name: "Call", class: couponkit.ClassUnsafe, run: func(ctx context.Context, c *zvcms.Client, card string) error {
		_, err := c.Call(ctx, "writeOffCoupon", redemption("U-1", card), nil)
		return err
	}},
	{name: "Call Keyed", class: couponkit.ClassKeyed, key: "K-1", run: func(ctx context.Context, c *zvcms.Client, card string) error {
		_, err := c.Call(ctx, "writeOffCoupon", redemption("K-1", card), nil, couponkit.Keyed("bizId", "K-1"))
		return err
	}},
	{name: "ReverseWriteOff", class: couponkit.ClassKeyed, key: "R-1", op: "couponReverse",
		setup: func(ctx context.Context, c *zvcms.Client, card string) error {
			_, err := c.WriteOffCoupon(ctx, &zvcms.WriteOffRequest{BizID: "R-1", Channel: zvcmstest.DefaultChannel,
				CustomerID: zvcmstest.DefaultCustomerID, CardIDs: []string{card}})
			return err
		},
		run: func(ctx context.Context, c *zvcms.Client, _ string) error {
			_, err := c.ReverseWriteOff(ctx, &zvcms.ReverseRequest{BizID: "R-1"})
			return err
		},
		applied: func(srv *zvcmstest.Server) (int, int) {
			r := srv.Reversals()
			if len(r) == 0 {
				return 0, 0
			}
			return len(r), r[0].Replays
		}},
	{name: "IssueCoupons", class: couponkit.ClassUnsafe, key: "I-1", op: "issueCouponsToCustomer",
		run: func(ctx context.Context, c *zvcms.Client, _ string) error {
			_, err := c.IssueCoupons(ctx, &zvcms.IssueRequest{BizID: "I-1", CustomerID: zvcmstest.DefaultCustomerID, CouponID: "389420520079552512", Num: 1})
			return err
		},
		applied: issuesApplied},
	{name: "DispatchExchangeCodes", class: couponkit.ClassUnsafe, op: "codeDispatch",
		run: func(ctx context.Context, c *zvcms.Client, _ string) error {
			_, err := c.DispatchExchangeCodes(ctx, &zvcms.DispatchCodesRequest{ActivityCode: exchangeActivity, Num: 1})
			return err
		},
		applied: func(srv *zvcmstest.Server) (int, int) { return len(srv.Dispatches()), 0 }},
	{name: "DisableExchangeCodes", class: couponkit.ClassUnsafe, op: "codeDisableBatch",
		run: func(ctx context.Context, c *zvcms.Client, _ string) error {
			_, err := c.DisableExchangeCodes(ctx, &zvcms.DisableCodesRequest{Codes: []string{exchangeCode}})
			return err
		},
		applied: func(srv *zvcmstest.Server) (int, int) {
			if c, _ := srv.ExchangeCode(exchangeCode); c.Status == zvcmstest.ExchangeDisabled {
				return 1, 0
			}
			return 0, 0
		}},
	{name: "RecycleCoupons", class: couponkit.ClassUnsafe, op: "recycleCoupons",
		run: func(ctx context.Context, c *zvcms.Client, card string) error {
			_, err := c.RecycleCoupons(ctx, &zvcms.RecycleRequest{CustomerID: zvcmstest.DefaultCustomerID, CardIDs: []string{card}})
			return err
		},
		applied: func(srv *zvcmstest.Server) (int, int) {
			if cs := srv.Coupons(zvcmstest.DefaultCustomerID); cs[0].UseStatus == zvcms.UseStatusDeleted {
				return 1, 0
			}
			return 0, 0
		}},
	{name: "RecoverGrantedCoupons", class: couponkit.ClassUnsafe, key: "G-1", op: "couponRecovery",
		run: func(ctx context.Context, c *zvcms.Client, _ string) error {
			_, err := c.RecoverGrantedCoupons(ctx, &zvcms.RecoverGrantRequest{OrderNo: "G-1"})
			return err
		},
		applied: func(srv *zvcmstest.Server) (int, int) {
			if cs := srv.Coupons(zvcmstest.DefaultCustomerID); cs[0].UseStatus == zvcms.UseStatusDeleted {
				return 1, 0
			}
			return 0, 0
		}},
}

// exchangeActivity and exchangeCode are an exchange activity and an unused
// redemption code of the fault fixture's fake.
const exchangeActivity, exchangeCode = "ACT-F", "EX-F"

func issuesApplied(srv *zvcmstest.Server) (int, int) {
	is := srv.Issues()
	if len(is) == 0 {
		return 0, 0
	}
	return len(is), is[0].Replays
}

// faultFixture is a fake whose handler reads the time from a manual clock
// (shared with the client, whose backoff sleeps take no real time) but
// whose DelayNext waits on the time package's clock (a synctest bubble's,
// inside one), so that a delay outlasts the client's timeout. With inMemory
// it starts no listener and the client reaches it through its Transport.
func faultFixture(t *testing.T, timeout time.Duration, inMemory bool) (*zvcmstest.Server, *zvcms.Client, string) {
	t.Helper()
	clk := testclock.New(epoch)
	srv := zvcmstest.Start(t, zvcmstest.Config{Clock: fakekit.ClockFrom(nil, clk.Now), InMemory: inMemory})
	card := srv.AddCoupon(zvcms.Coupon{}).CardID
	srv.AddExchangeActivity(exchangeActivity, "兑换")
	srv.AddExchangeCode(zvcmstest.ExchangeCode{Code: exchangeCode, ActivityCode: exchangeActivity})
	srv.AddGrant(zvcmstest.Grant{OrderNo: "G-1", CustomerID: zvcmstest.DefaultCustomerID, CardIDs: []string{card}})
	opts := []couponkit.Option{couponkit.WithClock(clk), couponkit.WithTimeout(timeout),
		couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: maxAttempts}), srv.ClientOption()}
	c, err := zvcms.NewClient(srv.ClientConfig(), opts...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return srv, c, card
}

// TestEveryWriteUnderEveryAmbiguousAnswer runs every write of the package
// through every answer that is not a definite vendor answer: each is an
// unknown outcome carrying the write's key, an Unsafe write is sent once, a
// Keyed write MaxAttempts times with the same key (re-signed each time), the
// fake applies the write at most once, and the last attempt's
// *couponkit.Error stays reachable.
func TestEveryWriteUnderEveryAmbiguousAnswer(t *testing.T) {
	t.Parallel()
	faults := faulttest.Ambiguous(`{"status":"true","code":"0","data":{`, `{"status":"true","code":"0","data":{"bizId"`,
		// zvcms: envelopes that do not say whether the call succeeded.
		faulttest.Answer("no status", `{"code":"0","message":"ok","data":{}}`),
		faulttest.Answer("status true without a code", `{"status":"true","message":"ok"}`),
		faulttest.Answer("status neither true nor false", `{"status":"ok","code":"0"}`),
		faulttest.Answer("a JSON array", `[]`),
	)
	for _, f := range faults {
		for _, w := range writes {
			t.Run(f.Name+"/"+w.name, func(t *testing.T) {
				t.Parallel()
				test := func(t *testing.T) {
					// Other answers arrive well within a long timeout. A delay
					// outlasts a short one: in memory inside a synctest bubble,
					// where its timer fires only once the fake holds the
					// written request, however loaded the machine.
					timeout, inMemory := 30*time.Second, f.Fault.Delay > 0
					if inMemory {
						timeout = time.Second
					}
					srv, c, card := faultFixture(t, timeout, inMemory)
					if w.setup != nil {
						require.NoError(t, w.setup(context.Background(), c, card))
					}
					base := srv.RequestCount()
					for range maxAttempts {
						f.Into(srv)
					}
					err := w.run(context.Background(), c, card)

					u, _ := faulttest.Unknown(t, err, "zvcms", w.opName(), w.key)
					want := faulttest.Sends(w.class == couponkit.ClassKeyed, maxAttempts)
					if w.class == couponkit.ClassKeyed {
						assert.Equal(t, "bizId", u.KeyName)
						assert.Equal(t, zvcms.KeyName, u.KeyName)
					}
					assert.Equal(t, want, srv.RequestCount()-base)
					assert.Equal(t, want, u.Attempts)
					reqs := srv.Requests()[base:]
					tokens := map[string]bool{}
					for _, r := range reqs {
						assert.Equal(t, w.opName(), r.API)
						body := parseRequest(t, r.Body)
						var p map[string]any
						require.NoError(t, json.Unmarshal(body.Params, &p))
						assert.Equal(t, string(parseRequest(t, reqs[0].Body).Params), string(body.Params), "every attempt sends the same params")
						if w.key != "" {
							assert.Equal(t, w.key, p[u.KeyName], "every attempt carries the key, in its field")
						}
						tokens[body.Token] = true
					}
					assert.Len(t, tokens, want, "every attempt is signed afresh")
					n, replays := w.appliedOn(srv)
					assert.LessOrEqual(t, n, 1, "the write is applied at most once")
					if f.Fault.Drop && f.Fault.AfterHandler {
						require.Equal(t, 1, n, "a write dropped after the handler took effect")
						assert.Equal(t, want-1, replays, "later attempts replay the first")
					}
				}
				if f.Fault.Delay > 0 {
					synctest.Test(t, test)
				} else {
					test(t)
				}
			})
		}
	}
}

// TestEveryWriteUnderADefiniteRefusal: a 4xx page (a wrong gateway path) and
// a vendor refusal are plain errors, sent once, never unknown outcomes.
func TestEveryWriteUnderADefiniteRefusal(t *testing.T) {
	t.Parallel()
	faults := []struct {
		name   string
		inject func(*zvcmstest.Server)
		fault  couponkit.Fault
		code   string
	}{
		{"404 html page", func(s *zvcmstest.Server) {
			s.Inject(fakekit.Fault{Status: http.StatusNotFound, Header: http.Header{"Content-Type": {"text/html"}}, Body: []byte("<html>Not Found</html>")})
		}, couponkit.FaultClient, ""},
		{"400 empty", func(s *zvcmstest.Server) { s.FailNextHTTP(http.StatusBadRequest, "") }, couponkit.FaultClient, ""},
		{"business refusal", func(s *zvcmstest.Server) { s.FailNext("2002", "券已核销") }, couponkit.FaultClient, "2002"},
		{"token refused", func(s *zvcmstest.Server) { s.FailNextSystem("401", "token校验失败") }, couponkit.FaultAuth, "401"},
	}
	for _, f := range faults {
		for _, w := range writes {
			t.Run(f.name+"/"+w.name, func(t *testing.T) {
				t.Parallel()
				srv, c, card := faultFixture(t, 30*time.Second, false)
				if w.setup != nil {
					require.NoError(t, w.setup(context.Background(), c, card))
				}
				base := srv.RequestCount()
				f.inject(srv)
				err := w.run(context.Background(), c, card)
				require.Error(t, err)
				assert.NotErrorIs(t, err, couponkit.ErrUnknownOutcome)
				var ce *couponkit.Error
				require.ErrorAs(t, err, &ce)
				assert.Equal(t, f.fault, ce.Fault, ce.Error())
				assert.Equal(t, f.code, ce.Code)
				assert.Equal(t, 1, srv.RequestCount()-base)
				n, _ := w.appliedOn(srv)
				assert.Zero(t, n)
			})
		}
	}
}

// garbling is a client transport that lets every request reach the fake, so
// that the write takes effect, and replaces the answer's body.
type garbling struct {
	rt   http.RoundTripper
	body string
}

func (g garbling) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := g.rt.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	_ = resp.Body.Close()
	resp.Body = io.NopCloser(strings.NewReader(g.body))
	resp.ContentLength = int64(len(g.body))
	return resp, nil
}

// TestKeyedWriteAppliedThenGarbled: a redemption that took effect but whose
// every answer was replaced by a proxy page is retried with its bizId, which
// the vendor replays, so the coupon is redeemed once and the error still
// says the outcome is unknown.
func TestKeyedWriteAppliedThenGarbled(t *testing.T) {
	t.Parallel()
	clk := testclock.New(epoch)
	srv := zvcmstest.Start(t, zvcmstest.Config{Clock: clk, InMemory: true})
	card := srv.AddCoupon(zvcms.Coupon{}).CardID
	c, err := zvcms.NewClient(srv.ClientConfig(), couponkit.WithClock(clk),
		couponkit.WithTransport(garbling{rt: srv.Transport(), body: "<html>proxy error</html>"}),
		couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: maxAttempts}))
	require.NoError(t, err)
	defer c.Close()
	err = writes[0].run(context.Background(), c, card)
	require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
	key, _ := couponkit.IdempotencyKey(err)
	assert.Equal(t, "W-1", key)
	assert.Equal(t, maxAttempts, srv.RequestCount())
	red := srv.Redemptions()
	require.Len(t, red, 1)
	assert.Equal(t, "W-1", red[0].BizID)
	assert.Equal(t, maxAttempts-1, red[0].Replays)
	cp, _ := srv.Coupon(card)
	assert.Equal(t, zvcms.UseStatusRedeemed, cp.UseStatus)
	assert.True(t, bytes.Contains(srv.Requests()[0].Body, []byte(`"bizId":"W-1"`)))
	assert.False(t, errors.Is(err, context.DeadlineExceeded))
}
