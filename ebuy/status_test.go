package ebuy_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/ebuy/ebuytest"
	"github.com/couponkit/couponkit/ebuy/internal/wire"
	"github.com/couponkit/couponkit/internal/testclock"
)

func TestUpdateSplitsWithPartialFailure(t *testing.T) {
	t.Parallel()
	fake, c, _ := fakeClient(t)
	codes := fake.SeedCodes(45, ebuy.StatusUnused)
	codes[27] = "no-such-code" // in the second chunk (codes 20..39)
	res, err := c.UpdateCodeStatus(context.Background(), &ebuy.UpdateCodeStatusRequest{UUID: "20240517-split", Type: ebuy.UpdateFreeze, Codes: codes})
	require.NotNil(t, res)
	var be *ebuy.BatchError
	require.ErrorAs(t, err, &be)
	assert.Equal(t, 45, be.Total)
	require.Len(t, be.Failed, 20)
	assert.Equal(t, codes[20], be.Failed[0].Code)
	assert.Contains(t, err.Error(), "20 of 45 code(s) failed")
	assert.Contains(t, err.Error(), "券码不存在[no-such-code]")
	var e *couponkit.Error
	require.ErrorAs(t, err, &e, "BatchError unwraps to the chunk's error")
	assert.Equal(t, ebuy.ErrCodeNotFound, e.Code)

	require.Len(t, res.Chunks, 3)
	assert.Equal(t, []string{"20240517-split-1", "20240517-split-2", "20240517-split-3"},
		[]string{res.Chunks[0].UUID, res.Chunks[1].UUID, res.Chunks[2].UUID})
	assert.Len(t, res.Chunks[2].Codes, 5)
	assert.NoError(t, res.Chunks[0].Err)
	assert.Error(t, res.Chunks[1].Err)
	require.Len(t, res.Codes, 45)
	for i, r := range res.Codes {
		assert.Equal(t, codes[i], r.Code, "results in request order")
		st, known := fake.Code(codes[i])
		if i >= 20 && i < 40 {
			assert.Error(t, r.Err, i)
			if known {
				assert.Equal(t, ebuy.StatusUnused, st.Status, "a refused chunk changes nothing")
			}
		} else {
			assert.NoError(t, r.Err, i)
			assert.Equal(t, ebuy.StatusFrozen, r.Status)
			assert.Equal(t, ebuy.StatusFrozen, st.Status)
		}
	}
	assert.Len(t, res.Failed(), 20)

	// Each chunk was sent with at most 20 codes and its own uuid.
	seen := map[string]bool{}
	for _, r := range fake.Requests() {
		var content struct{ Codes []string }
		require.NoError(t, jsonUnmarshal(t, r.Body, &content))
		assert.LessOrEqual(t, len(content.Codes), ebuy.MaxCodesPerUpdate)
		seen[field(t, r.Body, "uuid")] = true
	}
	assert.Len(t, seen, 3)
}

