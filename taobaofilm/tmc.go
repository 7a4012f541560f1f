package taobaofilm

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/internal/wiretype"
)

// TOP's message service (TMC, 消息服务), pulled over HTTP: a user is
// permitted messages (taobao.tmc.user.permit), the app takes a batch of its
// queue's messages (taobao.tmc.messages.consume), and confirms each one it
// handled (taobao.tmc.messages.confirm). A message handed out and not
// confirmed comes back later: TMC redelivers it [likely: its pages and
// official clients say a message not confirmed is sent again; the delay is
// not published, open]. [Client.HandleMessages] is the loop over consume and
// confirm (tmc_loop.go).
const (
	// MethodPermitUser is the TOP method of [Client.PermitUser].
	MethodPermitUser = "taobao.tmc.user.permit"
	// MethodConsumeMessages is the TOP method of [Client.ConsumeMessages].
	MethodConsumeMessages = "taobao.tmc.messages.consume"
	// MethodConfirmMessages is the TOP method of [Client.ConfirmMessages].
	MethodConfirmMessages = "taobao.tmc.messages.confirm"
)

// Limits of the message calls, as their pages print them.
const (
	// MinConsumeQuantity and MaxConsumeQuantity bound
	// ConsumeMessagesRequest.Quantity (quantity: 最小值 10, 最大值 200; TOP's
	// default is 100).
	MinConsumeQuantity, MaxConsumeQuantity = 10, 200
	// DefaultConsumeQuantity is the quantity TOP hands out when none is
	// sent (默认值 100).
	DefaultConsumeQuantity = 100
	// MaxConfirmIDs is the most message ids one confirm carries
	// (s_message_ids: 最大 200个ID).
	MaxConfirmIDs = 200
)

// The classes of the message calls.
//
// permit sets the user's topics to the list sent: its page warns that the
// topics are replaced, not added to (topic覆盖更新, 务必传入全量topic), so the
// same request sent again leaves the same subscription. It is Keyed on its
// own topics (KeyName "topics", the list as sent; empty for the app's every
// topic): retried like a read, and an answer that may have been applied
// and cannot be read is an unknown outcome.
//
// consume is a read: the messages it hands out are in flight until they are
// confirmed or TMC hands them out again, so an answer lost on the way hands
// nothing to the caller and only delays those messages; sending it again
// takes the next ones.
//
// confirm is Keyed on its ids (s_message_ids): confirming a message that is
// confirmed leaves it confirmed, and a confirm that did not arrive lets the
// message come back, to be confirmed then. What TOP answers an id it no
// longer holds is not published [open]: a refusal after an attempt that may
// have been applied is therefore an unknown outcome reporting the ids.
var (
	opPermitUser = &transport.Op{Name: MethodPermitUser, Class: transport.Keyed, KeyName: "topics",
		Notes: "Needs the user's session. [known]: the topics replace the user's list (its page's note). [likely]: is_success is the answer's flag (the API's metadata as generated SDKs carry it)."}
	opConsumeMessages = &transport.Op{Name: MethodConsumeMessages, Class: transport.Safe,
		Notes: "[likely]: a message handed out and not confirmed is handed out again, after a delay TMC does not publish [open]; the Config's session, when set, is sent too and ignored (the page's example sends none). [open]: outgoing_time, which the stored page does not print, is read when present."}
	opConfirmMessages = &transport.Op{Name: MethodConfirmMessages, Class: transport.Keyed, KeyName: "s_message_ids",
		Notes: "[likely]: f_message_ids (failed ids) is deprecated (the API's metadata as generated SDKs carry it), so it is never sent. [open]: what TOP answers an id it no longer holds."}
)

