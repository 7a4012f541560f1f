package suning_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"sort"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/testclock"
	"github.com/couponkit/couponkit/suning"
)

const okCreate = `{"sn_responseContent":{"sn_body":{"createAppoint":{"resultCode":"0","resultMsg":"成功","enrollInfoCode":"SU191028101810140135","actionId":"2019102800001"}}}}`

// captured is a request seen by a mock transport.
type captured struct {
	url    string
	header http.Header
	body   []byte
}

// mockClient returns a client whose requests go to a mock transport answering
// every POST with answer, and the requests it saw.
func mockClient(t *testing.T, cfg suning.Config, answer string, opts ...couponkit.Option) (*suning.Client, *[]captured, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	var seen []captured
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		b, err := io.ReadAll(r.Body)
		require.NoError(t, err)
		seen = append(seen, captured{url: r.URL.String(), header: r.Header.Clone(), body: b})
		return httpmock.NewStringResponse(200, answer), nil
	})
	all := append([]couponkit.Option{couponkit.WithTransport(mt), couponkit.WithClock(testclock.New(goldenTime))}, opts...)
	c, err := suning.NewClient(cfg, all...)
	require.NoError(t, err)
	return c, &seen, mt
}

func goldenConfig(t *testing.T) suning.Config {
	v := signVectors(t)[0]
	return suning.Config{AppKey: v.AppKey, AppSecret: v.AppSecret}
}

func TestModifyWireMatchesGoldenAndVector(t *testing.T) {
	t.Parallel()
	v := signVectors(t)[0]
	require.Equal(t, "modify_request.json", v.BodyFile)
	c, seen, _ := mockClient(t, goldenConfig(t), okCreate)

	res, err := c.Modify(context.Background(), goldenRequest(t))
	require.NoError(t, err)
	require.Len(t, *seen, 1)
	got := (*seen)[0]

	assert.Equal(t, string(compactTestdata(t, "modify_request.json")), string(got.body))
	assert.Equal(t, suning.ProductionGateway, got.url)
	h := got.header
	assert.Equal(t, []string{"suning.custom.appoint.create"}, h.Values("AppMethod"))
	assert.Equal(t, []string{"2024-06-01 10:20:30"}, h.Values("AppRequestTime"), "Beijing time although the clock is in UTC")
	assert.Equal(t, []string{"json"}, h.Values("Format"))
	assert.Equal(t, []string{v.AppKey}, h.Values("AppKey"))
	assert.Equal(t, []string{"v1.2"}, h.Values("VersionNo"))
	assert.Equal(t, []string{v.SignInfo}, h.Values("signInfo"), "found by Header.Get under the vendor's spelling")
	assert.Empty(t, h.Values("access_token"))
	for k := range h {
		assert.Equal(t, http.CanonicalHeaderKey(k), k, "every header is set under its canonical key")
	}
	assert.Equal(t, "application/json;charset=UTF-8", h.Get("Content-Type"))
	assert.Equal(t, couponkit.DefaultUserAgent, h.Get("User-Agent"))

	assert.Equal(t, "0", res.ResultCode)
	assert.Equal(t, "成功", res.ResultMessage)
	assert.Equal(t, "2019102800001", res.ActionID)
	assert.Equal(t, "SU191028101810140135", res.EnrollInfoCode)
	assert.Equal(t, "SU191028101810140135", res.SentEnrollInfoCode)
	assert.Equal(t, 1, res.Meta.Attempts)
	assert.Equal(t, 200, res.Meta.HTTPStatus)
	assert.Equal(t, okCreate, string(res.Meta.Raw))
}

func TestAccessTokenHeaderIsNotSigned(t *testing.T) {
	t.Parallel()
	v := signVectors(t)[0]
	cfg := goldenConfig(t)
	cfg.AccessToken = "a1c5c62b08df3a3cbf7efd0000000000"
	c, seen, _ := mockClient(t, cfg, okCreate)
	_, err := c.Modify(context.Background(), goldenRequest(t))
	require.NoError(t, err)
	h := (*seen)[0].header
	assert.Equal(t, []string{cfg.AccessToken}, h.Values("access_token"))
	assert.Equal(t, []string{v.SignInfo}, h.Values("signInfo"))
}

