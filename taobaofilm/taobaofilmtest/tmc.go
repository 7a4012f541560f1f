package taobaofilmtest

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/fakekit"
	"github.com/couponkit/couponkit/taobaofilm"
)

// TMC, the message service: the fake keeps a queue of messages per group
// for its one app. It produces messages of its own when it issues codes
// (both issue methods) and when Redeem marks a code redeemed, for its user
// (UserID), once that user is permitted the topic with
// taobao.tmc.user.permit; Publish adds any message. consume
// (taobao.tmc.messages.consume) hands out up to quantity messages that are
// not in flight, oldest first, and puts them in flight for
// Config.RedeliveryDelay on the fake's clock; confirm
// (taobao.tmc.messages.confirm) removes the ids it names; a message left
// unconfirmed is handed out again, under its id, once its delay has passed.
// TOP publishes no film-code topic [open]: the topics are the fake's own.

// The topics of the messages the fake produces. They are the fake's own
// names, not TOP's.
const (
	// TopicCodesSent is produced when an issue method issued codes; its
	// content is CodesSentContent.
	TopicCodesSent = "taobaofilmtest_CodesSent"
	// TopicCodeRedeemed is produced when Redeem marks a code redeemed; its
	// content is CodeRedeemedContent.
	TopicCodeRedeemed = "taobaofilmtest_CodeRedeemed"
)

// Defaults of the message service.
const (
	// DefaultMessageGroup is the group consume and confirm use without
	// group_name, and where the fake's own messages go unless
	// Config.MessageGroup says otherwise.
	DefaultMessageGroup = "default"
	// DefaultRedeliveryDelay is how long a message handed out stays in
	// flight before it is handed out again. TMC publishes no delay [open]:
	// this one is the fake's choice.
	DefaultRedeliveryDelay = 5 * time.Minute
	// MessagePubAppKey is the pub_app_key of the fake's messages, the
	// consume page's example.
	MessagePubAppKey = "45671234"
)

// CodesSentContent is the content (JSON) of a TopicCodesSent message.
type CodesSentContent struct {
	// Method is the issue method ("taobao.film.lottery.sendcode" or
	// "taobao.film.fcode.merchant.send").
	Method string `json:"method"`
	// ExtOrderID is the request's ext_order_id.
	ExtOrderID string `json:"ext_order_id"`
	// MixID is the batch the codes were added to.
	MixID string `json:"mix_id"`
	// Codes are the codes issued.
	Codes []string `json:"codes"`
}

// CodeRedeemedContent is the content (JSON) of a TopicCodeRedeemed message.
type CodeRedeemedContent struct {
	// MixID is the code's batch.
	MixID string `json:"mix_id"`
	// Code is the code redeemed.
	Code string `json:"code"`
	// RedeemedAt is when, as "yyyy-MM-dd HH:mm:ss" in Beijing time.
	RedeemedAt string `json:"redeemed_at"`
}

// QueuedMessage is a message the fake holds, as Queue reports it.
type QueuedMessage struct {
	// ID is the message's id.
	ID int64
	// Topic and Content are the message's topic and content.
	Topic, Content string
	// PubTime is when the message was published, on the fake's clock.
	PubTime time.Time
	// Deliveries counts the times consume handed it out.
	Deliveries int
	// InFlightUntil is when it is handed out again, when it is in flight;
	// zero when it was never handed out.
	InFlightUntil time.Time
}

// tmcState is the fake's message service.
type tmcState struct {
	mu        sync.Mutex
	lastID    int64
	groups    map[string][]*QueuedMessage // queued messages by group, in id order
	confirmed map[string][]int64          // confirmed ids by group, in order
	permits   map[string][]string         // user id → topics (nil: every topic)
}

// tmcRoutes are the routes of the message methods.
func tmcRoutes(Config) []fakekit.Route[handler] {
	return []fakekit.Route[handler]{
		{API: taobaofilm.MethodPermitUser, Handler: (*Server).permit},
		{API: taobaofilm.MethodConsumeMessages, Handler: (*Server).consume},
		{API: taobaofilm.MethodConfirmMessages, Handler: (*Server).confirm},
	}
}

var _ = areas.Add(tmcRoutes)

// Publish adds a message of topic with content (JSON text) to group
// (empty: DefaultMessageGroup), for the fake's user, whatever the user was
// permitted, and returns its id.
func (s *Server) Publish(group, topic, content string) int64 {
	return s.publish(group, topic, content, s.Clock().Now())
}

