package ebuytest_test

import (
	"encoding/json"
	"slices"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/ebuy/ebuytest"
	"github.com/couponkit/couponkit/ebuy/internal/wire"
)

// signedRequest is a request envelope for the fake, signed with the fake's
// own signer (the client under test is not involved).
func signedRequest(t *testing.T, action, uuid, content string) []byte {
	t.Helper()
	b, err := wire.Signed([]wire.Field{
		wire.Str("action", action), wire.Str("appId", ebuytest.DefaultAppID), wire.Raw("content", []byte(content)),
		wire.Str("lang", "zh_CN"), wire.Str("signType", "sha256"), wire.Raw("timestamp", []byte("1715911200000")), wire.Str("uuid", uuid),
	}, ebuytest.DefaultAppSecret)
	require.NoError(t, err)
	return b
}

func keys(t *testing.T, body []byte) []string {
	t.Helper()
	var out []string
	for _, f := range fields(t, body) {
		out = append(out, f.Key)
	}
	slices.Sort(out)
	return out
}

// TestFakeSyncVoidAsPrinted: with SyncVoidAsPrinted the answer has exactly
// page 9de6d's fields, signed, and a refusal is the same answer with an
// errorCode.
func TestFakeSyncVoidAsPrinted(t *testing.T) {
	t.Parallel()
	s := ebuytest.Start(t, ebuytest.Config{SyncVoidAnswer: ebuytest.SyncVoidAsPrinted})
	codes := s.SeedCodes(1, ebuy.StatusUnused)
	require.NoError(t, s.RedeemAtTill("T-1", "1490", "shop", codes...))
	req := signedRequest(t, "codeVerifyVoidNotify", "20240517-void-1", `{"branId":"4339","originalUuid":"T-1"}`)

	_, answer := post(t, s, "verify-syncVerifyVoidNotify", req)
	fs := fields(t, answer)
	assert.Equal(t, []string{"action", "content", "createTime", "errorCode", "errorMessage", "outerOrderId", "sign", "signType", "timestamp"}, keys(t, answer))
	ok, signed := wire.Verify(fs, ebuytest.DefaultAppSecret)
	assert.True(t, signed && ok)
	assert.Empty(t, wire.String(fs, "errorCode"))
	st, _ := s.Code(codes[0])
	assert.Equal(t, st.OuterOrderID, wire.String(fs, "outerOrderId"))
	assert.Equal(t, ebuy.StatusUnused, st.Status)
	var content struct {
		List []struct{ Code string } `json:"voidNotifyResultBOList"`
	}
	require.NoError(t, json.Unmarshal(wire.Get(fs, "content"), &content))
	require.Len(t, content.List, 1)
	assert.Equal(t, codes[0], content.List[0].Code)

	_, refusal := post(t, s, "verify-syncVerifyVoidNotify", signedRequest(t, "codeVerifyVoidNotify", "20240517-void-2", `{"branId":"4339","originalUuid":"T-1"}`))
	assert.Equal(t, []string{"action", "errorCode", "errorMessage", "sign", "signType", "timestamp"}, keys(t, refusal))
	assert.Equal(t, ebuy.ErrCodeInvalidTransition, wire.String(fields(t, refusal), "errorCode"))
}

// TestFakeMakeCodesNamingAndDeduplication: MakeAnswerItems names the codes
// as page a516a does; MakeCodesDeduplicates answers a repeated outerOrderId
// with the earlier success, addressed to the repeat's uuid; without it a
// repeat issues new codes.
func TestFakeMakeCodesNamingAndDeduplication(t *testing.T) {
	t.Parallel()
	const content = `{"item":{"codeCount":2,"outerOrderItemId":"OI-1","ticketId":1031000000010741},"outerOrderId":"OO-1","remark":"api_mock"}`
	type answer struct {
		OuterOrderID string `json:"outerOrderId"`
		Items        []struct {
			ValidStart  int64 `json:"validStart"`
			ValidEnd    int64 `json:"validEnd"`
			CodeDetails []struct {
				Code, SearchCode, CodeMask string
				Status                     ebuy.CodeStatus
			} `json:"codeDetails"`
		} `json:"items"`
	}
	for _, dedup := range []bool{false, true} {
		t.Run(strconv.FormatBool(dedup), func(t *testing.T) {
			t.Parallel()
			s := ebuytest.Start(t, ebuytest.Config{MakeAnswer: ebuytest.MakeAnswerItems, MakeCodesDeduplicates: dedup})
			_, first := post(t, s, "makeCode", signedRequest(t, "makeCode", "20240517-make-1", content))
			_, second := post(t, s, "makeCode", signedRequest(t, "makeCode", "20240517-make-2", content))
			order, _ := s.Order("OO-1")

			var a answer
			fs := fields(t, first)
			require.NoError(t, json.Unmarshal(wire.Get(fs, "content"), &a))
			assert.Equal(t, "OO-1", a.OuterOrderID)
			require.Len(t, a.Items, 1)
			require.Len(t, a.Items[0].CodeDetails, 2)
			d := a.Items[0].CodeDetails[0]
			assert.Equal(t, order[0], d.Code)
			assert.Equal(t, order[0][len(order[0])-8:], d.SearchCode)
			assert.Equal(t, ebuy.StatusUnused, d.Status)
			assert.NotEmpty(t, d.CodeMask)
			assert.Less(t, a.Items[0].ValidStart, a.Items[0].ValidEnd)

			fs2 := fields(t, second)
			ok, signed := wire.Verify(fs2, ebuytest.DefaultAppSecret)
			assert.True(t, signed && ok)
			assert.Equal(t, "20240517-make-2", wire.String(fs2, "uuid"), "the answer is the repeat's")
			if dedup {
				assert.Len(t, order, 2, "issued once")
				assert.JSONEq(t, string(wire.Get(fs, "content")), string(wire.Get(fs2, "content")))
			} else {
				assert.Len(t, order, 4, "a repeated outerOrderId issues again")
			}
		})
	}
}
