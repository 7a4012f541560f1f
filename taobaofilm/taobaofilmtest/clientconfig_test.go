package taobaofilmtest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/taobaofilm"
	"github.com/couponkit/couponkit/taobaofilm/taobaofilmtest"
)

func TestClientConfigExportsTheWholeBatch(t *testing.T) {
	batch := taobaofilmtest.DefaultBatch()
	batch.Count = 50
	srv := taobaofilmtest.NewServer(taobaofilmtest.Config{AppKey: "k-1", AppSecret: "s-1", Session: "sess", CursorName: "cursor", PageSize: 7,
		Batches: []taobaofilmtest.Batch{batch}})
	defer srv.Close()
	cfg := srv.ClientConfig()
	assert.Equal(t, srv.Gateway(), cfg.Gateway)
	assert.Equal(t, "k-1", cfg.AppKey)
	assert.Equal(t, "cursor", cfg.CursorName)
	c, err := taobaofilm.NewClient(cfg)
	require.NoError(t, err)
	defer c.Close()
	seen := map[string]bool{}
	for code, err := range c.Codes(context.Background(), &taobaofilm.ExportRequest{MixID: batch.MixID, PartnerCode: batch.PartnerCode, OperateType: taobaofilm.OperateAll}) {
		require.NoError(t, err)
		seen[code.Code] = true
	}
	assert.Len(t, seen, 50, "every code once")
	assert.Equal(t, 8, srv.RequestCount(), "50 codes in pages of 7")
}

// The fake is reached at the addresses its constants name, in memory or on
// loopback.
func TestFakeAddresses(t *testing.T) {
	t.Parallel()
	mem := taobaofilmtest.Start(t, taobaofilmtest.Config{InMemory: true})
	assert.Equal(t, "http://taobaofilm.fake.invalid", mem.URL())
	assert.Equal(t, "http://"+taobaofilmtest.InMemoryHost, mem.URL())
	assert.Equal(t, "http://taobaofilm.fake.invalid/router/rest", mem.Gateway())
	assert.Equal(t, mem.Gateway(), mem.ClientConfig().Gateway)

	lo := taobaofilmtest.Start(t, taobaofilmtest.Config{})
	assert.True(t, strings.HasPrefix(lo.URL(), "http://127.0.0.1:"), lo.URL())
	assert.Equal(t, lo.URL()+"/router/rest", lo.Gateway())
	assert.Equal(t, "/router/rest", taobaofilmtest.GatewayPath)
}

// The fake is driven through couponkittest.Fake alone, Inject included, with
// a client of package taobaofilm.
func TestFakeSharedControls(t *testing.T) {
	t.Parallel()
	clk := couponkittest.NewClock(time.Date(2019, 12, 1, 10, 0, 0, 0, time.UTC))
	srv := taobaofilmtest.Start(t, taobaofilmtest.Config{InMemory: true, Clock: clk})
	var f couponkittest.Fake = srv
	c, err := taobaofilm.NewClient(srv.ClientConfig(), srv.ClientOption(), couponkit.WithClock(clk),
		couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 4}))
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	req := &taobaofilm.ExportRequest{MixID: taobaofilmtest.DefaultMixID, PartnerCode: taobaofilmtest.DefaultPartnerCode, OperateType: taobaofilm.OperateAll}

	f.Inject(couponkittest.Fault{Status: http.StatusServiceUnavailable, Body: []byte("down")})
	f.FailNext("isp.remote-service-timeout", "远程服务调用超时")
	f.ThrottleNext(2 * time.Second)
	page, err := c.ExportCodes(context.Background(), req)
	require.NoError(t, err, "a read is retried past every fault")
	assert.Equal(t, 4, page.Meta.Attempts)
	assert.Equal(t, couponkit.Fen(400), page.Basic.Denomination)

	f.FailNext("isv.invalid-parameter", "Invalid Arguments")
	_, err = c.ExportCodes(context.Background(), req)
	var ce *couponkit.Error
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, couponkit.FaultClient, ce.Fault)

	require.NoError(t, f.WaitRequests(context.Background(), 5))
	assert.Equal(t, 5, f.RequestCount())
	reqs := f.Requests()
	require.Len(t, reqs, 5)
	assert.Equal(t, "taobao.film.fcode.export.query", reqs[4].API)
	assert.Equal(t, "/router/rest", reqs[4].Path)
	assert.Equal(t, "taobao.film.fcode.export.query", taobaofilmtest.Params(reqs[4]).Get("method"))
}

// Batch.Denomination is fen on the wire too: 1234 fen is denomination 1234
// in basic.
func TestBatchDenominationIsFen(t *testing.T) {
	t.Parallel()
	b := taobaofilmtest.DefaultBatch()
	b.Denomination = couponkit.Fen(1234)
	srv := taobaofilmtest.Start(t, taobaofilmtest.Config{InMemory: true, Batches: []taobaofilmtest.Batch{b}})
	c, err := taobaofilm.NewClient(srv.ClientConfig(), srv.ClientOption())
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	var raw json.RawMessage
	_, err = c.Call(context.Background(), "taobao.film.fcode.export.query",
		map[string]string{"mix_id": b.MixID, "partner_code": b.PartnerCode, "operate_type": "ALL"}, &raw, couponkit.Read())
	require.NoError(t, err)
	assert.Contains(t, string(raw), `"denomination":1234`)
}
