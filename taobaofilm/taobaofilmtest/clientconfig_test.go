package taobaofilmtest_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
