package ebuy_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/ebuy/ebuytest"
	"github.com/couponkit/couponkit/internal/testclock"
)

// inMemoryFake starts an in-memory fake with cfg and a client for it with
// cfgEdit applied to the client's Config.
func inMemoryFake(t *testing.T, cfg ebuytest.Config, cfgEdit func(*ebuy.Config)) (*ebuytest.Server, *ebuy.Client) {
	t.Helper()
	cfg.InMemory = true
	fake := ebuytest.Start(t, cfg)
	cc := fake.ClientConfig()
	if cfgEdit != nil {
		cfgEdit(&cc)
	}
	c, err := ebuy.NewClient(cc, fake.ClientOption(), couponkit.WithClock(testclock.New(vecTime)))
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return fake, c
}

// onceEach checks that got names every code of want exactly once.
func onceEach(t *testing.T, want, got []string) {
	t.Helper()
	seen := make(map[string]int, len(got))
	for _, c := range got {
		seen[c]++
	}
	require.Len(t, got, len(want))
	for _, c := range want {
		require.Equal(t, 1, seen[c], "code %s", c)
	}
}

func TestUpdateCodeStatusTenThousandCodesEachResultOnce(t *testing.T) {
	fake, c := inMemoryFake(t, ebuytest.Config{}, nil)
	codes := fake.SeedCodes(10000, ebuy.StatusUnused)
	// Five codes e-Buy does not know, inside chunk 201 (codes 4000–4019):
	// that chunk is refused whole, every other chunk goes through.
	for i := 4003; i < 4008; i++ {
		codes[i] = "unknown-" + strconv.Itoa(i)
	}

	res, err := c.UpdateCodeStatus(context.Background(), &ebuy.UpdateCodeStatusRequest{UUID: "bulk-freeze", Type: ebuy.UpdateFreeze, Codes: codes})

	var be *ebuy.BatchError
	require.ErrorAs(t, err, &be)
	require.NotNil(t, res)
	got := make([]string, len(res.Codes))
	for i, r := range res.Codes {
		got[i] = r.Code
	}
	onceEach(t, codes, got)
	assert.Equal(t, codes, got, "results in request order")
	require.Len(t, res.Chunks, 500)
	var failed []string
	for i, r := range res.Codes {
		inBadChunk := i >= 4000 && i < 4020
		if inBadChunk {
			var ce *couponkit.Error
			require.ErrorAs(t, r.Err, &ce, r.Code)
			assert.Equal(t, ebuy.ErrCodeNotFound, ce.Code)
			failed = append(failed, r.Code)
			continue
		}
		require.NoError(t, r.Err, r.Code)
		assert.Equal(t, ebuy.StatusFrozen, r.Status, r.Code)
		st, ok := fake.Code(r.Code)
		require.True(t, ok)
		assert.Equal(t, ebuy.StatusFrozen, st.Status, r.Code)
	}
	assert.Equal(t, codes[4000:4020], failed)
	be2 := make([]string, len(be.Failed))
	for i, f := range be.Failed {
		be2[i] = f.Code
	}
	assert.Equal(t, codes[4000:4020], be2)
	assert.Equal(t, 10000, be.Total)
	// The refused chunk left its known codes as they were.
	st, _ := fake.Code(codes[4000])
	assert.Equal(t, ebuy.StatusUnused, st.Status)
	assert.Equal(t, 500, fake.RequestCount(), "one request per chunk, none repeated")
	assert.Equal(t, "bulk-freeze-201", res.Chunks[200].UUID)
}

