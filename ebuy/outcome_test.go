package ebuy_test

import (
	"context"
	"net/http"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/ebuy/ebuytest"
)

// generatedUUID is the uuid Config.NewKey gives every call of the fault
// table's clients that is made without one.
const generatedUUID = "20240517-generated-0000000000000000"

// faultWrite is one write of the package, as the fault table runs it.
type faultWrite struct {
	name  string
	keyed bool
	// key is the idempotency key the write is made with (or, for an Unsafe
	// Call, the uuid the client generates: generatedUUID).
	key string
	// keyOf reads the key from a request body as sent.
	keyOf func(t testing.TB, body []byte) string
	// prepare seeds the fake and returns the write; applied counts how many
	// times the fake applied it.
	prepare func(fake *ebuytest.Server) (call func(context.Context, *ebuy.Client) error, applied func() int)
}

// history counts the operations of type typ recorded on code.
func history(fake *ebuytest.Server, code, typ string) func() int {
	return func() int {
		st, _ := fake.Code(code)
		n := 0
		for _, h := range st.History {
			if h == typ {
				n++
			}
		}
		return n
	}
}

func uuidOf(t testing.TB, body []byte) string { return field(t, body, "uuid") }

// contentKeyOf reads a string field of the request's content.
func contentKeyOf(name string) func(t testing.TB, body []byte) string {
	return func(t testing.TB, body []byte) string {
		var c map[string]any
		require.NoError(t, jsonStd([]byte(field(t, body, "content")), &c))
		s, _ := c[name].(string)
		return s
	}
}

func cashierTransNoOf(t testing.TB, body []byte) string {
	var c struct {
		CashierTransNo string `json:"cashierTransNo"`
	}
	require.NoError(t, jsonStd([]byte(field(t, body, "content")), &c))
	return c.CashierTransNo
}

