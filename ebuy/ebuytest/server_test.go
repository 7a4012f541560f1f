package ebuytest_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/ebuy/ebuytest"
	"github.com/couponkit/couponkit/ebuy/internal/wire"
	"github.com/couponkit/couponkit/internal/leakcheck"
)

// The credentials of the vectors in ../testdata (see ../testdata/gen.sh).
const (
	vecApp = "ebuyde43082858d1"
	vecKey = "D6954F665B12A4318DF2DE43082858DE"
)

func post(t *testing.T, s *ebuytest.Server, api string, body []byte) (int, []byte) {
	t.Helper()
	resp, err := s.Client().Post(s.URL()+"/paas/micro/ecoupon/"+api, "application/json", bytes.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, b
}

func fields(t *testing.T, b []byte) []wire.Field {
	t.Helper()
	fs, err := wire.Fields(b)
	require.NoError(t, err)
	return fs
}

// TestFakeVerifiesIndependentVector posts a request whose sign was computed
// with sha256sum (../testdata/gen.sh): the fake accepts it and signs its
// answer; a byte changed anywhere makes it refuse.
func TestFakeVerifiesIndependentVector(t *testing.T) {
	t.Parallel()
	s := ebuytest.NewServer(ebuytest.Config{AppID: vecApp, AppSecret: vecKey})
	defer s.Close()
	body, err := os.ReadFile("../testdata/requests/product_detail.json")
	require.NoError(t, err)

	status, answer := post(t, s, "_getBrandProductDetailDirect", body)
	assert.Equal(t, http.StatusOK, status)
	fs := fields(t, answer)
	assert.True(t, wire.Bool(fs, "success"), string(answer))
	ok, signed := wire.Verify(fs, vecKey)
	assert.True(t, signed && ok, "the answer is signed")
	assert.Equal(t, "20240517-0123456789abcdef0123456789abcdef", wire.String(fs, "uuid"))
	assert.Contains(t, string(wire.Get(fs, "content")), `"productId":1031000000010741`)

	for name, bad := range map[string]string{
		"content": strings.Replace(string(body), "1031000000010741", "1031000000010742", 1),
		"sign":    strings.Replace(string(body), `"sign":"6`, `"sign":"7`, 1),
		"headers": strings.Replace(string(body), `"1.1.0"`, `"1.2.0"`, 1),
	} {
		_, answer := post(t, s, "_getBrandProductDetailDirect", []byte(bad))
		fs := fields(t, answer)
		assert.False(t, wire.Bool(fs, "success"), name)
		assert.Equal(t, ebuy.ErrCodeSignInvalid, wire.String(fs, "errorCode"), name)
	}

	other := ebuytest.NewServer(ebuytest.Config{AppID: "someone", AppSecret: vecKey})
	defer other.Close()
	_, answer = post(t, other, "_getBrandProductDetailDirect", body)
	assert.Equal(t, ebuy.ErrCodeAppIDInvalid, wire.String(fields(t, answer), "errorCode"))
}

func TestFakeRefusesMalformedRequests(t *testing.T) {
	t.Parallel()
	s := ebuytest.NewServer(ebuytest.Config{})
	defer s.Close()
	status, answer := post(t, s, "_getBrandProductDetailDirect", []byte(`not json`))
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, ebuy.ErrCodeParamInvalid, wire.String(fields(t, answer), "errorCode"))
	status, _ = post(t, s, "noSuchApi", []byte(`{}`))
	assert.Equal(t, http.StatusNotFound, status)
	resp, err := s.Client().Get(s.URL() + "/paas/micro/ecoupon/thirdBatchMake")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
}

func newClient(t *testing.T, s *ebuytest.Server, opts ...couponkit.Option) *ebuy.Client {
	t.Helper()
	all := append([]couponkit.Option{couponkit.WithHTTPClient(s.Client())}, opts...)
	c, err := ebuy.NewClient(s.ClientConfig(), all...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func TestFakeReplaysWritesByUUID(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := ebuytest.NewServer(ebuytest.Config{})
	defer s.Close()
	c := newClient(t, s)
	req := &ebuy.ThirdBatchMakeRequest{UUID: "20240517-make-1", SaleChannelOrderID: "SO-9", TicketID: ebuytest.DefaultProductID, Count: 2}
	a, err := c.ThirdBatchMake(ctx, req)
	require.NoError(t, err)
	b, err := c.ThirdBatchMake(ctx, req)
	require.NoError(t, err)
	assert.Equal(t, a.Meta.Raw, b.Meta.Raw, "the stored answer, byte for byte")
	// A new uuid for the same order: e-Buy keeps saleChannelOrderId unique.
	req.UUID = "20240517-make-2"
	d, err := c.ThirdBatchMake(ctx, req)
	require.NoError(t, err)
	assert.Equal(t, a.Codes, d.Codes)
	assert.Equal(t, []string{"1031000000000000003"}, s.MakeCodes(1), "only two codes were made for the order")

	// A refused write is not stored: the same uuid may succeed later.
	codes := s.MakeCodes(1)
	s.FailNext(ebuy.ErrCodeSystem, "busy")
	_, err = newClient(t, s, couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 1})).
		ActivateCodes(ctx, &ebuy.ActivateCodesRequest{UUID: "20240517-act", Codes: codes})
	require.Error(t, err)
	_, err = c.ActivateCodes(ctx, &ebuy.ActivateCodesRequest{UUID: "20240517-act", Codes: codes})
	require.NoError(t, err)
	st, _ := s.Code(codes[0])
	assert.Equal(t, ebuy.StatusUnused, st.Status)
}