func TestActivateCodesSplitByMaxCodesPerActivation(t *testing.T) {
	fake, c := inMemoryFake(t, ebuytest.Config{MaxCodesPerActivation: 100}, func(cfg *ebuy.Config) {
		cfg.MaxCodesPerActivation = 100
		cfg.MaxBatchConcurrency = 3
	})
	codes := fake.MakeCodes(1050)
	ctx := context.Background()

	res, err := c.ActivateCodes(ctx, &ebuy.ActivateCodesRequest{UUID: "act", Codes: codes})
	require.NoError(t, err)
	assert.Equal(t, 1050, res.Count)
	require.Len(t, res.Chunks, 11)
	assert.Len(t, res.Chunks[10].Codes, 50)
	got := make([]string, len(res.Results))
	for i, r := range res.Results {
		require.NoError(t, r.Err)
		require.NotNil(t, r.Detail, r.Code)
		assert.Equal(t, r.Code, r.Detail.Code)
		got[i] = r.Code
	}
	assert.Equal(t, codes, got)
	for _, code := range codes {
		st, _ := fake.Code(code)
		require.Equal(t, ebuy.StatusUnused, st.Status, code)
	}
	var uuids []string
	for _, r := range fake.Requests() {
		uuids = append(uuids, field(t, r.Body, "uuid"))
	}
	slices.Sort(uuids)
	want := make([]string, 11)
	for i := range want {
		want[i] = "act-" + strconv.Itoa(i+1)
	}
	slices.Sort(want)
	assert.Equal(t, want, uuids)

	dres, err := c.DeactivateCodes(ctx, &ebuy.DeactivateCodesRequest{Codes: codes})
	require.NoError(t, err)
	assert.Equal(t, 1050, dres.Count)
	require.Len(t, dres.Results, 1050)
	for i, r := range dres.Results {
		require.Equal(t, codes[i], r.Code)
		require.NoError(t, r.Err)
	}
	st, _ := fake.Code(codes[1049])
	assert.Equal(t, ebuy.StatusNotActivated, st.Status)
}

func TestActivateCodesSplitReportsAFailedChunkCodeByCode(t *testing.T) {
	fake, c := inMemoryFake(t, ebuytest.Config{}, func(cfg *ebuy.Config) { cfg.MaxCodesPerActivation = 10 })
	codes := fake.MakeCodes(30)
	codes[15] = "not-made" // chunk 2 (codes 10–19) is refused whole

	res, err := c.ActivateCodes(context.Background(), &ebuy.ActivateCodesRequest{Codes: codes})
	var be *ebuy.BatchError
	require.ErrorAs(t, err, &be)
	require.Len(t, res.Results, 30)
	var failed []string
	for i, r := range res.Results {
		assert.Equal(t, codes[i], r.Code)
		if r.Err != nil {
			failed = append(failed, r.Code)
		}
	}
	assert.Equal(t, codes[10:20], failed)
	assert.Len(t, be.Failed, 10)
	assert.Equal(t, 20, res.Count)
	var ce *couponkit.Error
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, ebuy.ErrCodeNotFound, ce.Code)
	st, _ := fake.Code(codes[10])
	assert.Equal(t, ebuy.StatusNotActivated, st.Status, "the refused chunk changed nothing")
	st, _ = fake.Code(codes[20])
	assert.Equal(t, ebuy.StatusUnused, st.Status)
}

func TestActivateCodesUnsplitByDefault(t *testing.T) {
	fake, c := inMemoryFake(t, ebuytest.Config{}, nil)
	codes := fake.MakeCodes(500)
	res, err := c.ActivateCodes(context.Background(), &ebuy.ActivateCodesRequest{Codes: codes})
	require.NoError(t, err)
	assert.Len(t, res.Chunks, 1)
	assert.Equal(t, 1, fake.RequestCount(), "e-Buy publishes no limit: one request")
	assert.Len(t, res.Results, 500)
}

func TestSplitActivationRefusesAUUIDTooLongForItsSuffix(t *testing.T) {
	fake, c := inMemoryFake(t, ebuytest.Config{}, func(cfg *ebuy.Config) { cfg.MaxCodesPerActivation = 1 })
	codes := fake.MakeCodes(12)
	uuid := "u" + string(slices.Repeat([]byte("x"), 47)) // 48 characters: "-12" makes 51
	_, err := c.ActivateCodes(context.Background(), &ebuy.ActivateCodesRequest{UUID: uuid, Codes: codes})
	var ve *couponkit.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "UUID", ve.Field)
	assert.Equal(t, 0, fake.RequestCount())
}

func TestMaxCodesPerActivationMustNotBeNegative(t *testing.T) {
	_, err := ebuy.NewClient(ebuy.Config{Gateway: vecGW, AppID: vecApp, AppSecret: vecKey, MaxCodesPerActivation: -1})
	var ve *couponkit.ValidationError
	require.True(t, errors.As(err, &ve))
	assert.Equal(t, "MaxCodesPerActivation", ve.Field)
}

func TestFakeRefusesMoreCodesThanItsActivationLimit(t *testing.T) {
	fake, c := inMemoryFake(t, ebuytest.Config{MaxCodesPerActivation: 5}, nil)
	codes := fake.MakeCodes(6)
	_, err := c.ActivateCodes(context.Background(), &ebuy.ActivateCodesRequest{Codes: codes})
	var ce *couponkit.Error
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, ebuy.ErrCodeParamInvalid, ce.Code)
}