// faultWrites is every write of the package: each typed write and the
// generic Call, Unsafe and Keyed.
var faultWrites = []faultWrite{
	{name: "ActivateCodes", keyed: true, key: "20240517-fault-activate", keyOf: uuidOf,
		prepare: func(fake *ebuytest.Server) (func(context.Context, *ebuy.Client) error, func() int) {
			codes := fake.MakeCodes(1)
			return func(ctx context.Context, c *ebuy.Client) error {
				_, err := c.ActivateCodes(ctx, &ebuy.ActivateCodesRequest{UUID: "20240517-fault-activate", Codes: codes})
				return err
			}, history(fake, codes[0], "3")
		}},
	{name: "DeactivateCodes", keyed: true, key: "20240517-fault-deactivate", keyOf: uuidOf,
		prepare: func(fake *ebuytest.Server) (func(context.Context, *ebuy.Client) error, func() int) {
			codes := fake.SeedCodes(1, ebuy.StatusUnused)
			return func(ctx context.Context, c *ebuy.Client) error {
				_, err := c.DeactivateCodes(ctx, &ebuy.DeactivateCodesRequest{UUID: "20240517-fault-deactivate", Codes: codes})
				return err
			}, history(fake, codes[0], "4")
		}},
	{name: "UpdateCodeStatus", keyed: true, key: "20240517-fault-freeze", keyOf: uuidOf,
		prepare: func(fake *ebuytest.Server) (func(context.Context, *ebuy.Client) error, func() int) {
			codes := fake.SeedCodes(2, ebuy.StatusUnused)
			return func(ctx context.Context, c *ebuy.Client) error {
				_, err := c.UpdateCodeStatus(ctx, &ebuy.UpdateCodeStatusRequest{UUID: "20240517-fault-freeze", Type: ebuy.UpdateFreeze, Codes: codes})
				return err
			}, history(fake, codes[0], "5")
		}},
	{name: "ThirdBatchMake", keyed: true, key: "20240517-fault-make", keyOf: uuidOf,
		prepare: func(fake *ebuytest.Server) (func(context.Context, *ebuy.Client) error, func() int) {
			return func(ctx context.Context, c *ebuy.Client) error {
					_, err := c.ThirdBatchMake(ctx, &ebuy.ThirdBatchMakeRequest{UUID: "20240517-fault-make", SaleChannelOrderID: "SO-FAULT", TicketID: ebuytest.DefaultProductID, Count: 2})
					return err
				}, func() int {
					codes, _ := fake.Order("SO-FAULT")
					return len(codes) / 2
				}
		}},
	{name: "CancelRedemption", keyed: true, key: "20240517-fault-cancel", keyOf: uuidOf,
		prepare: func(fake *ebuytest.Server) (func(context.Context, *ebuy.Client) error, func() int) {
			codes := fake.SeedCodes(1, ebuy.StatusUnused)
			id, err := fake.Redeem("1490", "shop", codes...)
			if err != nil {
				panic(err)
			}
			return func(ctx context.Context, c *ebuy.Client) error {
				_, err := c.CancelRedemption(ctx, &ebuy.CancelRedemptionRequest{UUID: "20240517-fault-cancel", OriginalUUID: id})
				return err
			}, history(fake, codes[0], "9")
		}},
	{name: "SyncRedemptions", keyed: true, key: "T-FAULT-0001", keyOf: cashierTransNoOf,
		prepare: func(fake *ebuytest.Server) (func(context.Context, *ebuy.Client) error, func() int) {
			codes := fake.SeedCodes(1, ebuy.StatusUnused)
			return func(ctx context.Context, c *ebuy.Client) error {
				_, err := c.SyncRedemptions(ctx, &ebuy.SyncRedemptionsRequest{CashierTransNo: "T-FAULT-0001", Codes: codes, Scene: "offline",
					Store: ebuy.StoreInfo{ShopNo: "1490", ShopName: "shop"}})
				return err
			}, history(fake, codes[0], "2")
		}},
	{name: "CancelSyncedRedemptions", keyed: true, key: "20240517-fault-syncvoid", keyOf: uuidOf,
		prepare: func(fake *ebuytest.Server) (func(context.Context, *ebuy.Client) error, func() int) {
			codes := fake.SeedCodes(1, ebuy.StatusUnused)
			if err := fake.RedeemAtTill("T-FAULT-VOID", "1490", "shop", codes...); err != nil {
				panic(err)
			}
			return func(ctx context.Context, c *ebuy.Client) error {
				_, err := c.CancelSyncedRedemptions(ctx, &ebuy.CancelSyncedRedemptionsRequest{UUID: "20240517-fault-syncvoid", CashierTransNo: "T-FAULT-VOID"})
				return err
			}, history(fake, codes[0], "9")
		}},
	{name: "VoidMerchantRedemption", keyed: true, key: "20240517-fault-void", keyOf: contentKeyOf("requestId"),
		prepare: func(fake *ebuytest.Server) (func(context.Context, *ebuy.Client) error, func() int) {
			codes := fake.SeedCodes(1, ebuy.StatusUnused)
			id, err := fake.Redeem("1490", "shop", codes...)
			if err != nil {
				panic(err)
			}
			return func(ctx context.Context, c *ebuy.Client) error {
				_, err := c.VoidMerchantRedemption(ctx, &ebuy.VoidMerchantRedemptionRequest{RequestID: "20240517-fault-void", Code: codes[0], OriginalRequestID: id})
				return err
			}, history(fake, codes[0], "9")
		}},
	{name: "MakeCodes", keyed: false, key: "OO-FAULT", keyOf: contentKeyOf("outerOrderId"),
		prepare: func(fake *ebuytest.Server) (func(context.Context, *ebuy.Client) error, func() int) {
			return func(ctx context.Context, c *ebuy.Client) error {
					_, err := c.MakeCodes(ctx, &ebuy.MakeCodesRequest{OuterOrderID: "OO-FAULT", TicketID: ebuytest.DefaultProductID, Count: 1})
					return err
				}, func() int {
					codes, _ := fake.Order("OO-FAULT")
					return len(codes)
				}
		}},
	{name: "Call", keyed: false, key: generatedUUID, keyOf: uuidOf,
		prepare: func(fake *ebuytest.Server) (func(context.Context, *ebuy.Client) error, func() int) {
			codes := fake.MakeCodes(1)
			return func(ctx context.Context, c *ebuy.Client) error {
				_, err := c.Call(ctx, "batchActivateCode", map[string]any{"codeArray": codes}, nil)
				return err
			}, history(fake, codes[0], "3")
		}},
	{name: "Call Keyed", keyed: true, key: "20240517-fault-call", keyOf: uuidOf,
		prepare: func(fake *ebuytest.Server) (func(context.Context, *ebuy.Client) error, func() int) {
			codes := fake.MakeCodes(1)
			return func(ctx context.Context, c *ebuy.Client) error {
				var out struct{ CodeNum int }
				_, err := c.Call(ctx, "batchActivateCode", map[string]any{"codeArray": codes}, &out, couponkit.Keyed("uuid", "20240517-fault-call"))
				return err
			}, history(fake, codes[0], "3")
		}},
}

// truncated answers with a Content-Length larger than the body it sends.
func truncated(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Length", "400")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(`{"success":true,"content":{`))
}

