package taobaofilm_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/testclock"
	"github.com/couponkit/couponkit/taobaofilm"
)

func loadTMCVectors(t *testing.T) map[string]vector {
	t.Helper()
	b, err := os.ReadFile("testdata/tmc_vectors.json")
	require.NoError(t, err)
	var vs []vector
	require.NoError(t, json.Unmarshal(b, &vs))
	require.Len(t, vs, 3)
	out := map[string]vector{}
	for _, v := range vs {
		out[v.Name] = v
	}
	return out
}

// The three TMC calls on the wire: every parameter, the signature and the
// exact body bytes match vectors computed with Python (testdata/
// gen_tmc_vectors.py), one sign method each, the session with a space, '+'
// and '&'.
func TestTMCRequestVectors(t *testing.T) {
	t.Parallel()
	vs := loadTMCVectors(t)
	cases := []struct {
		vector string
		answer string
		call   func(c *taobaofilm.Client) error
	}{
		{"permit md5", `{"tmc_user_permit_response":{"is_success":true,"request_id":"r1"}}`, func(c *taobaofilm.Client) error {
			res, err := c.PermitUser(context.Background(), &taobaofilm.PermitUserRequest{Topics: []string{"taobao_trade_TradeCreate", "taobao_refund_RefundCreate"}})
			if err == nil {
				assert.Equal(t, []string{"taobao_trade_TradeCreate", "taobao_refund_RefundCreate"}, res.Topics)
				assert.Equal(t, "r1", res.Meta.RequestID)
			}
			return err
		}},
		{"consume hmac", `{"tmc_messages_consume_response":{"request_id":"r2"}}`, func(c *taobaofilm.Client) error {
			res, err := c.ConsumeMessages(context.Background(), &taobaofilm.ConsumeMessagesRequest{Group: "vip_user", Quantity: 100})
			if err == nil {
				assert.Empty(t, res.Messages)
			}
			return err
		}},
		{"confirm hmac-sha256", `{"tmc_messages_confirm_response":{"is_success":true,"request_id":"r3"}}`, func(c *taobaofilm.Client) error {
			res, err := c.ConfirmMessages(context.Background(), &taobaofilm.ConfirmMessagesRequest{Group: "vip_user", IDs: []int64{123456789, 7100000000001}})
			if err == nil {
				assert.Equal(t, []int64{123456789, 7100000000001}, res.IDs)
			}
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.vector, func(t *testing.T) {
			t.Parallel()
			v := vs[tc.vector]
			p := v.Params
			c, rec := mockClient(t, taobaofilm.Config{AppKey: p["app_key"], AppSecret: v.Secret, Session: p["session"],
				SignMethod: taobaofilm.SignMethod(p["sign_method"])}, testclock.New(vectorTime), answer{200, tc.answer})
			require.NoError(t, tc.call(c))
			require.Equal(t, 1, rec.count())
			assert.Equal(t, v.Body, string(rec.body(0)))
			got := rec.form(t, 0)
			assert.Equal(t, v.Sign, got.Get("sign"))
			got.Del("sign")
			want := url.Values{}
			for k, s := range p {
				want.Set(k, s)
			}
			assert.Equal(t, want, got)
		})
	}
}

// consumePage is the consume page's JSON example (TmcMessage's members with
// the page's example values), a second message with outgoing_time and its
// numbers as strings, wrapped as TOP wraps lists without simplify.
const consumePage = `{"tmc_messages_consume_response":{"messages":{"tmc_message":[` +
	`{"user_id":12345,"user_nick":"helloworld","content":"{\"tid\":2895732958732,\"seller_nick\":\"helloworld\"}",` +
	`"id":123456789,"pub_time":"2000-01-01 00:00:00","pub_app_key":"45671234","topic":"TradeCreate"},` +
	`{"user_id":"2206890150985","user_nick":"couponkit测试店","content":"{}","id":"7100000000002",` +
	`"pub_time":"2024-06-01 08:00:00","pub_app_key":"45671234","topic":"taobao_trade_TradeClose","outgoing_time":"2024-06-01 08:00:05"}` +
	`]},"request_id":"r-c"}}`

// The consume answer as the page prints it decodes member by member, times
// in Beijing time; the content is the page's JSON text.
func TestConsumeMessagesDecodesThePagesShape(t *testing.T) {
	t.Parallel()
	c, _ := mockClient(t, taobaofilm.Config{}, testclock.New(vectorTime), answer{200, consumePage})
	res, err := c.ConsumeMessages(context.Background(), &taobaofilm.ConsumeMessagesRequest{})
	require.NoError(t, err)
	require.Len(t, res.Messages, 2)
	m := res.Messages[0]
	assert.Equal(t, int64(123456789), m.ID)
	assert.Equal(t, "TradeCreate", m.Topic)
	assert.Equal(t, int64(12345), m.UserID)
	assert.Equal(t, "helloworld", m.UserNick)
	assert.Equal(t, "45671234", m.PubAppKey)
	assert.Equal(t, `{"tid":2895732958732,"seller_nick":"helloworld"}`, m.Content)
	assert.True(t, m.PubTime.Equal(time.Date(1999, 12, 31, 16, 0, 0, 0, time.UTC)), "pub_time is Beijing time: %v", m.PubTime)
	assert.True(t, m.OutgoingTime.IsZero())
	var content struct {
		TID        int64  `json:"tid"`
		SellerNick string `json:"seller_nick"`
	}
	require.NoError(t, m.DecodeContent(&content))
	assert.Equal(t, int64(2895732958732), content.TID)
	assert.Equal(t, "helloworld", content.SellerNick)

	m = res.Messages[1]
	assert.Equal(t, int64(7100000000002), m.ID)
	assert.Equal(t, int64(2206890150985), m.UserID)
	assert.Equal(t, "couponkit测试店", m.UserNick)
	assert.True(t, m.OutgoingTime.Equal(time.Date(2024, 6, 1, 0, 0, 5, 0, time.UTC)), "outgoing_time: %v", m.OutgoingTime)
	assert.Equal(t, "r-c", res.Meta.RequestID)
}

// With simplify=true the list is a plain array; an empty queue (no
// messages member) is an empty result, not a failure.
func TestConsumeMessagesSimplifiedAndEmpty(t *testing.T) {
	t.Parallel()
	c, rec := mockClient(t, taobaofilm.Config{Simplify: true}, testclock.New(vectorTime),
		answer{200, `{"messages":[{"id":5,"topic":"t","content":"{\"a\":1}","pub_time":"2024-06-01 08:00:00"}],"request_id":"r1"}`},
		answer{200, `{"request_id":"r2"}`})
	res, err := c.ConsumeMessages(context.Background(), &taobaofilm.ConsumeMessagesRequest{Quantity: 10})
	require.NoError(t, err)
	require.Len(t, res.Messages, 1)
	assert.Equal(t, int64(5), res.Messages[0].ID)
	assert.Equal(t, `{"a":1}`, res.Messages[0].Content)
	assert.Equal(t, "10", rec.form(t, 0).Get("quantity"))
	assert.False(t, rec.form(t, 0).Has("group_name"), "no group: the default group")

	res, err = c.ConsumeMessages(context.Background(), &taobaofilm.ConsumeMessagesRequest{})
	require.NoError(t, err)
	assert.Empty(t, res.Messages)
	assert.False(t, rec.form(t, 1).Has("quantity"), "no quantity: TOP's default")
	assert.Equal(t, 2, rec.count())
}

// The one rule of consume: a message without its id cannot be confirmed,
// so the answer is unreadable and the read is sent again.
func TestConsumeMessageWithoutIDIsRetried(t *testing.T) {
	t.Parallel()
	c, rec := mockClient(t, taobaofilm.Config{}, testclock.New(vectorTime),
		answer{200, `{"tmc_messages_consume_response":{"messages":{"tmc_message":[{"topic":"t","content":"{}"}]}}}`},
		answer{200, `{"tmc_messages_consume_response":{"messages":{"tmc_message":[{"id":9,"topic":"t","content":"{}"}]}}}`})
	res, err := c.ConsumeMessages(context.Background(), &taobaofilm.ConsumeMessagesRequest{})
	require.NoError(t, err)
	assert.Equal(t, 2, rec.count())
	assert.Equal(t, 2, res.Meta.Attempts)
	require.Len(t, res.Messages, 1)
	assert.Equal(t, int64(9), res.Messages[0].ID)
}

// is_success false is TOP's definite no: a *couponkit.Error with Code
// "is_success", sent once, not an unknown outcome; an error_response is a
// *couponkit.Error with TOP's code.
func TestPermitAndConfirmRefusals(t *testing.T) {
	t.Parallel()
	c, rec := mockClient(t, taobaofilm.Config{Session: "sess"}, testclock.New(vectorTime),
		answer{200, `{"tmc_user_permit_response":{"is_success":false,"request_id":"r1"}}`},
		answer{200, `{"error_response":{"code":15,"msg":"Remote service error","sub_code":"isv.invalid-parameter","sub_msg":"topic not subscribed","request_id":"r2"}}`},
		answer{200, `{"tmc_messages_confirm_response":{"is_success":"false"}}`})
	_, err := c.PermitUser(context.Background(), &taobaofilm.PermitUserRequest{})
	var ce *couponkit.Error
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "is_success", ce.Code)
	assert.Equal(t, couponkit.FaultClient, ce.Fault)
	assert.False(t, errors.Is(err, couponkit.ErrUnknownOutcome))
	assert.Equal(t, 1, rec.count())
	assert.False(t, rec.form(t, 0).Has("topics"), "no topics: every topic of the app")

	_, err = c.PermitUser(context.Background(), &taobaofilm.PermitUserRequest{Topics: []string{"x_y_Z"}})
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "15", ce.Code)
	assert.Equal(t, "isv.invalid-parameter", ce.SubCode)
	assert.Equal(t, couponkit.FaultClient, ce.Fault)
	assert.False(t, errors.Is(err, couponkit.ErrUnknownOutcome))
	assert.Equal(t, 2, rec.count())

	_, err = c.ConfirmMessages(context.Background(), &taobaofilm.ConfirmMessagesRequest{IDs: []int64{1}})
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "is_success", ce.Code)
	assert.False(t, errors.Is(err, couponkit.ErrUnknownOutcome))
	assert.Equal(t, 3, rec.count())
}