var (
	_ = registry.Add(transport.Describe(Vendor, opPermitUser, (*Client).PermitUser, "permits the session's user TMC messages on the topics given, replacing the user's topics"))
	_ = registry.Add(transport.Describe(Vendor, opConsumeMessages, (*Client).ConsumeMessages, "takes a batch of a TMC group's messages, in flight until confirmed (HandleMessages loops over it)"))
	_ = registry.Add(transport.Describe(Vendor, opConfirmMessages, (*Client).ConfirmMessages, "confirms TMC messages handled, so that they are not handed out again"))
)

// PermitUserRequest permits the session's user TMC messages
// (taobao.tmc.user.permit, 为已授权的用户开通消息服务). The client must carry
// that user's session (Config.Session or Config.TokenSource).
type PermitUserRequest struct {
	// Topics are the topics the user gets (topics, joined by ','), such as
	// "taobao_trade_TradeCreate"; none gives the user every topic the app
	// subscribed to, which TOP's page advises. The list replaces the
	// user's: send all of them. Each is a topic name without ',' or spaces.
	Topics []string
}

// PermitUserResult is the answer of PermitUser.
type PermitUserResult struct {
	// Topics are the topics sent (none: every topic of the app).
	Topics []string
	// Meta describes the HTTP exchange.
	Meta couponkit.Meta `json:"-"`
}

// ConsumeMessagesRequest takes a batch of messages
// (taobao.tmc.messages.consume, 消费多条消息).
type ConsumeMessagesRequest struct {
	// Group is the user group (group_name); empty takes the default group.
	// TOP refuses a group the app has not set up.
	Group string
	// Quantity is the most messages handed out (quantity), from
	// MinConsumeQuantity to MaxConsumeQuantity; 0 leaves it to TOP
	// (DefaultConsumeQuantity).
	Quantity int
}

// Message is one TMC message (TmcMessage).
type Message struct {
	// ID is the message's id (id): what ConfirmMessages confirms.
	ID int64
	// Topic is the message's topic (topic), such as "taobao_trade_TradeCreate".
	Topic string
	// PubTime is when the message was published (pub_time, Beijing time).
	PubTime time.Time
	// PubAppKey is the app key of the publisher (pub_app_key).
	PubAppKey string
	// UserID and UserNick are the user the message belongs to (user_id,
	// user_nick).
	UserID   int64
	UserNick string
	// Content is the message's body as TOP sends it (content): JSON text
	// whose members the topic defines (see DecodeContent).
	Content string
	// OutgoingTime is when TMC handed the message out (outgoing_time), when
	// the answer carries it [open: the stored consume page does not print
	// it]; zero otherwise.
	OutgoingTime time.Time
}

// DecodeContent decodes the message's Content (JSON text) into v with
// encoding/json.
func (m *Message) DecodeContent(v any) error {
	return json.Unmarshal([]byte(m.Content), v)
}

// ConsumeMessagesResult is the answer of ConsumeMessages.
type ConsumeMessagesResult struct {
	// Messages are the messages handed out, none when the queue is empty.
	Messages []Message
	// Meta describes the HTTP exchange.
	Meta couponkit.Meta `json:"-"`
}

// ConfirmMessagesRequest confirms messages handled
// (taobao.tmc.messages.confirm, 确认消费消息的状态).
type ConfirmMessagesRequest struct {
	// Group is the user group the messages were taken from (group_name);
	// empty is the default group.
	Group string
	// IDs are the ids of the messages handled (s_message_ids, joined by
	// ','), 1 to MaxConfirmIDs of them, each > 0. They are the call's key.
	IDs []int64
}

// ConfirmMessagesResult is the answer of ConfirmMessages.
type ConfirmMessagesResult struct {
	// IDs are the ids confirmed.
	IDs []int64
	// Meta describes the HTTP exchange.
	Meta couponkit.Meta `json:"-"`
}