func TestUpdateSplitBoundsConcurrency(t *testing.T) {
	t.Parallel()
	var inflight, peak atomic.Int32
	reached, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	c, _, cp := mockClient(t, ebuy.Config{MaxBatchConcurrency: 2}, func(req []byte) (int, []byte) {
		n := inflight.Add(1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		if n == 2 {
			once.Do(func() { close(reached) })
		}
		<-release
		inflight.Add(-1)
		return 200, signedAnswer(t, req, vecKey, `{"codeStatusList":[{"code":"c000","currentStatus":"05"}]}`)
	})
	codes := make([]string, 100)
	for i := range codes {
		codes[i] = fmt.Sprintf("c%03d", i)
	}
	done := make(chan error, 1)
	go func() {
		_, err := c.UpdateCodeStatus(context.Background(), &ebuy.UpdateCodeStatusRequest{Type: ebuy.UpdateInvalid, Codes: codes})
		done <- err
	}()
	<-reached
	close(release)
	require.NoError(t, <-done)
	assert.Equal(t, int32(2), peak.Load())
	assert.Len(t, cp.Bodies(), 5)
}

func TestUpdateChunkWithUnknownOutcome(t *testing.T) {
	t.Parallel()
	fake := ebuytest.NewServer(ebuytest.Config{})
	defer fake.Close()
	codes := fake.SeedCodes(25, ebuy.StatusUnused)
	fake.FailNextHTTP(502, gatewayDown)
	fake.FailNextHTTP(502, gatewayDown)
	fake.FailNextHTTP(502, gatewayDown)
	cfg := fake.ClientConfig()
	cfg.MaxBatchConcurrency = 1 // chunks in order: the first gets the three 502s
	seq, err := ebuy.NewClient(cfg, couponkit.WithHTTPClient(fake.Client()), couponkit.WithClock(testclock.New(vecTime)))
	require.NoError(t, err)
	defer seq.Close()
	res, err := seq.UpdateCodeStatus(context.Background(), &ebuy.UpdateCodeStatusRequest{Type: ebuy.UpdateFreeze, Codes: codes})
	require.ErrorIs(t, err, couponkit.ErrUnknownOutcome, "errors.Is sees the chunk's unknown outcome")
	require.Len(t, res.Codes, 25)
	assert.ErrorIs(t, res.Codes[0].Err, couponkit.ErrUnknownOutcome)
	key, ok := couponkit.IdempotencyKey(res.Codes[0].Err)
	require.True(t, ok)
	assert.Equal(t, res.Chunks[0].UUID, key)
	assert.NoError(t, res.Codes[20].Err)
	assert.Equal(t, ebuy.StatusFrozen, res.Codes[24].Status)
}

func TestUpdateSupportPartial(t *testing.T) {
	t.Parallel()
	fake, c, _ := fakeClient(t)
	active := fake.SeedCodes(1, ebuy.StatusUnused)
	voided := fake.SeedCodes(1, ebuy.StatusVoided)
	codes := []string{active[0], voided[0], "no-such-code"}
	res, err := c.UpdateCodeStatus(context.Background(), &ebuy.UpdateCodeStatusRequest{Type: ebuy.UpdateFreeze, Codes: codes, SupportPartial: true})
	var be *ebuy.BatchError
	require.ErrorAs(t, err, &be)
	require.Len(t, be.Failed, 2)
	require.Len(t, res.Codes, 3)
	assert.NoError(t, res.Codes[0].Err)
	assert.Equal(t, ebuy.StatusFrozen, res.Codes[0].Status)
	assert.Equal(t, ebuy.StatusVoided, res.Codes[1].Status)
	assert.Equal(t, couponkit.FaultClient, couponkit.FaultOf(res.Codes[1].Err))
	assert.Contains(t, res.Codes[1].Err.Error(), "after freeze, want 04")
	assert.Equal(t, couponkit.FaultUnknown, couponkit.FaultOf(res.Codes[2].Err))
	assert.Contains(t, res.Codes[2].Err.Error(), "does not list this code")
}

func TestUpdateCancelledContextSendsNothing(t *testing.T) {
	t.Parallel()
	fake, c, _ := fakeClient(t)
	codes := fake.SeedCodes(45, ebuy.StatusUnused)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := c.UpdateCodeStatus(ctx, &ebuy.UpdateCodeStatusRequest{Type: ebuy.UpdateFreeze, Codes: codes})
	require.ErrorIs(t, err, context.Canceled)
	assert.Len(t, res.Failed(), 45)
	assert.Equal(t, 0, fake.RequestCount())
}

func TestBatchErrorGroupsCauses(t *testing.T) {
	t.Parallel()
	e1, e2 := errors.New("one"), errors.New("two")
	be := &ebuy.BatchError{Operation: "batchUpdateCodeStatus", Total: 5, Failed: []ebuy.CodeError{
		{Code: "a", Err: e1}, {Code: "b", Err: e1}, {Code: "c", Err: e2},
	}}
	assert.Equal(t, "ebuy batchUpdateCodeStatus: 3 of 5 code(s) failed; 2 code(s) from a: one; 1 code(s) from c: two", be.Error())
	assert.ErrorIs(t, be, e1)
	assert.ErrorIs(t, be, e2)
	assert.Len(t, be.Unwrap(), 2)
}

func jsonUnmarshal(t *testing.T, body []byte, v any) error {
	t.Helper()
	fields, err := wire.Fields(body)
	require.NoError(t, err)
	return jsonStd(wire.Get(fields, "content"), v)
}