// TestEveryWriteMeetsEveryAmbiguousAnswer runs every write through every
// answer that is not a definite e-Buy answer: each is an unknown outcome
// carrying the write's key, an Unsafe write is sent once and a Keyed one
// MaxAttempts times with the same key, re-signed, and the fake applied the
// write at most once. The timeout case runs on an in-memory fake in a
// synctest bubble: its one-second per-attempt timeout expires on the
// bubble's clock only once the request has reached the fake and everything
// waits, so a loaded machine cannot make it expire before the write.
func TestEveryWriteMeetsEveryAmbiguousAnswer(t *testing.T) {
	t.Parallel()
	faults := []struct {
		name    string
		inject  func(fake *ebuytest.Server)
		timeout bool
	}{
		{name: "empty 200", inject: func(f *ebuytest.Server) { f.FailNextHTTP(200, "") }},
		{name: "html 200", inject: func(f *ebuytest.Server) {
			f.Inject(couponkittest.Fault{Status: 200, Header: http.Header{"Content-Type": {"text/html"}}, Body: []byte("<html><body>Please log in</body></html>")})
		}},
		{name: "malformed json 200", inject: func(f *ebuytest.Server) { f.FailNextHTTP(200, `{"success":true,"content":{"codeNum":`) }},
		{name: "truncated body", inject: func(f *ebuytest.Server) { f.Inject(couponkittest.Fault{Respond: truncated}) }},
		{name: "5xx", inject: func(f *ebuytest.Server) { f.FailNextHTTP(502, gatewayDown) }},
		{name: "dropped after write", inject: func(f *ebuytest.Server) { f.DropNextAfterWrite() }},
		{name: "timeout after write", inject: func(f *ebuytest.Server) { f.DelayNext(time.Hour) }, timeout: true},
		{name: "tampered sign", inject: func(f *ebuytest.Server) { f.TamperNextSign() }},
		{name: "missing sign", inject: func(f *ebuytest.Server) { f.OmitNextSign() }},
		{name: "another uuid", inject: func(f *ebuytest.Server) { f.SwapNextUUID() }},
	}
	const maxAttempts = 3
	for _, w := range faultWrites {
		for _, f := range faults {
			run := func(t *testing.T) {
				fake := ebuytest.Start(t, ebuytest.Config{InMemory: f.timeout})
				call, applied := w.prepare(fake)
				clock := couponkittest.NewClock(time.Date(2024, 5, 17, 10, 0, 0, 0, beijing))
				clock.MinAdvance = time.Millisecond
				opts := []couponkit.Option{couponkit.WithClock(clock), couponkit.WithHTTPClient(fake.Client()),
					couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: maxAttempts})}
				if f.timeout {
					opts = append(opts, couponkit.WithTimeout(time.Second))
				}
				cfg := fake.ClientConfig()
				cfg.NewKey = func(time.Time) string { return generatedUUID }
				c, err := ebuy.NewClient(cfg, opts...)
				require.NoError(t, err)
				t.Cleanup(func() { _ = c.Close() })
				before := fake.RequestCount()
				for range maxAttempts {
					f.inject(fake)
				}

				err = call(context.Background(), c)
				require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
				key, ok := couponkit.IdempotencyKey(err)
				require.True(t, ok)
				assert.Equal(t, w.key, key)
				var ce *couponkit.Error
				require.ErrorAs(t, err, &ce, "the cause stays reachable")
				assert.Equal(t, ebuy.Vendor, ce.Vendor)

				want := 1
				if w.keyed {
					want = maxAttempts
				}
				reqs := fake.Requests()[before:]
				require.Len(t, reqs, want)
				var signs []string
				for _, r := range reqs {
					assert.Equal(t, w.key, w.keyOf(t, r.Body), "every attempt carries the key")
					signs = append(signs, field(t, r.Body, "sign"))
				}
				assert.Len(t, slices.Compact(slices.Sorted(slices.Values(signs))), want, "every attempt is signed afresh")
				assert.LessOrEqual(t, applied(), 1, "the fake applied the write at most once")
			}
			t.Run(w.name+"/"+f.name, func(t *testing.T) {
				t.Parallel()
				if f.timeout {
					synctest.Test(t, run)
					return
				}
				run(t)
			})
		}
	}
}

// TestEveryWriteTakesADefiniteRefusal checks that a 4xx page (a wrong
// gateway path) and an e-Buy failure envelope are plain errors, sent once.
func TestEveryWriteTakesADefiniteRefusal(t *testing.T) {
	t.Parallel()
	for _, w := range faultWrites {
		for name, inject := range map[string]func(*ebuytest.Server){
			"404 page": func(f *ebuytest.Server) { f.FailNextHTTP(404, "<html><body>Not Found</body></html>") },
			"failure envelope": func(f *ebuytest.Server) {
				f.FailNext(ebuy.ErrCodeInvalidTransition, "该码状态不支持当前操作")
			},
		} {
			t.Run(w.name+"/"+name, func(t *testing.T) {
				t.Parallel()
				fake := ebuytest.Start(t, ebuytest.Config{})
				call, applied := w.prepare(fake)
				c, err := ebuy.NewClient(fake.ClientConfig(), couponkit.WithHTTPClient(fake.Client()),
					couponkit.WithClock(couponkittest.NewClock(time.Date(2024, 5, 17, 10, 0, 0, 0, beijing))))
				require.NoError(t, err)
				t.Cleanup(func() { _ = c.Close() })
				inject(fake)
				err = call(context.Background(), c)
				require.Error(t, err)
				assert.NotErrorIs(t, err, couponkit.ErrUnknownOutcome)
				var ce *couponkit.Error
				require.ErrorAs(t, err, &ce)
				assert.Equal(t, couponkit.FaultClient, ce.Fault)
				assert.Equal(t, 1, fake.RequestCount())
				assert.Equal(t, 0, applied())
			})
		}
	}
}
