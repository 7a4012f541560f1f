package ebuy

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/ebuy/internal/wire"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/internal/wiretype"
)

// TestParamsEncodingIsCanonical checks, for every wire params type with
// every field set, that the text transport.Send writes (encoding/json,
// compact, no HTML escaping) is already canonical: fields declared in ASCII
// order of their tags, so the content signed is the content e-Buy would
// re-serialize.
func TestParamsEncodingIsCanonical(t *testing.T) {
	t.Parallel()
	funds := (&Funds{1, 2, 3, 4, 5, 6, 7, 8, 9}).wire()
	at := wiretype.CompactTime(time.Date(2024, 5, 17, 10, 0, 0, 0, time.UTC))
	store := wireStoreInfo(StoreInfo{"c", "城", "co", "公司", "m", "<店>&", "s", "t"})
	values := map[string]any{
		"activate":     &activateParams{&wireActivateInfo{"o", "s"}, []string{"b", "a"}, 3, at, at, funds},
		"deactivate":   &deactivateParams{"4339", []string{"a"}},
		"update":       &updateParams{"4339", at, []string{"a"}, Yes, NotifyBrand, Yes, UpdateDelay},
		"make":         &thirdBatchMakeParams{1, "ct", at, at, 2, funds, "r&<>", "sc", "o", "snd", "u", "2", "d", "t", "url", "1", "m", "w"},
		"makeCodes":    &makeCodesParams{makeCodesItem{2, "i", 1031000000010741}, "o", "r"},
		"product":      &productParams{1},
		"history":      &historyParams{"c"},
		"cancel":       &cancelParams{[]string{"a"}, Yes, "o", "d", No},
		"sync":         &syncParams{"b", "t", []string{"a"}, "x", store, Yes, "v"},
		"cancelSynced": (&CancelSyncedRedemptionsRequest{CashierTransNo: "t", Codes: []string{"b", "a"}, SaleRealTimeVerify: No}).params("branId", "4339"),
		"voidMerchant": &voidMerchantParams{"c", "o", "r", at},
		"store":        store,
		"funds":        funds,
	}
	for name, v := range values {
		b, err := jsonx.Marshal(v)
		require.NoError(t, err, name)
		canon, err := jsonx.CanonicalBytes(b)
		require.NoError(t, err, name)
		assert.Equal(t, string(canon), string(b), name)
	}
}

func TestFaultTable(t *testing.T) {
	t.Parallel()
	for code, want := range map[string]couponkit.Fault{
		ErrCodeNotFound: couponkit.FaultClient, ErrCodeInvalidTransition: couponkit.FaultClient,
		ErrCodeDuplicateSerial: couponkit.FaultClient, ErrCodeBadSerial: couponkit.FaultClient,
		ErrCodeSignInvalid: couponkit.FaultAuth, ErrCodeAppIDInvalid: couponkit.FaultAuth,
		ErrCodeSystem: couponkit.FaultServer, ErrCodeThrottled: couponkit.FaultThrottle,
		ErrCodeParamInvalid: couponkit.FaultClient, ErrCodeNotFoundRedemption: couponkit.FaultClient,
		"SIGN_CHECK_FAIL": couponkit.FaultAuth, "invalid_appid": couponkit.FaultAuth, "RATE_LIMIT": couponkit.FaultThrottle,
		"SYS_ERROR": couponkit.FaultServer, "SERVER_BUSY": couponkit.FaultServer, "PARAM_NOT_EXIST": couponkit.FaultClient,
		"CODE_NOT_FOUND": couponkit.FaultClient, "99": couponkit.FaultUnknown, "": couponkit.FaultUnknown,
	} {
		assert.Equal(t, want, FaultFor(code), code)
	}
}

func TestTicketIDAndTimes(t *testing.T) {
	t.Parallel()
	var v struct {
		A, B, C, D TicketID
	}
	require.NoError(t, json.Unmarshal([]byte(`{"A":1031000000010741,"B":"1031000000010742","C":"","D":null}`), &v))
	assert.Equal(t, TicketID(1031000000010741), v.A)
	assert.Equal(t, TicketID(1031000000010742), v.B)
	assert.Zero(t, v.C)
	assert.Zero(t, v.D)
	var bad TicketID
	assert.Error(t, json.Unmarshal([]byte(`1.5`), &bad))
	assert.Error(t, json.Unmarshal([]byte(`"x"`), &bad))

	want := time.Date(2024, 5, 17, 9, 30, 5, 0, time.FixedZone("", 8*3600))
	for in, exp := range map[string]time.Time{
		`1715909405000`:         want,
		`"1715909405000"`:       want,
		`"20240517093005"`:      want,
		`"2024-05-17 09:30:05"`: want,
		`"20240517"`:            time.Date(2024, 5, 17, 0, 0, 0, 0, time.FixedZone("", 8*3600)),
		`"soon"`:                {},
		`null`:                  {},
		`""`:                    {},
	} {
		got := parseWireTime([]byte(in))
		assert.True(t, exp.Equal(got), "%s: %v", in, got)
		if !got.IsZero() {
			_, off := got.Zone()
			assert.Equal(t, 8*3600, off, in)
		}
	}
	assert.Equal(t, "frozen", StatusFrozen.String())
	assert.Equal(t, "redeemed", StatusRedeemed.String())
	assert.Equal(t, "99", CodeStatus("99").String())
}

// FuzzResponseOpen feeds arbitrary answers to the answer check: it never
// panics, every error holds a *couponkit.Error, and it accepts only a
// signed success envelope whose sign verifies, carrying the request's uuid
// and no '&' or '=' in a top-level string.
func FuzzResponseOpen(f *testing.F) {
	const secret = "D6954F665B12A4318DF2DE43082858DE"
	good, _ := wire.Signed([]wire.Field{wire.Str("action", "batchUnActivateCode"), wire.Raw("content", []byte(`{"codeNum":1,"activeCodeDetails":[{"codeSecret":"c","ticketId":"1031000000010741"}]}`)),
		wire.Raw("success", []byte("true")), wire.Raw("timestamp", []byte("1")), wire.Str("uuid", "u")}, secret)
	f.Add(good)
	f.Add([]byte(`{"success":true,"content":{}}`))
	f.Add([]byte(`{"success":false,"errorCode":"10","errorMessage":"x"}`))
	f.Add([]byte(`{"success":"true","sign":"","content":null}`))
	f.Add([]byte(`<html>`))
	c, err := NewClient(Config{Gateway: "https://gw.example.test", AppID: "a", AppSecret: secret})
	require.NoError(f, err)
	req := &request{action: apiDeactivate, uuid: "u", content: []byte("{}")}
	f.Fuzz(func(t *testing.T, body []byte) {
		_, err := c.open(opDeactivate, "u", req, &transport.Response{StatusCode: 200, Body: body})
		if err != nil {
			var e *couponkit.Error
			require.ErrorAs(t, err, &e)
			return
		}
		fields, ferr := wire.Fields(body)
		require.NoError(t, ferr)
		ok, signed := wire.Verify(fields, secret)
		require.True(t, signed && ok, "success only with a valid sign")
		success, known := wire.Flag(fields, "success")
		require.True(t, success && known)
		require.Equal(t, "u", wire.String(fields, "uuid"))
		require.NoError(t, wire.CheckSeparators(fields))
	})
}