// An invalid request is a ValidationError naming the Go field, and nothing
// is sent.
func TestTMCValidationSendsNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	cases := []struct {
		field string
		call  func(c *taobaofilm.Client) error
	}{
		{"PermitUserRequest", func(c *taobaofilm.Client) error { _, err := c.PermitUser(ctx, nil); return err }},
		{"Topics", func(c *taobaofilm.Client) error {
			_, err := c.PermitUser(ctx, &taobaofilm.PermitUserRequest{Topics: []string{"a", ""}})
			return err
		}},
		{"Topics", func(c *taobaofilm.Client) error {
			_, err := c.PermitUser(ctx, &taobaofilm.PermitUserRequest{Topics: []string{"a,b"}})
			return err
		}},
		{"ConsumeMessagesRequest", func(c *taobaofilm.Client) error { _, err := c.ConsumeMessages(ctx, nil); return err }},
		{"Quantity", func(c *taobaofilm.Client) error {
			_, err := c.ConsumeMessages(ctx, &taobaofilm.ConsumeMessagesRequest{Quantity: 9})
			return err
		}},
		{"Quantity", func(c *taobaofilm.Client) error {
			_, err := c.ConsumeMessages(ctx, &taobaofilm.ConsumeMessagesRequest{Quantity: 201})
			return err
		}},
		{"Group", func(c *taobaofilm.Client) error {
			_, err := c.ConsumeMessages(ctx, &taobaofilm.ConsumeMessagesRequest{Group: "vip user"})
			return err
		}},
		{"ConfirmMessagesRequest", func(c *taobaofilm.Client) error { _, err := c.ConfirmMessages(ctx, nil); return err }},
		{"IDs", func(c *taobaofilm.Client) error {
			_, err := c.ConfirmMessages(ctx, &taobaofilm.ConfirmMessagesRequest{})
			return err
		}},
		{"IDs", func(c *taobaofilm.Client) error {
			_, err := c.ConfirmMessages(ctx, &taobaofilm.ConfirmMessagesRequest{IDs: []int64{1, 0}})
			return err
		}},
		{"IDs", func(c *taobaofilm.Client) error {
			_, err := c.ConfirmMessages(ctx, &taobaofilm.ConfirmMessagesRequest{IDs: make([]int64, 201)})
			return err
		}},
		{"HandleMessagesRequest", func(c *taobaofilm.Client) error {
			return c.HandleMessages(ctx, nil, func(context.Context, *taobaofilm.Message) error { return nil })
		}},
		{"fn", func(c *taobaofilm.Client) error {
			return c.HandleMessages(ctx, &taobaofilm.HandleMessagesRequest{}, nil)
		}},
		{"BatchSize", func(c *taobaofilm.Client) error {
			return c.HandleMessages(ctx, &taobaofilm.HandleMessagesRequest{BatchSize: 300}, func(context.Context, *taobaofilm.Message) error { return nil })
		}},
		{"PollInterval", func(c *taobaofilm.Client) error {
			return c.HandleMessages(ctx, &taobaofilm.HandleMessagesRequest{PollInterval: -time.Second}, func(context.Context, *taobaofilm.Message) error { return nil })
		}},
	}
	for _, tc := range cases {
		c, rec := mockClient(t, taobaofilm.Config{}, testclock.New(vectorTime))
		err := tc.call(c)
		var ve *couponkit.ValidationError
		require.ErrorAs(t, err, &ve, tc.field)
		assert.Equal(t, tc.field, ve.Field)
		assert.Zero(t, rec.count(), "%s: nothing sent", tc.field)
	}
}
