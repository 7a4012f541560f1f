package ebuy_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/ebuy/ebuytest"
)

func TestCallIsUnsafeByDefault(t *testing.T) {
	t.Parallel()
	fake, c, _ := fakeClient(t)
	fake.FailNextHTTP(503, gatewayDown)
	meta, err := c.Call(context.Background(), "_getBrandProductDetailDirect", map[string]any{"productId": ebuytest.DefaultProductID}, nil)
	require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
	assert.Equal(t, 1, fake.RequestCount(), "sent once")
	assert.Zero(t, meta.Attempts)
	var u *couponkit.UnknownOutcomeError
	require.ErrorAs(t, err, &u)
	assert.Equal(t, "uuid", u.KeyName)
	assert.Equal(t, field(t, fake.Requests()[0].Body, "uuid"), u.Key)
}

func TestCallReadIsRetried(t *testing.T) {
	t.Parallel()
	fake, c, _ := fakeClient(t)
	fake.FailNextHTTP(503, gatewayDown)
	fake.FailNextHTTP(200, "<html>proxy</html>")
	var p struct {
		ProductName string `json:"productName"`
	}
	meta, err := c.Call(context.Background(), "_getBrandProductDetailDirect", map[string]any{"productId": ebuytest.DefaultProductID}, &p, couponkit.Read())
	require.NoError(t, err)
	assert.Equal(t, 3, meta.Attempts)
	assert.Equal(t, 3, fake.RequestCount())
	assert.Equal(t, "星巴克中杯饮品券", p.ProductName)
	assert.Equal(t, 200, meta.HTTPStatus)
	assert.Equal(t, field(t, fake.Requests()[2].Body, "uuid"), meta.RequestID)
}

func TestCallKeyedIsRetriedWithTheSameUUID(t *testing.T) {
	t.Parallel()
	fake, c, _ := fakeClient(t)
	codes := fake.MakeCodes(1)
	fake.DropNextAfterWrite()
	fake.FailNextHTTP(502, gatewayDown)
	var out struct {
		CodeNum int `json:"codeNum"`
	}
	meta, err := c.Call(context.Background(), "batchActivateCode", json.RawMessage(`{"codeArray":["`+codes[0]+`"]}`), &out,
		couponkit.Keyed("uuid", "20240517-call-keyed"))
	require.NoError(t, err)
	assert.Equal(t, 1, out.CodeNum)
	assert.Equal(t, 3, meta.Attempts)
	reqs := fake.Requests()
	require.Len(t, reqs, 3)
	for _, r := range reqs {
		assert.Equal(t, "20240517-call-keyed", field(t, r.Body, "uuid"), "the key on the wire of every attempt")
		assert.Equal(t, `{"codeArray":["`+codes[0]+`"]}`, field(t, r.Body, "content"), "raw params sent as is")
	}
	st, _ := fake.Code(codes[0])
	assert.Equal(t, []string{"1", "3"}, st.History, "made, activated once")
}

func TestCallKeyedOnAContentField(t *testing.T) {
	t.Parallel()
	fake, c, _ := fakeClient(t)
	codes := fake.SeedCodes(1, ebuy.StatusUnused)
	for range 3 {
		fake.FailNextHTTP(500, gatewayDown)
	}
	params := map[string]any{"brandId": "4339", "cashierTransNo": "T-CALL-1", "codeList": codes, "verifyScene": "offline",
		"storeInfo": map[string]string{"shopNo": "1", "shopName": "s"}}
	_, err := c.Call(context.Background(), "verify-syncVerifyNotify", params, nil, couponkit.Keyed("cashierTransNo", "T-CALL-1"))
	require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
	var u *couponkit.UnknownOutcomeError
	require.ErrorAs(t, err, &u)
	assert.Equal(t, "cashierTransNo", u.KeyName)
	assert.Equal(t, "T-CALL-1", u.Key)
	reqs := fake.Requests()
	require.Len(t, reqs, 3)
	uuid := field(t, reqs[0].Body, "uuid")
	assert.NotEqual(t, "T-CALL-1", uuid, "the key travels in content; the uuid is the client's own")
	for _, r := range reqs {
		assert.Equal(t, uuid, field(t, r.Body, "uuid"), "one uuid for the logical call")
		assert.Equal(t, "codeVerifyNotify", field(t, r.Body, "action"), "the package's action for the API")
	}
}

func TestCallActionOption(t *testing.T) {
	t.Parallel()
	c, _, cp := mockClient(t, ebuy.Config{}, func(req []byte) (int, []byte) { return 200, signedAnswer(t, req, vecKey, `{"ok":"yes"}`) })
	var out map[string]string
	meta, err := c.Call(context.Background(), "verify-syncVerifyVoidNotify", nil, &out, ebuy.Action("codeVerifyVoidNotify"))
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"ok": "yes"}, out)
	bodies := cp.Bodies()
	require.Len(t, bodies, 1)
	assert.Equal(t, "codeVerifyVoidNotify", field(t, bodies[0], "action"))
	assert.Equal(t, "{}", field(t, bodies[0], "content"), "nil params send {}")
	assert.Equal(t, vecGW+"/paas/micro/ecoupon/verify-syncVerifyVoidNotify", cp.urls[0])
	assert.NotEmpty(t, meta.Raw)
}

func TestCallContentThatDoesNotDecodeTookEffect(t *testing.T) {
	t.Parallel()
	fake, c, _ := fakeClient(t)
	codes := fake.MakeCodes(1)
	var out struct {
		CodeNum string `json:"codeNum"` // e-Buy sends a number
	}
	meta, err := c.Call(context.Background(), "batchActivateCode", map[string]any{"codeArray": codes}, &out)
	require.Error(t, err)
	assert.NotErrorIs(t, err, couponkit.ErrUnknownOutcome, "e-Buy answered definitely")
	var ce *couponkit.Error
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, couponkit.FaultClient, ce.Fault)
	assert.Contains(t, ce.Message, "took effect")
	var te *json.UnmarshalTypeError
	assert.ErrorAs(t, err, &te, "the decode error is the cause")
	assert.Equal(t, 1, meta.Attempts, "the Meta comes back with the error")
	st, _ := fake.Code(codes[0])
	assert.Equal(t, ebuy.StatusUnused, st.Status)
}