// PermitUser permits the user of the client's session TMC messages on
// req.Topics (taobao.tmc.user.permit), replacing the topics the user had.
// It is Keyed on the topics sent: retried on network failures, 5xx,
// throttling, isp.* errors and unreadable answers, and an answer that may
// have been applied and cannot be read ends as an error matching
// couponkit.ErrUnknownOutcome whose key is the topics; sending it again is
// harmless. An answer whose is_success is false is a *couponkit.Error with
// Code "is_success". An invalid request is a *couponkit.ValidationError
// naming the field, and nothing is sent.
func (c *Client) PermitUser(ctx context.Context, req *PermitUserRequest) (*PermitUserResult, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	topics := strings.Join(req.Topics, ",")
	var a flagAnswer
	meta, err := transport.Send(ctx, &c.typed, opPermitUser, topics, &permitParams{Topics: topics}, &a)
	if err != nil {
		return nil, err
	}
	return &PermitUserResult{Topics: append([]string(nil), req.Topics...), Meta: meta}, nil
}

// ConsumeMessages takes up to req.Quantity messages of the group's queue
// (taobao.tmc.messages.consume). The messages are then in flight: confirm
// each one handled with ConfirmMessages; TMC hands out again those left
// unconfirmed. It is a read (retried on network failures, 5xx, throttling,
// isp.* errors and unreadable answers, among them a message without its
// id): an answer lost on the way only delays its messages. An empty queue
// is an empty result. TOP asks callers to pause after an empty answer
// (HandleMessages waits its PollInterval).
func (c *Client) ConsumeMessages(ctx context.Context, req *ConsumeMessagesRequest) (*ConsumeMessagesResult, error) {
	return transport.Read(ctx, &c.typed, opConsumeMessages, req.validate, (*consumeParams)(req), (*consumeAnswer).result)
}

// ConfirmMessages confirms the messages req.IDs of the group
// (taobao.tmc.messages.confirm), so that TMC does not hand them out again.
// It is Keyed on the ids (s_message_ids, as sent): retried like a read, and
// an answer that may have been applied and cannot be read, or a refusal
// after such an answer, ends as an error matching
// couponkit.ErrUnknownOutcome whose key is the ids; a message whose
// confirm is lost comes back, and is confirmed then. Messages that failed
// are simply not confirmed: TOP marks f_message_ids deprecated, so none is
// sent. An answer whose is_success is false is a *couponkit.Error with Code
// "is_success". An invalid request is a *couponkit.ValidationError naming
// the field, and nothing is sent.
func (c *Client) ConfirmMessages(ctx context.Context, req *ConfirmMessagesRequest) (*ConfirmMessagesResult, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	ids := joinIDs(req.IDs)
	var a flagAnswer
	meta, err := transport.Send(ctx, &c.typed, opConfirmMessages, ids, &confirmParams{Group: req.Group, IDs: ids}, &a)
	if err != nil {
		return nil, err
	}
	return &ConfirmMessagesResult{IDs: append([]int64(nil), req.IDs...), Meta: meta}, nil
}

func (r *PermitUserRequest) validate() error {
	if r == nil {
		return couponkit.Invalid("PermitUserRequest", "is nil")
	}
	for i, t := range r.Topics {
		if t == "" || strings.ContainsAny(t, ", \t\r\n") {
			return couponkit.Invalid("Topics", "topic %d is empty or holds ',' or a space", i)
		}
	}
	return nil
}

func (r *ConsumeMessagesRequest) validate() error {
	switch {
	case r == nil:
		return couponkit.Invalid("ConsumeMessagesRequest", "is nil")
	case r.Quantity != 0 && (r.Quantity < MinConsumeQuantity || r.Quantity > MaxConsumeQuantity):
		return couponkit.Invalid("Quantity", "want 0 (TOP's default) or %d to %d, got %d", MinConsumeQuantity, MaxConsumeQuantity, r.Quantity)
	}
	return checkGroup(r.Group)
}

