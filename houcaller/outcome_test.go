package houcaller_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/houcaller"
	"github.com/couponkit/couponkit/houcaller/houcallertest"
	"github.com/couponkit/couponkit/internal/faulttest"
)

// write is one write of the package, typed or generic, with its class and
// the saleNo it sends.
type write struct {
	name        string
	keyed       bool
	dedup       bool   // Config.SaleNoDedup
	serialDedup bool   // Config.SerialCodeDedup (and the fake's DedupConsumptions)
	op          string // the operation; default sendMncardForSale
	keyField    string // the key's param field; default saleNo
	key         string // the key the unknown outcome must carry
	wire        string // the key on the wire
	call        func(ctx context.Context, c *houcaller.Client) error
}

func (w write) operation() string {
	if w.op == "" {
		return houcaller.EndpointSellCard
	}
	return w.op
}

func (w write) field() string {
	if w.keyField == "" {
		return "saleNo"
	}
	return w.keyField
}

// configure sets the client's de-duplication flags of w.
func (w write) configure(cfg *houcaller.Config) {
	cfg.SaleNoDedup, cfg.SerialCodeDedup = w.dedup, w.serialDedup
}

func writes() []write {
	generic := func(saleNo string, opts ...couponkit.CallOption) func(context.Context, *houcaller.Client) error {
		return func(ctx context.Context, c *houcaller.Client) error {
			params := map[string]string{"cardInfoId": houcallertest.DefaultCardInfoID, "saleTime": "2021-06-16 16:02:15",
				"num": "1", "payAmt": "11.22", "saleNo": saleNo, "memberId": "L38E1ASJP00Q4"}
			_, err := c.Call(ctx, houcaller.EndpointSellCard, params, nil, opts...)
			return err
		}
	}
	sell := func(ctx context.Context, c *houcaller.Client) error {
		_, err := c.SellCard(ctx, exampleSale())
		return err
	}
	record := func(serial string) func(context.Context, *houcaller.Client) error {
		return func(ctx context.Context, c *houcaller.Client) error {
			req := exampleConsumption()
			req.SerialCode = serial
			_, err := c.RecordConsumption(ctx, req)
			return err
		}
	}
	return []write{
		{name: "RecordConsumption unsafe", op: houcaller.EndpointRecordConsumption, keyField: "serialCode", key: "C-1", wire: "C-1", call: record("C-1")},
		{name: "RecordConsumption keyed", keyed: true, serialDedup: true, op: houcaller.EndpointRecordConsumption, keyField: "serialCode", key: "C-2", wire: "C-2", call: record("C-2")},
		{name: "SellCard unsafe", key: "1234567892", wire: "1234567892", call: sell},
		{name: "SellCard keyed", keyed: true, dedup: true, key: "1234567892", wire: "1234567892", call: sell},
		{name: "Call unsafe", key: "", wire: "G-1", call: generic("G-1")},
		{name: "Call keyed", keyed: true, key: "G-2", wire: "G-2", call: generic("G-2", couponkit.Keyed("saleNo", "G-2"))},
	}
}

// faults are the answers that are not definite vendor answers, each injected
// into every attempt. A truncated body (Loopback) needs a listening fake; the
// others run on the in-memory fake inside a synctest bubble.
var faults = faulttest.Ambiguous(`{"code":0,"data":{"list":[`, `{"msg":"操作成功","code":0,"data":{"li`,
	faulttest.Answer("no code 200", `{"msg":"操作成功","data":{"list":[]}}`))

const faultAttempts = 3

// attemptTimeout is the client's per-attempt timeout in the fault table. In
// the synctest bubble it runs on the bubble's clock, so it expires only once
// the fake holds the written request; on loopback no fault there waits for
// it.
const attemptTimeout = time.Second

// underFault runs test against a fresh fake that f suits: in memory inside a
// synctest bubble, or on loopback.
func underFault(t *testing.T, f faulttest.Named, test func(t *testing.T, inMemory bool)) {
	t.Helper()
	if f.Loopback {
		test(t, false)
		return
	}
	synctest.Test(t, func(t *testing.T) { test(t, true) })
}

