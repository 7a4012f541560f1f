package taobaofilmtest_test

import (
	"context"
	"encoding/json"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/taobaofilm"
	"github.com/couponkit/couponkit/taobaofilm/taobaofilmtest"
)

var tmcStart = time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)

// tmcParams are a TMC request's common params at now, unsigned.
func tmcParams(now time.Time, method string, kv ...string) url.Values {
	v := url.Values{"method": {method}, "app_key": {taobaofilmtest.DefaultAppKey}, "session": {"sess-1"},
		"timestamp": {now.In(beijing).Format("2006-01-02 15:04:05")}, "v": {"2.0"}, "format": {"json"}, "sign_method": {"hmac-sha256"}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

// tmcServer starts a fake on a manual clock with a session, and a client of
// it.
func tmcServer(t *testing.T, cfg taobaofilmtest.Config) (*taobaofilmtest.Server, *taobaofilm.Client, *couponkittest.Clock) {
	t.Helper()
	clk := couponkittest.NewClock(tmcStart)
	cfg.Clock, cfg.Session = clk, "sess-1"
	srv := newServer(t, cfg)
	c, err := taobaofilm.NewClient(srv.ClientConfig(), srv.ClientOption(), couponkit.WithClock(clk))
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return srv, c, clk
}

// consume answers the page's shape: the list wrapped in tmc_message
// without simplify, a plain array with it, each message with the page's
// members; an empty queue has no messages member.
func TestConsumeAnswersThePagesShape(t *testing.T) {
	t.Parallel()
	srv, _, clk := tmcServer(t, taobaofilmtest.Config{})
	id := srv.Publish("", "t_A", `{"tid":1}`)
	m := post(t, srv, tmcParams(clk.Now(), taobaofilm.MethodConsumeMessages, "quantity", "10"), taobaofilmtest.DefaultAppSecret)
	resp := m["tmc_messages_consume_response"].(map[string]any)
	list := resp["messages"].(map[string]any)["tmc_message"].([]any)
	require.Len(t, list, 1)
	assert.Equal(t, map[string]any{"user_id": 2206890150985.0, "user_nick": taobaofilmtest.UserNick, "content": `{"tid":1}`, "id": float64(id),
		"pub_time": "2024-06-01 08:00:00", "pub_app_key": taobaofilmtest.MessagePubAppKey, "topic": "t_A"}, list[0])
	assert.NotEmpty(t, resp["request_id"])

	clk.Advance(taobaofilmtest.DefaultRedeliveryDelay)
	m = post(t, srv, tmcParams(clk.Now(), taobaofilm.MethodConsumeMessages, "simplify", "true"), taobaofilmtest.DefaultAppSecret)
	require.Len(t, m["messages"].([]any), 1, "handed out again, as a plain array")
	m = post(t, srv, tmcParams(clk.Now(), taobaofilm.MethodConsumeMessages), taobaofilmtest.DefaultAppSecret)
	assert.NotContains(t, m["tmc_messages_consume_response"].(map[string]any), "messages", "in flight: nothing to hand out")
}

// consume hands out at most quantity messages that are not in flight,
// oldest first; confirm removes what it names (an unknown id passes);
// what is not confirmed comes back after Config.RedeliveryDelay on the
// fake's clock, under its id.
func TestConsumeConfirmAndRedelivery(t *testing.T) {
	t.Parallel()
	srv, c, clk := tmcServer(t, taobaofilmtest.Config{RedeliveryDelay: time.Minute})
	ctx := context.Background()
	var want []int64
	for range 12 {
		want = append(want, srv.Publish("", "t", `{}`))
	}
	res, err := c.ConsumeMessages(ctx, &taobaofilm.ConsumeMessagesRequest{Quantity: 10})
	require.NoError(t, err)
	require.Len(t, res.Messages, 10)
	for i, m := range res.Messages {
		assert.Equal(t, want[i], m.ID)
	}
	res2, err := c.ConsumeMessages(ctx, &taobaofilm.ConsumeMessagesRequest{Quantity: 10})
	require.NoError(t, err)
	require.Len(t, res2.Messages, 2)
	assert.Equal(t, want[10], res2.Messages[0].ID)

	_, err = c.ConfirmMessages(ctx, &taobaofilm.ConfirmMessagesRequest{IDs: []int64{want[0], want[1], 999}})
	require.NoError(t, err)
	assert.Equal(t, []int64{want[0], want[1]}, srv.Confirmed(""))
	assert.Len(t, srv.Queue(""), 10)

	clk.Advance(time.Minute - time.Second)
	res, err = c.ConsumeMessages(ctx, &taobaofilm.ConsumeMessagesRequest{})
	require.NoError(t, err)
	assert.Empty(t, res.Messages, "still in flight")
	clk.Advance(time.Second)
	res, err = c.ConsumeMessages(ctx, &taobaofilm.ConsumeMessagesRequest{})
	require.NoError(t, err)
	require.Len(t, res.Messages, 10)
	assert.Equal(t, want[2], res.Messages[0].ID)
	for _, m := range srv.Queue("") {
		assert.Equal(t, 2, m.Deliveries)
	}
	_, err = c.ConfirmMessages(ctx, &taobaofilm.ConfirmMessagesRequest{IDs: []int64{want[0]}})
	require.NoError(t, err, "a confirm sent again passes")
}

// Refusals: permit without a session (26), a quantity outside 10..200 and
// a group the fake does not know (41), confirm without ids (40).
func TestTMCRefusals(t *testing.T) {
	t.Parallel()
	srv, _, clk := tmcServer(t, taobaofilmtest.Config{})
	// Without Config.Session the common checks pass without a session;
	// permit still needs one.
	open := newServer(t, taobaofilmtest.Config{})
	noSession := tmcParams(time.Now(), taobaofilm.MethodPermitUser)
	noSession.Del("session")
	assert.Equal(t, 26.0, errorCode(post(t, open, noSession, taobaofilmtest.DefaultAppSecret)))
	assert.Nil(t, errorCode(post(t, open, tmcParams(time.Now(), taobaofilm.MethodPermitUser), taobaofilmtest.DefaultAppSecret)))
	for _, q := range []string{"9", "201", "x"} {
		assert.Equal(t, 41.0, errorCode(post(t, srv, tmcParams(clk.Now(), taobaofilm.MethodConsumeMessages, "quantity", q), taobaofilmtest.DefaultAppSecret)), q)
	}
	assert.Equal(t, 41.0, errorCode(post(t, srv, tmcParams(clk.Now(), taobaofilm.MethodConsumeMessages, "group_name", "vip_user"), taobaofilmtest.DefaultAppSecret)))
	srv.Publish("vip_user", "t", `{}`)
	m := post(t, srv, tmcParams(clk.Now(), taobaofilm.MethodConsumeMessages, "group_name", "vip_user"), taobaofilmtest.DefaultAppSecret)
	assert.Nil(t, errorCode(m), "a group published to exists")
	assert.Equal(t, 40.0, errorCode(post(t, srv, tmcParams(clk.Now(), taobaofilm.MethodConfirmMessages), taobaofilmtest.DefaultAppSecret)))
	assert.Equal(t, 41.0, errorCode(post(t, srv, tmcParams(clk.Now(), taobaofilm.MethodConfirmMessages, "s_message_ids", "1,x"), taobaofilmtest.DefaultAppSecret)))
}

// The fake produces messages of its own once its user is permitted: one
// per issue call (the codes issued in its content) and one per Redeem, in
// Config.MessageGroup; the topics permitted filter them, and a permit
// replaces the topics.
func TestProducedMessages(t *testing.T) {
	t.Parallel()
	srv, c, clk := tmcServer(t, taobaofilmtest.Config{MessageGroup: "film"})
	ctx := context.Background()
	send := func(order string) *taobaofilm.SendResult {
		res, err := c.SendCodes(ctx, &taobaofilm.SendCodesRequest{MixID: taobaofilmtest.DefaultMixID, PartnerCode: taobaofilmtest.DefaultPartnerCode, ExtOrderID: order, Number: 2})
		require.NoError(t, err)
		return res
	}
	send("O-1")
	require.NoError(t, srv.Redeem(taobaofilmtest.DefaultMixID, 1, clk.Now()))
	assert.Empty(t, srv.Queue("film"), "not permitted: no message")
	_, ok := srv.PermittedTopics(taobaofilmtest.UserID)
	assert.False(t, ok)

	_, err := c.PermitUser(ctx, &taobaofilm.PermitUserRequest{})
	require.NoError(t, err)
	topics, ok := srv.PermittedTopics(taobaofilmtest.UserID)
	assert.True(t, ok)
	assert.Nil(t, topics, "every topic")
	sent := send("O-2")
	send("O-2") // replayed: nothing issued, no message
	_, err = c.MerchantSendCodes(ctx, &taobaofilm.MerchantSendRequest{ActivityID: 1, ProductMixID: taobaofilmtest.DefaultMixID, PartnerCode: taobaofilmtest.DefaultPartnerCode, ExtOrderID: "M-1", Number: 1})
	require.NoError(t, err)
	code1, _ := srv.CodeAt(taobaofilmtest.DefaultMixID, 1)
	require.NoError(t, srv.Redeem(taobaofilmtest.DefaultMixID, 1, time.Date(2024, 6, 1, 10, 0, 0, 0, beijing)))

	q := srv.Queue("film")
	require.Len(t, q, 3)
	assert.Equal(t, taobaofilmtest.TopicCodesSent, q[0].Topic)
	var cs taobaofilmtest.CodesSentContent
	require.NoError(t, json.Unmarshal([]byte(q[0].Content), &cs))
	assert.Equal(t, taobaofilmtest.CodesSentContent{Method: taobaofilm.MethodSendCodes, ExtOrderID: "O-2", MixID: taobaofilmtest.DefaultMixID,
		Codes: []string{sent.Codes[0].Code, sent.Codes[1].Code}}, cs)
	require.NoError(t, json.Unmarshal([]byte(q[1].Content), &cs))
	assert.Equal(t, taobaofilm.MethodMerchantSend, cs.Method)
	assert.Equal(t, "M-1", cs.ExtOrderID)
	assert.Len(t, cs.Codes, 1)
	assert.Equal(t, taobaofilmtest.TopicCodeRedeemed, q[2].Topic)
	var cr taobaofilmtest.CodeRedeemedContent
	require.NoError(t, json.Unmarshal([]byte(q[2].Content), &cr))
	assert.Equal(t, taobaofilmtest.CodeRedeemedContent{MixID: taobaofilmtest.DefaultMixID, Code: code1, RedeemedAt: "2024-06-01 10:00:00"}, cr)

	res, err := c.ConsumeMessages(ctx, &taobaofilm.ConsumeMessagesRequest{Group: "film"})
	require.NoError(t, err)
	require.Len(t, res.Messages, 3)
	assert.Equal(t, int64(2206890150985), res.Messages[0].UserID)
	assert.Equal(t, taobaofilmtest.UserNick, res.Messages[0].UserNick)

	_, err = c.PermitUser(ctx, &taobaofilm.PermitUserRequest{Topics: []string{taobaofilmtest.TopicCodeRedeemed}})
	require.NoError(t, err)
	topics, _ = srv.PermittedTopics(taobaofilmtest.UserID)
	assert.Equal(t, []string{taobaofilmtest.TopicCodeRedeemed}, topics)
	send("O-3")
	require.NoError(t, srv.Redeem(taobaofilmtest.DefaultMixID, 2, clk.Now()))
	q = srv.Queue("film")
	require.Len(t, q, 4)
	assert.Equal(t, taobaofilmtest.TopicCodeRedeemed, q[3].Topic, "only the topic permitted")
}