func TestQueryWireMatchesVector(t *testing.T) {
	t.Parallel()
	v := signVectors(t)[1]
	answer := `{"sn_responseContent":{"sn_body":{"queryAppoint":{"resultFlag":"true","resultCode":"0","resultMsg":"成功",` +
		`"actionId":"2019102800001","actionType":"0","adapteTerminal":"3","otherTerminalSale":"1","actionName":"预约",` +
		`"actionStartTime":"2024-06-01 00:00:00","actionEndTime":"2024-06-20 23:59:59","scheduleStartTime":"2024-06-01 10:00:00",` +
		`"scheduleEndTime":"2024-06-17 20:00:00","purchaseStartTime":"2024-06-18 00:00:00","purchaseEndTime":"2024-06-18 23:59:59","goodsCount":"2"}}}}`
	c, seen, _ := mockClient(t, suning.Config{AppKey: v.AppKey, AppSecret: v.AppSecret, Gateway: suning.TestGateway}, answer)
	res, err := c.Query(context.Background(), &suning.QueryRequest{ActionID: "2019102800001", PartNumber: "000000000123456789", VendorID: "0010012345"})
	require.NoError(t, err)
	got := (*seen)[0]
	assert.Equal(t, v.Body, string(got.body))
	assert.Equal(t, []string{v.SignInfo}, got.header.Values("signInfo"))
	assert.Equal(t, []string{"suning.custom.appoint.query"}, got.header.Values("AppMethod"))
	assert.Equal(t, suning.TestGateway, got.url)

	assert.Equal(t, "2019102800001", res.ActionID)
	assert.Equal(t, suning.ActionTypeNormal, res.ActionType)
	assert.Equal(t, suning.TerminalPCAndMobile, res.Terminal)
	assert.Equal(t, suning.OtherTerminalSaleYes, res.OtherTerminalSale)
	assert.Equal(t, "预约", res.ActionName)
	assert.True(t, res.ActionStart.Equal(bj(2024, 6, 1, 0, 0, 0)))
	assert.True(t, res.ActionEnd.Equal(bj(2024, 6, 20, 23, 59, 59)))
	assert.True(t, res.ScheduleStart.Equal(bj(2024, 6, 1, 10, 0, 0)))
	assert.True(t, res.ScheduleEnd.Equal(bj(2024, 6, 17, 20, 0, 0)))
	assert.True(t, res.PurchaseStart.Equal(bj(2024, 6, 18, 0, 0, 0)))
	assert.True(t, res.PurchaseEnd.Equal(bj(2024, 6, 18, 23, 59, 59)))
	var node map[string]string
	require.NoError(t, json.Unmarshal(res.Node, &node))
	assert.Equal(t, "2", node["goodsCount"], "unmodelled fields stay reachable")
}

func TestAppendMethodToPath(t *testing.T) {
	t.Parallel()
	cfg := goldenConfig(t)
	cfg.Gateway = "https://openpre.cnsuning.com/api/http/sopRequest/"
	cfg.AppendMethodToPath = true
	c, seen, _ := mockClient(t, cfg, okCreate)
	_, err := c.Modify(context.Background(), goldenRequest(t))
	require.NoError(t, err)
	assert.Equal(t, "https://openpre.cnsuning.com/api/http/sopRequest/suning.custom.appoint.create", (*seen)[0].url)
}

func TestCreateOmitsActionIDAndUnsetOptionalFields(t *testing.T) {
	t.Parallel()
	c, seen, _ := mockClient(t, goldenConfig(t), okCreate)
	req := createRequest(t)
	req.SupervipPurchaseStart, req.TransitDate = time.Time{}, time.Time{}
	req.SubGoods = nil
	res, err := c.Create(context.Background(), req)
	require.NoError(t, err)
	var body struct {
		R struct {
			B struct {
				Node map[string]json.RawMessage `json:"createAppoint"`
			} `json:"sn_body"`
		} `json:"sn_request"`
	}
	require.NoError(t, json.Unmarshal((*seen)[0].body, &body))
	node := body.R.B.Node
	for _, k := range []string{"actionId", "supervipPurchaseStartTime", "transitDate", "goodsSubList"} {
		assert.NotContains(t, node, k)
	}
	assert.Equal(t, `"01"`, string(node["operateType"]))
	var key string
	require.NoError(t, json.Unmarshal(node["enrollInfoCode"], &key))
	assert.Equal(t, res.SentEnrollInfoCode, key, "the generated key is reported")
	assert.Regexp(t, `^SU240601102030[0-9]{18}$`, key, "SU + Beijing yyMMddHHmmss + 18 digits")
}

// TestGoldenHasTheVendorSampleKeys checks the hand-written golden against the
// vendor's own JSON sample: the same keys at every level, every value a string.
func TestGoldenHasTheVendorSampleKeys(t *testing.T) {
	t.Parallel()
	type req struct {
		R struct {
			B map[string]map[string]json.RawMessage `json:"sn_body"`
		} `json:"sn_request"`
	}
	var golden, sample req
	require.NoError(t, json.Unmarshal(readTestdata(t, "modify_request.json"), &golden))
	require.NoError(t, json.Unmarshal(readTestdata(t, "vendor_sample_request.json"), &sample))
	g, s := golden.R.B["createAppoint"], sample.R.B["createAppoint"]
	require.NotNil(t, g)
	require.NotNil(t, s)
	assert.Equal(t, keys(s), keys(g))
	for k, v := range g {
		if k == "goodsList" || k == "goodsSubList" {
			continue
		}
		var str string
		assert.NoError(t, json.Unmarshal(v, &str), "%s is a string", k)
	}
	for _, list := range []string{"goodsList", "goodsSubList"} {
		var gl, sl []map[string]string
		require.NoError(t, json.Unmarshal(g[list], &gl), "%s entries hold strings only", list)
		require.NoError(t, json.Unmarshal(s[list], &sl))
		assert.Equal(t, keys(sl[0]), keys(gl[0]), list)
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