// Queue returns the messages of group (empty: DefaultMessageGroup) not
// confirmed yet, in id order.
func (s *Server) Queue(group string) []QueuedMessage {
	t := &s.tmc
	t.mu.Lock()
	defer t.mu.Unlock()
	q := t.groups[groupOr(group)]
	out := make([]QueuedMessage, len(q))
	for i, m := range q {
		out[i] = *m
	}
	return out
}

// Confirmed returns the ids confirm removed from group (empty:
// DefaultMessageGroup), in the order confirmed.
func (s *Server) Confirmed(group string) []int64 {
	t := &s.tmc
	t.mu.Lock()
	defer t.mu.Unlock()
	return slices.Clone(t.confirmed[groupOr(group)])
}

// PermittedTopics returns the topics the user userID was permitted (nil:
// every topic), and whether the user was permitted at all. Every session
// the fake accepts is UserID's.
func (s *Server) PermittedTopics(userID string) ([]string, bool) {
	t := &s.tmc
	t.mu.Lock()
	defer t.mu.Unlock()
	topics, ok := t.permits[userID]
	return slices.Clone(topics), ok
}

func groupOr(g string) string {
	if g == "" {
		return DefaultMessageGroup
	}
	return g
}

// publish queues a message at now and returns its id.
func (s *Server) publish(group, topic, content string, now time.Time) int64 {
	t := &s.tmc
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.groups == nil {
		t.groups = map[string][]*QueuedMessage{}
	}
	t.lastID++
	id := 7_100_000_000_000 + t.lastID
	g := groupOr(group)
	t.groups[g] = append(t.groups[g], &QueuedMessage{ID: id, Topic: topic, Content: content, PubTime: now})
	return id
}

// produce queues one of the fake's own messages in its group when the
// fake's user is permitted topic. content is encoded as JSON.
func (s *Server) produce(topic string, content any, now time.Time) {
	s.tmc.mu.Lock()
	topics, ok := s.tmc.permits[UserID]
	s.tmc.mu.Unlock()
	if !ok || (topics != nil && !slices.Contains(topics, topic)) {
		return
	}
	text, _ := json.Marshal(content)
	s.publish(s.cfg.MessageGroup, topic, string(text), now)
}

// codesSent produces a TopicCodesSent message for codes issued by method.
func (s *Server) codesSent(method, extOrderID, mixID string, codes []map[string]any, now time.Time) {
	c := CodesSentContent{Method: method, ExtOrderID: extOrderID, MixID: mixID, Codes: make([]string, len(codes))}
	for i, code := range codes {
		c.Codes[i], _ = code["code"].(string)
	}
	s.produce(TopicCodesSent, c, now)
}

// permit answers taobao.tmc.user.permit: the session's user (every
// session the fake accepts is UserID's) gets the topics sent, replacing
// the ones it had; none is every topic. Without a session it is code 26.
func (s *Server) permit(w http.ResponseWriter, q *request) {
	if q.params.Get("session") == "" {
		s.writeError(w, Error{Code: 26, Message: "Missing Session"})
		return
	}
	var topics []string
	if v := q.params.Get("topics"); v != "" {
		topics = strings.Split(v, ",")
		if slices.Contains(topics, "") {
			s.writeError(w, Error{Code: 41, Message: "Invalid Arguments", SubCode: "isv.invalid-parameter", SubMessage: "topics"})
			return
		}
	}
	t := &s.tmc
	t.mu.Lock()
	if t.permits == nil {
		t.permits = map[string][]string{}
	}
	t.permits[UserID] = topics
	t.mu.Unlock()
	s.writeResult(w, q.method, q.simplify, map[string]any{"is_success": true})
}

// tmcGroup reads group_name and checks that the group exists: the default
// group, Config.MessageGroup, or one Publish queued into. Another is code
// 41, the fake's choice (TOP's page only says a group the app has not set
// up is refused). t.mu is held.
func (s *Server) tmcGroup(q *request) (string, *Error) {
	g := groupOr(q.params.Get("group_name"))
	if _, ok := s.tmc.groups[g]; ok || g == DefaultMessageGroup || g == groupOr(s.cfg.MessageGroup) {
		return g, nil
	}
	return "", &Error{Code: 41, Message: "Invalid Arguments", SubCode: "isv.invalid-parameter", SubMessage: "group_name: no such group " + g}
}