// TestWritesWithAmbiguousAnswersHaveUnknownOutcomes runs every write through
// every ambiguous answer: the error matches ErrUnknownOutcome with the key,
// an Unsafe write is sent once, a Keyed one faultAttempts times with the
// same saleNo and a fresh timestamp, the fake sold at most once, and the
// cause is still a *couponkit.Error.
func TestWritesWithAmbiguousAnswersHaveUnknownOutcomes(t *testing.T) {
	t.Parallel()
	for _, w := range writes() {
		for _, f := range faults {
			t.Run(w.name+"/"+f.Name, func(t *testing.T) {
				t.Parallel()
				underFault(t, f, func(t *testing.T, inMemory bool) {
					writeUnderFault(t, w, f, inMemory)
				})
			})
		}
	}
}

// writeUnderFault sends w with f injected into every attempt and checks the
// unknown outcome, the attempts and the fake's state.
func writeUnderFault(t *testing.T, w write, f faulttest.Named, inMemory bool) {
	c, srv, _ := fakeClient(t, houcallertest.Config{DedupConsumptions: w.serialDedup, InMemory: inMemory}, w.configure,
		couponkit.WithTimeout(attemptTimeout), couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: faultAttempts}))
	for range faultAttempts {
		f.Into(srv)
	}
	err := w.call(context.Background(), c)

	faulttest.Unknown(t, err, "houcaller", w.operation(), w.key)
	want := faulttest.Sends(w.keyed, faultAttempts)
	reqs := srv.Requests()
	require.Len(t, reqs, want)
	stamps := map[string]bool{}
	for i, r := range reqs {
		env := parseWire(t, r.Body)
		stamps[env.Timestamp] = true
		var p map[string]string
		require.NoError(t, json.Unmarshal(decryptECB(t, houcallertest.DefaultDESKey, env.Param), &p))
		assert.Equal(t, w.wire, p[w.field()], "attempt %d", i+1)
	}
	assert.Len(t, stamps, want, "every attempt is framed afresh")
	assert.LessOrEqual(t, len(srv.Sales())+len(srv.Consumptions()), 1, "the write took effect at most once")
}

// A 4xx page refuses the request whatever its body: a plain error, not an
// unknown outcome, for every write.
func TestWritesRefusedByA4xxPageAreDefinite(t *testing.T) {
	t.Parallel()
	for _, w := range writes() {
		t.Run(w.name, func(t *testing.T) {
			t.Parallel()
			c, srv, _ := fakeClient(t, houcallertest.Config{DedupConsumptions: w.serialDedup}, w.configure)
			srv.FailNextHTTP(http.StatusNotFound, "<html><head><title>404 Not Found</title></head></html>")
			err := w.call(context.Background(), c)
			assert.False(t, errors.Is(err, couponkit.ErrUnknownOutcome))
			var ce *couponkit.Error
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, couponkit.FaultClient, ce.Fault)
			assert.Equal(t, http.StatusNotFound, ce.HTTPStatus)
			assert.Equal(t, 1, srv.RequestCount())
			assert.Empty(t, srv.Sales())
			assert.Empty(t, srv.Consumptions())
		})
	}
}

// The unknown outcome of a typed write names its key as the wire does, and as
// SaleKeyName and ConsumptionKeyName say.
func TestUnknownOutcomeNamesTheWireKey(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "saleNo", houcaller.SaleKeyName)
	assert.Equal(t, "serialCode", houcaller.ConsumptionKeyName)
	for _, w := range writes()[:4] { // the typed writes
		t.Run(w.name, func(t *testing.T) {
			t.Parallel()
			c, srv, _ := fakeClient(t, houcallertest.Config{DedupConsumptions: w.serialDedup, InMemory: true}, w.configure,
				couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 1}))
			srv.DropNextAfterWrite()
			err := w.call(context.Background(), c)
			var uo *couponkit.UnknownOutcomeError
			require.ErrorAs(t, err, &uo)
			assert.Equal(t, w.field(), uo.KeyName)
			assert.Equal(t, w.key, uo.Key)
		})
	}
}