func TestFakeTransitions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := ebuytest.NewServer(ebuytest.Config{})
	defer s.Close()
	c := newClient(t, s)
	for _, tc := range []struct {
		from ebuy.CodeStatus
		op   ebuy.UpdateType
		to   ebuy.CodeStatus // "" means refused
	}{
		{ebuy.StatusUnused, ebuy.UpdateFreeze, ebuy.StatusFrozen},
		{ebuy.StatusFrozen, ebuy.UpdateFreeze, ""},
		{ebuy.StatusFrozen, ebuy.UpdateUnfreeze, ebuy.StatusUnused},
		{ebuy.StatusUnused, ebuy.UpdateUnfreeze, ""},
		{ebuy.StatusUnused, ebuy.UpdateInvalid, ebuy.StatusVoided},
		{ebuy.StatusNotActivated, ebuy.UpdateInvalid, ebuy.StatusVoided},
		{ebuy.StatusFrozen, ebuy.UpdateInvalid, ebuy.StatusVoided},
		{ebuy.StatusVoided, ebuy.UpdateInvalid, ""},
		{ebuy.StatusRedeemed, ebuy.UpdateInvalid, ""},
		{ebuy.StatusRedeemed, ebuy.UpdateDelay, ""},
		{ebuy.StatusVoided, ebuy.UpdateDelay, ""},
		{ebuy.StatusUnused, ebuy.UpdateDelay, ebuy.StatusUnused},
	} {
		codes := s.SeedCodes(1, tc.from)
		req := &ebuy.UpdateCodeStatusRequest{Type: tc.op, Codes: codes}
		if tc.op == ebuy.UpdateDelay {
			req.ValidEnd = time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)
		}
		_, err := c.UpdateCodeStatus(ctx, req)
		st, _ := s.Code(codes[0])
		if tc.to == "" {
			assert.Equal(t, ebuy.ErrCodeInvalidTransition, errCode(err), "%s %s", tc.from, tc.op)
			assert.Equal(t, tc.from, st.Status)
			continue
		}
		require.NoError(t, err, "%s %s", tc.from, tc.op)
		assert.Equal(t, tc.to, st.Status, "%s %s", tc.from, tc.op)
		if tc.op == ebuy.UpdateDelay {
			assert.True(t, st.ValidEnd.Equal(req.ValidEnd))
		}
	}
	_, err := c.ActivateCodes(ctx, &ebuy.ActivateCodesRequest{Codes: s.SeedCodes(1, ebuy.StatusUnused)})
	assert.Equal(t, ebuy.ErrCodeInvalidTransition, errCode(err), "an active code cannot be activated")
	_, err = c.DeactivateCodes(ctx, &ebuy.DeactivateCodesRequest{Codes: s.MakeCodes(1)})
	assert.Equal(t, ebuy.ErrCodeInvalidTransition, errCode(err), "a made code cannot be deactivated")
	_, err = c.UpdateCodeStatus(ctx, &ebuy.UpdateCodeStatusRequest{Type: ebuy.UpdateFreeze, Codes: []string{"nope"}})
	assert.Equal(t, ebuy.ErrCodeNotFound, errCode(err))
	_, err = c.CodeHistory(ctx, &ebuy.CodeHistoryRequest{Code: "nope"})
	assert.Equal(t, ebuy.ErrCodeNotFound, errCode(err))
	_, err = c.ProductDetail(ctx, &ebuy.ProductDetailRequest{ProductID: 42})
	assert.Equal(t, ebuy.ErrCodeNotFound, errCode(err))
	_, err = c.ThirdBatchMake(ctx, &ebuy.ThirdBatchMakeRequest{SaleChannelOrderID: "x", TicketID: 42, Count: 1})
	assert.Equal(t, ebuy.ErrCodeNotFound, errCode(err))
}