func (r *ConfirmMessagesRequest) validate() error {
	switch {
	case r == nil:
		return couponkit.Invalid("ConfirmMessagesRequest", "is nil")
	case len(r.IDs) == 0:
		return couponkit.Invalid("IDs", "is required")
	case len(r.IDs) > MaxConfirmIDs:
		return couponkit.Invalid("IDs", "holds %d ids, TOP takes at most %d", len(r.IDs), MaxConfirmIDs)
	}
	for i, id := range r.IDs {
		if id <= 0 {
			return couponkit.Invalid("IDs", "id %d is %d, want a message id > 0", i, id)
		}
	}
	return checkGroup(r.Group)
}

// checkGroup refuses a group name that cannot be a name.
func checkGroup(g string) error {
	if strings.ContainsAny(g, " \t\r\n") {
		return couponkit.Invalid("Group", "holds a space")
	}
	return nil
}

// joinIDs writes ids as s_message_ids: decimal, joined by ','.
func joinIDs(ids []int64) string {
	b := make([]byte, 0, 20*len(ids))
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(b)
}

// permitParams are permit's params; no topics sends none.
type permitParams struct {
	Topics string `json:"topics,omitempty"`
}

// consumeParams are consume's params, ConsumeMessagesRequest's fields with
// their wire names; an empty group and a zero quantity are left out.
type consumeParams struct {
	Group    string `json:"group_name,omitempty"`
	Quantity int    `json:"quantity,omitempty"`
}

// confirmParams are confirm's params: the group, and the ids handled.
type confirmParams struct {
	Group string `json:"group_name,omitempty"`
	IDs   string `json:"s_message_ids"`
}

// flagAnswer is the answer of permit and confirm: is_success.
type flagAnswer struct {
	IsSuccess *wiretype.Bool `json:"is_success"`
}

// Failure reports is_success false: TOP answered and did not do it.
func (a *flagAnswer) Failure() (code, message string, failed bool) {
	if a.IsSuccess != nil && !bool(*a.IsSuccess) {
		return "is_success", "TOP answered is_success false", true
	}
	return "", "", false
}

// Complete reports an answer without is_success: the flag is what the call
// returns.
func (a *flagAnswer) Complete() error {
	if a.IsSuccess == nil {
		return transport.Missing("is_success")
	}
	return nil
}

// consumeAnswer is consume's answer: messages, wrapped in
// {"tmc_message":[…]} without simplify, absent when the queue is empty.
type consumeAnswer struct {
	Messages topList[wireMessage] `json:"messages"`
}

// Complete reports a message without its id: it could not be confirmed.
func (a *consumeAnswer) Complete() error {
	for i := range a.Messages {
		if a.Messages[i].ID <= 0 {
			return transport.Missing("messages[" + strconv.Itoa(i) + "].id")
		}
	}
	return nil
}

// result is the answer as ConsumeMessages returns it.
func (a *consumeAnswer) result(meta couponkit.Meta) *ConsumeMessagesResult {
	msgs := make([]Message, len(a.Messages))
	for i := range a.Messages {
		msgs[i] = a.Messages[i].message()
	}
	return &ConsumeMessagesResult{Messages: msgs, Meta: meta}
}

// wireMessage is TmcMessage.
type wireMessage struct {
	ID           wiretype.Int  `json:"id"`
	Topic        wiretype.Text `json:"topic"`
	PubTime      wiretype.Time `json:"pub_time"`
	PubAppKey    wiretype.Text `json:"pub_app_key"`
	UserID       wiretype.Int  `json:"user_id"`
	UserNick     wiretype.Text `json:"user_nick"`
	Content      wiretype.Text `json:"content"`
	OutgoingTime wiretype.Time `json:"outgoing_time"`
}

func (w *wireMessage) message() Message {
	return Message{
		ID: int64(w.ID), Topic: string(w.Topic), PubTime: time.Time(w.PubTime), PubAppKey: string(w.PubAppKey),
		UserID: int64(w.UserID), UserNick: string(w.UserNick), Content: string(w.Content), OutgoingTime: time.Time(w.OutgoingTime),
	}
}
