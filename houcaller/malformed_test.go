package houcaller_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/houcaller"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/transport"
)

// The client reads an answer's envelope in one pass and leaves the data of a
// success to the decode that reads it (jsonx.ScanDeferred,
// Endpoint.DataDeferred). These tests hold every call to the rule that
// stands whatever the order of the checks: a body that is not well-formed
// JSON, wherever the fault lies (truncated, in data, outside it, in a
// failure's data), is unreadable, never a success and never a definite
// refusal; a write's outcome is then unknown, with its key.

// houCall is one call of the package against its endpoint's valid answer.
type houCall struct {
	name     string
	endpoint string
	answer   string // a valid answer with code 0 and data
	write    bool
	key      string // the key a write's unknown outcome carries
	run      func(context.Context, *houcaller.Client) error
}

func houCalls() []houCall {
	ctx := func(f func(context.Context, *houcaller.Client) error) func(context.Context, *houcaller.Client) error {
		return f
	}
	return []houCall{
		{"SellCard", houcaller.EndpointSellCard, listAnswer, true, "1234567892", ctx(func(ctx context.Context, c *houcaller.Client) error {
			_, err := c.SellCard(ctx, exampleSale())
			return err
		})},
		{"RecordConsumption", houcaller.EndpointRecordConsumption, consumptionAnswer, true, "S-20220215-0001", ctx(func(ctx context.Context, c *houcaller.Client) error {
			_, err := c.RecordConsumption(ctx, exampleConsumption())
			return err
		})},
		{"MemberCoupons", houcaller.EndpointListCouponsByMember, memberCouponsAnswer, false, "", ctx(func(ctx context.Context, c *houcaller.Client) error {
			_, err := c.MemberCoupons(ctx, &houcaller.MemberCouponsRequest{MemberID: "K1H93QDKI00B7"})
			return err
		})},
		{"LastSentCoupon", houcaller.EndpointLastSentCoupons, lastSentAnswer, false, "", ctx(func(ctx context.Context, c *houcaller.Client) error {
			_, err := c.LastSentCoupon(ctx, &houcaller.LastSentCouponRequest{MemberID: "NC2D0RH4EROS6", CouponID: "N95B0CN960I14"})
			return err
		})},
		{"Call without out", houcaller.EndpointListMemberCards, listAnswer, true, "", ctx(func(ctx context.Context, c *houcaller.Client) error {
			_, err := c.Call(ctx, houcaller.EndpointListMemberCards, map[string]string{"memberId": "M1"}, nil)
			return err
		})},
		{"Call with out", houcaller.EndpointListMemberCards, listAnswer, true, "", ctx(func(ctx context.Context, c *houcaller.Client) error {
			var out map[string]any
			_, err := c.Call(ctx, houcaller.EndpointListMemberCards, map[string]string{"memberId": "M1"}, &out)
			return err
		})},
	}
}

// malformed returns answers made from valid that are not well-formed JSON:
// prefixes of it (every one near the end, where data closes, and a sample
// before), and valid with a fault inside data, outside it, or in the data
// of a failure.
func malformed(valid string) map[string]string {
	out := map[string]string{}
	for i := 1; i < len(valid); i++ {
		if i%7 == 0 || i > len(valid)-40 {
			out["prefix "+valid[:i]] = valid[:i]
		}
	}
	data := strings.Index(valid, `"data":{`) + len(`"data":{`)
	inData := func(s string) string { return valid[:data] + s + valid[data:] }
	for name, body := range map[string]string{
		"a literal misspelled in data":     inData(`"zz":tru,`),
		"a control character in data":      inData("\"z\x01\":1,"),
		"a bad escape in data":             inData(`"z":"\x",`),
		"a trailing comma in data":         valid[:len(valid)-2] + ",}}",
		"a colon missing in data":          inData(`"z" 1,`),
		"brackets that do not match":       inData(`"z":[1},`),
		"an overridden malformed data":     strings.Replace(valid, `"data":`, `"data":{"a":tru},"data":`, 1),
		"a comma too many outside data":    strings.Replace(valid, `"code":0,`, `"code":0,,`, 1),
		"a control character in msg":       strings.Replace(valid, `"操作成功"`, "\"操作\x01成功\"", 1),
		"text after the object":            valid + "x",
		"a second object":                  valid + "{}",
		"a failure with malformed data":    strings.Replace(inData(`"zz":tru,`), `"code":0`, `"code":500`, 1),
		"a failure with truncated data":    strings.Replace(valid[:len(valid)-1], `"code":0`, `"code":500`, 1),
		"a failure with a bad string data": strings.Replace(valid[:data-1]+"\"\\u12\"}", `"code":0`, `"code":500`, 1),
	} {
		out[name] = body
	}
	return out
}

func TestMalformedAnswersAreUnreadable(t *testing.T) {
	t.Parallel()
	for _, call := range houCalls() {
		t.Run(call.name, func(t *testing.T) {
			t.Parallel()
			c, mt, _ := mockClient(t, houcaller.Config{})
			mt.RegisterResponder("POST", mockGateway+"/"+call.endpoint, httpmock.NewStringResponder(200, call.answer))
			require.NoError(t, call.run(context.Background(), c), "the valid answer")

			for name, body := range malformed(call.answer) {
				require.Error(t, jsonx.Check([]byte(body)), "%s: %q is well-formed", name, body)
				c, mt, _ := mockClient(t, houcaller.Config{})
				mt.RegisterResponder("POST", mockGateway+"/"+call.endpoint, httpmock.NewStringResponder(200, body))
				err := call.run(context.Background(), c)
				require.Error(t, err, "%s: %q", name, body)
				assert.True(t, transport.IsUnreadable(err), "%s: %v", name, err)
				var ce *couponkit.Error
				if errors.As(err, &ce) {
					assert.NotEqual(t, "500", ce.Code, "%s: not a definite refusal", name)
				}
				if call.write {
					require.ErrorIs(t, err, couponkit.ErrUnknownOutcome, name)
					key, _ := couponkit.IdempotencyKey(err)
					assert.Equal(t, call.key, key, name)
					assert.Equal(t, 1, mt.GetTotalCallCount(), "%s: an unsafe write is sent once", name)
				} else {
					assert.NotErrorIs(t, err, couponkit.ErrUnknownOutcome, name)
					assert.Greater(t, mt.GetTotalCallCount(), 1, "%s: a read is retried", name)
				}
			}
		})
	}
}

// TestAFailureWithWellFormedDataIsADefiniteRefusal is the other side: the
// failure's data, checked by open, does not make a definite refusal
// unreadable.
func TestAFailureWithWellFormedDataIsADefiniteRefusal(t *testing.T) {
	t.Parallel()
	c, mt, _ := mockClient(t, houcaller.Config{})
	mt.RegisterResponder("POST", saleURL, httpmock.NewStringResponder(200, `{"code":500,"msg":"库存不足","data":{"list":[{"a":"}\"]"}]}}`))
	_, err := c.SellCard(context.Background(), exampleSale())
	var ce *couponkit.Error
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "500", ce.Code)
	assert.Equal(t, "库存不足", ce.Message)
	assert.False(t, transport.IsUnreadable(err))
	assert.NotErrorIs(t, err, couponkit.ErrUnknownOutcome)
}