func TestFakeRedeemAndCancel(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := ebuytest.NewServer(ebuytest.Config{})
	defer s.Close()
	c := newClient(t, s)
	codes := s.SeedCodes(2, ebuy.StatusUnused)
	_, err := s.Redeem("1", "shop", "nope")
	assert.Error(t, err)
	id, err := s.Redeem("1490", "北京银泰店", codes...)
	require.NoError(t, err)
	_, err = s.Redeem("1490", "北京银泰店", codes[0])
	assert.Error(t, err, "a redeemed code cannot be redeemed again")
	h, err := c.CodeHistory(ctx, &ebuy.CodeHistoryRequest{Code: codes[0]})
	require.NoError(t, err)
	last := h.Records[len(h.Records)-1]
	assert.Equal(t, "2", last.Type)
	assert.Equal(t, "1490", last.ShopNo)
	assert.Equal(t, "北京银泰店", last.ShopName)

	_, err = c.CancelRedemption(ctx, &ebuy.CancelRedemptionRequest{OriginalUUID: id, Codes: codes[:1]})
	require.NoError(t, err)
	st, _ := s.Code(codes[0])
	assert.Equal(t, ebuy.StatusUnused, st.Status)
	st, _ = s.Code(codes[1])
	assert.Equal(t, ebuy.StatusRedeemed, st.Status)
	_, err = c.CancelRedemption(ctx, &ebuy.CancelRedemptionRequest{OriginalUUID: id, Codes: codes, Atomic: true})
	assert.Equal(t, ebuy.ErrCodeInvalidTransition, errCode(err), "atomic: one code is no longer redeemed")
	_, err = c.CancelRedemption(ctx, &ebuy.CancelRedemptionRequest{OriginalUUID: id})
	require.NoError(t, err, "not atomic: the codes that can be cancelled are")
	st, _ = s.Code(codes[1])
	assert.Equal(t, ebuy.StatusUnused, st.Status)
}

// TestFakeFaults drives the faults on loopback. The delayed request is
// released by the caller giving up once the fake has seen it, not by a
// short timeout that a loaded machine could hit before the request is
// written.
func TestFakeFaults(t *testing.T) {
	leakcheck.Check(t)
	ctx := context.Background()
	s := ebuytest.NewServer(ebuytest.Config{})
	defer s.Close()
	c := newClient(t, s, couponkit.WithRetry(couponkit.RetryPolicy{MaxAttempts: 1}), couponkit.WithTimeout(30*time.Second))

	s.FailNextHTTP(503, gatewayDown)
	_, err := c.ProductDetail(ctx, &ebuy.ProductDetailRequest{ProductID: ebuytest.DefaultProductID})
	var e *couponkit.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 503, e.HTTPStatus)
	assert.Equal(t, couponkit.FaultServer, e.Fault)

	s.DelayNext(time.Hour) // released when the caller gives up
	giveUp, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if s.WaitRequests(giveUp, 2) == nil {
			cancel()
		}
	}()
	_, err = c.ProductDetail(giveUp, &ebuy.ProductDetailRequest{ProductID: ebuytest.DefaultProductID})
	cancel()
	<-done
	assert.ErrorIs(t, err, context.Canceled)

	s.DropNext()
	_, err = c.ProductDetail(ctx, &ebuy.ProductDetailRequest{ProductID: ebuytest.DefaultProductID})
	assert.Equal(t, couponkit.FaultServer, couponkit.FaultOf(err))

	codes := s.MakeCodes(1)
	s.DropNextAfterWrite()
	_, err = c.ActivateCodes(ctx, &ebuy.ActivateCodesRequest{Codes: codes})
	assert.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
	st, _ := s.Code(codes[0])
	assert.Equal(t, ebuy.StatusUnused, st.Status, "the write took effect before the drop")

	s.FailNext("E1", "custom")
	_, err = c.ProductDetail(ctx, &ebuy.ProductDetailRequest{ProductID: ebuytest.DefaultProductID})
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "E1", e.Code)
	assert.Equal(t, "custom", e.Message)

	assert.Equal(t, 5, s.RequestCount())
	assert.Equal(t, "_getBrandProductDetailDirect", s.Requests()[0].API)
	c.Close()
	s.Close()
}

func errCode(err error) string {
	var e *couponkit.Error
	if errors.As(err, &e) { // through a *ebuy.BatchError too
		return e.Code
	}
	return fmt.Sprint(err)
}

// gatewayDown is the unsigned error body of a gateway that is down, for
// FailNextHTTP.
const gatewayDown = `{"errorCode":"SYSTEM_ERROR","errorMessage":"gateway unavailable","success":false}`