// wireTMCMessage is TmcMessage as the consume page prints it.
type wireTMCMessage struct {
	UserID    int64  `json:"user_id"`
	UserNick  string `json:"user_nick"`
	Content   string `json:"content"`
	ID        int64  `json:"id"`
	PubTime   string `json:"pub_time"`
	PubAppKey string `json:"pub_app_key"`
	Topic     string `json:"topic"`
}

// consume answers taobao.tmc.messages.consume: up to quantity (10 to 200,
// default 100; another is code 41) messages of the group that are not in
// flight, oldest first, each put in flight for Config.RedeliveryDelay.
// The list is wrapped in {"tmc_message":[…]} unless simplify; an empty
// queue answers no messages member.
func (s *Server) consume(w http.ResponseWriter, q *request) {
	quantity := taobaofilm.DefaultConsumeQuantity
	if v := q.params.Get("quantity"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < taobaofilm.MinConsumeQuantity || n > taobaofilm.MaxConsumeQuantity {
			s.writeError(w, Error{Code: 41, Message: "Invalid Arguments", SubCode: "isv.invalid-parameter", SubMessage: "quantity"})
			return
		}
		quantity = n
	}
	now := s.Clock().Now()
	delay := s.cfg.RedeliveryDelay
	if delay <= 0 {
		delay = DefaultRedeliveryDelay
	}
	uid, _ := strconv.ParseInt(UserID, 10, 64)
	t := &s.tmc
	t.mu.Lock()
	g, refused := s.tmcGroup(q)
	if refused != nil {
		t.mu.Unlock()
		s.writeError(w, *refused)
		return
	}
	var out []wireTMCMessage
	for _, m := range t.groups[g] {
		if len(out) == quantity {
			break
		}
		if !m.InFlightUntil.IsZero() && now.Before(m.InFlightUntil) {
			continue
		}
		m.Deliveries++
		m.InFlightUntil = now.Add(delay)
		out = append(out, wireTMCMessage{UserID: uid, UserNick: UserNick, Content: m.Content, ID: m.ID,
			PubTime: cntime.Format(m.PubTime), PubAppKey: MessagePubAppKey, Topic: m.Topic})
	}
	t.mu.Unlock()
	res := map[string]any{}
	if len(out) > 0 {
		var list any = out
		if !q.simplify {
			list = map[string]any{"tmc_message": out}
		}
		res["messages"] = list
	}
	s.writeResult(w, q.method, q.simplify, res)
}

// confirm answers taobao.tmc.messages.confirm: the messages of the group
// named by s_message_ids (at most 200) are removed; an id the group does
// not hold is passed over, as a confirm sent twice must be [open: TOP does
// not say]. f_message_ids, which TOP marks deprecated, is ignored.
func (s *Server) confirm(w http.ResponseWriter, q *request) {
	raw := q.params.Get("s_message_ids")
	if raw == "" {
		s.writeError(w, Error{Code: 40, Message: "Missing required arguments:s_message_ids", SubCode: "isv.missing-parameter", SubMessage: "s_message_ids"})
		return
	}
	parts := strings.Split(raw, ",")
	ids := make([]int64, len(parts))
	for i, p := range parts {
		id, err := strconv.ParseInt(p, 10, 64)
		if err != nil || len(parts) > taobaofilm.MaxConfirmIDs {
			s.writeError(w, Error{Code: 41, Message: "Invalid Arguments", SubCode: "isv.invalid-parameter", SubMessage: "s_message_ids"})
			return
		}
		ids[i] = id
	}
	t := &s.tmc
	t.mu.Lock()
	g, refused := s.tmcGroup(q)
	if refused != nil {
		t.mu.Unlock()
		s.writeError(w, *refused)
		return
	}
	if t.confirmed == nil {
		t.confirmed = map[string][]int64{}
	}
	if t.groups == nil {
		t.groups = map[string][]*QueuedMessage{}
	}
	t.groups[g] = slices.DeleteFunc(t.groups[g], func(m *QueuedMessage) bool {
		if slices.Contains(ids, m.ID) {
			t.confirmed[g] = append(t.confirmed[g], m.ID)
			return true
		}
		return false
	})
	t.mu.Unlock()
	s.writeResult(w, q.method, q.simplify, map[string]any{"is_success": true})
}
