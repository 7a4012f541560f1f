package fakeserve_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/cmd/couponkit/internal/fakeserve"
	"github.com/couponkit/couponkit/zvcms"
)

// zvcmsClient is a client of a started zvcms fake, from its settings.
func zvcmsClient(t *testing.T, f *fakeserve.Fake) *zvcms.Client {
	t.Helper()
	env := map[string]string{}
	for _, kv := range f.Settings {
		env[kv[0]] = kv[1]
	}
	c, err := zvcms.NewClient(zvcms.Config{Gateway: env["ZVCMS_GATEWAY"], OpenID: env["ZVCMS_OPEN_ID"], OpenKey: env["ZVCMS_OPEN_KEY"], GrantCode: env["ZVCMS_GRANT_CODE"]})
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// readSeed writes a --seed file and reads it back as the command does.
func readSeed(t *testing.T, js string) *fakeserve.Seed {
	t.Helper()
	p := filepath.Join(t.TempDir(), "seed.json")
	require.NoError(t, os.WriteFile(p, []byte(js), 0o600))
	seed, err := fakeserve.ReadSeed(p)
	require.NoError(t, err)
	return seed
}

// TestZvcmsSeedCollision: a seed that gives two coupons one card id is a
// clear error naming both, not a panic, and nothing is left listening.
func TestZvcmsSeedCollision(t *testing.T) {
	seed := readSeed(t, `{"coupons":[{"cardId":"390913445498200001"},{"customerId":"c2"},{"cardId":"390913445498200001"}]}`)
	f, err := fakeserve.Start("zvcms", "127.0.0.1:0", seed)
	require.Error(t, err)
	assert.Nil(t, f)
	assert.Equal(t, `seed: coupons[2]: cardId "390913445498200001" is also coupons[0]'s`, err.Error())
}

// TestZvcmsSeedInTheFakesRange: card ids a seed takes from the fake's own
// range are skipped by the ids the fake makes for the other coupons (seeded
// before or after them, and by count), and the rows keep the seed's order.
func TestZvcmsSeedInTheFakesRange(t *testing.T) {
	seed := readSeed(t, `{"coupons":[{"customerId":"c1"},{"customerId":"c2","cardId":"390913445498200001"},{"customerId":"c3","cardId":"390913445498200004"}],"count":3}`)
	f, err := fakeserve.Start("zvcms", "127.0.0.1:0", seed)
	require.NoError(t, err)
	defer f.Close()
	require.Len(t, f.Seeded, 7)
	cards := map[string]bool{}
	for _, row := range f.Seeded[1:] {
		assert.False(t, cards[row[1]], "card %s seeded twice", row[1])
		cards[row[1]] = true
	}
	assert.Equal(t, []string{"c1", "c2", "c3"}, []string{f.Seeded[1][0], f.Seeded[2][0], f.Seeded[3][0]})
	assert.Equal(t, "390913445498200001", f.Seeded[2][1])
	assert.Equal(t, "390913445498200004", f.Seeded[3][1])
}

// TestZvcmsNativeTypes: "nativeTypes": true in the seed serves the vendor
// family's spelling (status a bool, code a number, templateId a string,
// getCustomerCoupons as {list, total}); the client reads both spellings.
func TestZvcmsNativeTypes(t *testing.T) {
	for _, native := range []bool{false, true} {
		js := `{"coupons":[{"customerId":"383933091455959041","templateId":951,"title":"满50减10"}]}`
		if native {
			js = `{"coupons":[{"customerId":"383933091455959041","templateId":951,"title":"满50减10"}],"nativeTypes":true}`
		}
		f, err := fakeserve.Start("zvcms", "127.0.0.1:0", readSeed(t, js))
		require.NoError(t, err)
		c := zvcmsClient(t, f)
		res, err := c.GetCustomerCoupons(context.Background(), &zvcms.CustomerCouponsRequest{CustomerID: "383933091455959041"})
		require.NoError(t, err)
		require.Len(t, res.Coupons, 1)
		assert.Equal(t, f.Seeded[1][1], res.Coupons[0].CardID)
		assert.Equal(t, int64(951), res.Coupons[0].TemplateID)
		var body struct {
			Status any
			Code   any
			Data   json.RawMessage
		}
		require.NoError(t, json.Unmarshal(res.Meta.Raw, &body))
		if native {
			assert.Equal(t, true, body.Status)
			assert.Equal(t, float64(0), body.Code)
			var data struct {
				List []struct {
					TemplateID   string `json:"templateId"`
					TemplateName string `json:"templateName"`
				}
				Total int
			}
			require.NoError(t, json.Unmarshal(body.Data, &data), "the vendor family's clients read data as {list, total} with a string templateId")
			assert.Equal(t, "951", data.List[0].TemplateID)
			assert.Equal(t, "满50减10", data.List[0].TemplateName)
			assert.Equal(t, 1, data.Total)
		} else {
			assert.Equal(t, "true", body.Status)
			assert.Equal(t, "0", body.Code)
		}
		f.Close()
	}
	_, err := fakeserve.Start("ebuy", "127.0.0.1:0", &fakeserve.Seed{NativeTypes: true})
	require.EqualError(t, err, "seed: nativeTypes is a zvcms setting, not ebuy's")
}
