package ebuy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/couponkit/couponkit/ebuy/internal/wire"
)

// ErrNotificationSignature is matched (errors.Is) by the error of a
// notification whose sign is missing or does not match.
var ErrNotificationSignature = errors.New("ebuy: notification signature missing or wrong")

// ErrNotificationUnsigned is matched by the error of a notification that
// carries no sign where one is required. It also matches
// ErrNotificationSignature.
var ErrNotificationUnsigned = fmt.Errorf("%w: no sign", ErrNotificationSignature)

// ErrNotificationMalformed is matched by the error of a notification body that
// is not an e-Buy notification of the expected shape.
var ErrNotificationMalformed = errors.New("ebuy: notification is not an e-Buy envelope")

// EventKind is what a notification reports.
type EventKind string

// Event kinds.
const (
	// EventVerify: codes were redeemed (verifyCodeNotify, 核销通知).
	EventVerify EventKind = "verify"
	// EventVerifyVoid: redemptions were cancelled (verifyVoidNotify, 核销撤销通知).
	EventVerifyVoid EventKind = "verifyVoid"
	// EventCodeStatus: codes changed status (券码状态变更通知, UpdateCodeStatusNotify).
	EventCodeStatus EventKind = "codeStatus"
	// EventMake: codes were made for an order (制码通知, makeNotify, page
	// a516a): Event.Make holds the order, its lines and their codes.
	EventMake EventKind = "make"
	// EventUnknown: a notification of another kind; see Event.Action and Raw.
	EventUnknown EventKind = "unknown"
)

// Event is an e-Buy notification: signed (its sign verified) or, when Signed
// is false, unauthenticated.
type Event struct {
	// Kind is what the notification reports: from its action; without one
	// naming a kind, from items with codeDetails (a make), from the fields
	// only a void or only a status change carries (the flat layout), then
	// from its channels' action and notifyType (see ReadNotification).
	Kind EventKind
	// Action is the envelope's action as sent.
	Action string
	// AppID is the envelope's appId.
	AppID string
	// UUID is the notification's uuid. e-Buy resends a notification until it
	// is acknowledged: use UUID to handle each one once.
	UUID string
	// Timestamp is the envelope's timestamp (or, in the flat layout without
	// one, its createDate), Beijing time; zero when a flat notification
	// carries neither, as the status-change page (6ea9a) and the void page's
	// revision 4837 (31fef-pMS, verifyScene in place of createDate) print
	// it. See WithReplayWindow for the time the replay window then checks.
	Timestamp time.Time
	// CreatedAt is when e-Buy created the notification (createDate, beside
	// the items or in notifyParam), if sent.
	CreatedAt time.Time
	// OperationType is the notification-level operationType (status changes).
	OperationType string
	// VerifyScene is the redemption scene (verifyScene), if sent.
	VerifyScene string
	// Channels are the channels notified (channelInfoList).
	Channels []NotifyChannel
	// Items are the codes concerned (items), one per code. In a make
	// notification (EventMake), whose items are the order's lines, they are
	// the codes made, each with its line's batch and the order; the lines
	// themselves are in Make.
	Items []NotifyItem
	// Make is the order of a make notification (EventMake), with its lines
	// and every field page a516a prints for them; nil for any other kind.
	Make *MakeNotice
	// Raw is the whole body as received.
	Raw []byte
	// Signed reports whether the notification carried a sign (which then
	// verified). Only ReadNotification with AllowUnsigned returns an
	// unsigned event; one reaches a NewNotifyHandler function only under
	// ConfirmUnsigned (then Confirmed is true) or AcceptUnsigned().
	Signed bool
	// Confirmed reports that each item was checked against the code's
	// history on e-Buy before the event was delivered (ConfirmUnsigned).
	Confirmed bool
}

// NotifyChannel is one entry of channelInfoList: a channel e-Buy notifies.
type NotifyChannel struct {
	// Action is the channel's notification action, such as VerifyCodeNotify.
	Action string `json:"action"`
	// ChannelAppID is the channel's appId at e-Buy.
	ChannelAppID string `json:"channelAppId"`
	// ChannelID is e-Buy's id of the channel.
	ChannelID string `json:"channelId"`
	// ChannelName is the channel's display name.
	ChannelName string `json:"channelName"`
	// ChannelType is saleChannel, brandChannel, ….
	ChannelType string `json:"channelType"`
	// MessageType is the message format: ebuy (e-Buy's own) or third.
	MessageType string `json:"messageType"`
	// NotifyType is the kind of notification, such as Verify or UpdateCodeStatus.
	NotifyType string `json:"notifyType"`
	// TicketIDs are the batches concerned.
	TicketIDs []TicketID `json:"ticketIds"`
	// TransferURL is the channel's own address, if any.
	TransferURL string `json:"transferUrl"`
}

// NotifyItem is one code in a notification. Which fields are set depends on
// the kind: redemptions carry VerifyDate, status changes OperationType and
// UpdateTime.
type NotifyItem struct {
	// Code is the code.
	Code string
	// TicketID is the code's batch (ticketId).
	TicketID TicketID
	// TicketName is the batch's name (ticketName).
	TicketName string
	// BrandTicketID is the brand's own id of the batch (brandTicketId),
	// as text: e-Buy does not say it is numeric.
	BrandTicketID string
	// OuterOrderID and OuterOrderItemID are the order the code was made for.
	OuterOrderID, OuterOrderItemID string
	// OriginalRequestID is the uuid of the redeeming request (originalRequestId).
	OriginalRequestID string
	// NotifyRequestID is the uuid of the request behind the notification (notifyRequestId).
	NotifyRequestID string
	// VerifyID is e-Buy's redemption id (verifyId).
	VerifyID string
	// CodeCount is how many uses were redeemed (codeCount).
	CodeCount int
	// VerifyDate is when the code was redeemed (verifyDate, epoch ms), Beijing time.
	VerifyDate time.Time
	// OperationType is the status change (operationType), such as freeze.
	OperationType string
	// UpdateTime is when the status changed (updateTime, or updateDate), Beijing time.
	UpdateTime time.Time
	// SaleChannelID, SaleChannelOrderID and SaleChannelItemID are the sales
	// channel and its order.
	SaleChannelID, SaleChannelOrderID, SaleChannelItemID string
	// CashierTransNo is the till transaction of a redemption, if sent.
	CashierTransNo string
	// BrandID is the brand, if sent.
	BrandID string
	// Store is the shop of a redemption, if sent.
	Store *StoreInfo
}

// notifyPayload is the object that holds a notification's items: the body
// (flat layout), its content, or each notifyParam.
type notifyPayload struct {
	ChannelInfoList []NotifyChannel  `json:"channelInfoList"`
	Items           []wireNotifyItem `json:"items"`
	NotifyParam     json.RawMessage  `json:"notifyParam"`
	OperationType   string           `json:"operationType"`
	CreateDate      wireTime         `json:"createDate"`
	VerifyScene     string           `json:"verifyScene"`
}

type wireNotifyItem struct {
	Code               string     `json:"code"`
	TicketID           TicketID   `json:"ticketId"`
	TicketName         string     `json:"ticketName"`
	BrandTicketID      string     `json:"brandTicketId"`
	OuterOrderID       string     `json:"outerOrderId"`
	OuterOrderItemID   string     `json:"outerOrderItemId"`
	OriginalRequestID  string     `json:"originalRequestId"`
	NotifyRequestID    string     `json:"notifyRequestId"`
	VerifyID           string     `json:"verifyId"`
	CodeCount          count      `json:"codeCount"`
	VerifyDate         wireTime   `json:"verifyDate"`
	OperationType      string     `json:"operationType"`
	UpdateTime         wireTime   `json:"updateTime"`
	UpdateDate         wireTime   `json:"updateDate"`
	SaleChannelID      string     `json:"saleChannelId"`
	SaleChannelOrderID string     `json:"saleChannelOrderId"`
	SaleChannelItemID  string     `json:"saleChannelItemId"`
	CashierTransNo     string     `json:"cashierTransNo"`
	BrandID            jsonString `json:"brandId"`
	StoreInfo          *StoreInfo `json:"storeInfo"`
	// CodeDetails, kept raw, tells a make notification's lines (see
	// notifyKind); they are read when the kind is known (readMakeNotice).
	CodeDetails json.RawMessage `json:"codeDetails"`
}

// jsonString is a string e-Buy may send as a number (brandId).
type jsonString string

func (s *jsonString) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var v string
		err := json.Unmarshal(b, &v)
		*s = jsonString(v)
		return err
	}
	if string(b) == "null" {
		*s = ""
		return nil
	}
	*s = jsonString(b)
	return nil
}

// ReadNotificationOption configures ReadNotification.
type ReadNotificationOption func(*readNotificationOptions)

type readNotificationOptions struct {
	allowUnsigned bool
}

// AllowUnsigned makes ReadNotification return a notification that carries
// no sign (or an empty or null one) instead of refusing it: the event comes
// back with Event.Signed false, nothing vouches for it, and the caller
// decides whether to trust it. A sign that is present is still verified,
// and a wrong one still refused. NewNotifyHandler reads this way, then
// applies its WithUnsigned policy.
func AllowUnsigned() ReadNotificationOption {
	return func(o *readNotificationOptions) { o.allowUnsigned = true }
}

// VerifyNotificationSign reports whether body is a signed e-Buy notification
// whose sign verifies under secret, without returning the event: nil, or an
// error matching ErrNotificationSignature (a body without a sign matches
// ErrNotificationUnsigned too) or ErrNotificationMalformed. It runs every
// check of ReadNotification without AllowUnsigned, the shape before the
// sign (see there), so nil means ReadNotification returns the event. The
// sign is computed by the same rule as an answer's: every top-level field
// but sign, content as its raw text.
func VerifyNotificationSign(body []byte, secret string) error {
	_, err := ReadNotification(body, secret)
	return err
}

// ReadNotification checks a notification body and returns its event. By
// default the notification must be signed, and its sign must verify under
// secret: a body without a sign is refused with an error matching
// ErrNotificationUnsigned (and ErrNotificationSignature), and every event
// returned has Signed true. With AllowUnsigned, an unsigned body is read too,
// with Event.Signed false, and the caller decides whether to trust it.
//
// Every layout e-Buy's pages print is read:
//   - an envelope (action, appId, uuid, timestamp, content, and sign when
//     signed) whose content holds channelInfoList and items, or
//     notifyParam (an object or an array of objects) holding the items
//     (the make notification's, page a516a, also holds its order:
//     outerOrderId, orderRemark, … and items that are the order's lines,
//     each with its codeDetails; see Event.Make);
//   - the flat layout: channelInfoList, appId, uuid and items at the top
//     level, with createDate (void page 31fef-pMS), verifyScene in its place
//     (the same page's revision 4837), or operationType and no time at all
//     (status-change page 6ea9a); and action, timestamp, signType and sign
//     when signed.
//
// The kind of a notification without an action naming one is read from the
// fields only one page prints, before its channels: the void page prints
// the redemption's VerifyCodeNotify in its channelInfoList (see Event.Kind).
//
// The shape is checked before the sign is trusted, because e-Buy's sign
// joins k=v pairs with '&' unescaped: a captured notification rewritten with
// "timestamp":"<ms>&uuid=<uuid>" and no uuid field signs the same text. So:
// a non-empty uuid string; a numeric timestamp (a JSON integer or a string
// of digits) in an envelope; in the flat layout, printed without one, a
// timestamp or createDate only if numeric, and channelInfoList or items
// when it carries neither; content an object, channelInfoList and items
// arrays; no '&' or '=' in a top-level key or string value. A body that
// fails these is refused with ErrNotificationMalformed whatever its sign.
//
// A body with a sign that does not verify is refused with
// ErrNotificationSignature, with or without AllowUnsigned. A body whose sign
// is missing, empty or null is unsigned.
func ReadNotification(body []byte, secret string, opts ...ReadNotificationOption) (*Event, error) {
	var o readNotificationOptions
	for _, f := range opts {
		f(&o)
	}
	fields, err := wire.Fields(body)
	if err != nil {
		return nil, errors.Join(ErrNotificationMalformed, err)
	}
	ts, err := checkNotifyShape(fields)
	if err != nil {
		return nil, errors.Join(ErrNotificationMalformed, err)
	}
	ok, signed := wire.Verify(fields, secret)
	if signed && !ok {
		return nil, ErrNotificationSignature
	}
	if !signed && !o.allowUnsigned {
		return nil, ErrNotificationUnsigned
	}
	src := body
	if c := wire.Get(fields, "content"); len(c) > 0 && c[0] == '{' {
		src = c
	}
	var p notifyPayload
	if err := json.Unmarshal(src, &p); err != nil {
		return nil, errors.Join(ErrNotificationMalformed, err)
	}
	payloads := []notifyPayload{p}
	if len(p.Items) == 0 && len(p.NotifyParam) > 0 && string(p.NotifyParam) != "null" {
		if payloads, err = objects[notifyPayload](p.NotifyParam); err != nil {
			return nil, errors.Join(ErrNotificationMalformed, err)
		}
	}
	var items []wireNotifyItem
	created := time.Time(p.CreateDate)
	for _, q := range payloads {
		items = append(items, q.Items...)
		if created.IsZero() {
			created = time.Time(q.CreateDate)
		}
	}
	ev := &Event{
		Action: wire.String(fields, "action"), AppID: wire.String(fields, "appId"), UUID: wire.String(fields, "uuid"),
		Timestamp: parseWireTime(ts), CreatedAt: created,
		OperationType: p.OperationType, VerifyScene: p.VerifyScene, Channels: p.ChannelInfoList, Raw: body, Signed: signed,
	}
	ev.Kind = notifyKind(ev, items, fields)
	if ev.Kind == EventMake {
		if ev.Make, err = readMakeNotice(src, p); err != nil {
			return nil, errors.Join(ErrNotificationMalformed, err)
		}
		ev.Items = ev.Make.notifyItems()
		return ev, nil
	}
	for _, it := range items {
		up := time.Time(it.UpdateTime)
		if up.IsZero() {
			up = time.Time(it.UpdateDate)
		}
		ev.Items = append(ev.Items, NotifyItem{
			Code: it.Code, TicketID: it.TicketID, TicketName: it.TicketName, BrandTicketID: it.BrandTicketID,
			OuterOrderID: it.OuterOrderID, OuterOrderItemID: it.OuterOrderItemID, OriginalRequestID: it.OriginalRequestID,
			NotifyRequestID: it.NotifyRequestID, VerifyID: it.VerifyID, CodeCount: int(it.CodeCount),
			VerifyDate: time.Time(it.VerifyDate), OperationType: it.OperationType, UpdateTime: up,
			SaleChannelID: it.SaleChannelID, SaleChannelOrderID: it.SaleChannelOrderID, SaleChannelItemID: it.SaleChannelItemID,
			CashierTransNo: it.CashierTransNo, BrandID: string(it.BrandID), Store: it.StoreInfo,
		})
	}
	return ev, nil
}

// notifyKind reads what a notification reports from its action, the
// items read from it, and its top-level fields.
//
// An envelope's action names it, when it names a kind. An item with
// codeDetails is a make notification: only the make page (a516a) prints
// them. A body without such an action is otherwise, as e-Buy's pages print
// it, in the flat layout of the void page (31fef-pMS) or the status-change
// page (6ea9a), and the void page prints its channelInfoList with the
// redemption's action and notifyType (VerifyCodeNotify, Verify): so the
// fields only one of those pages prints decide before the channels do. A
// top-level operationType, or an item's operationType, updateTime or
// updateDate, is a status change (6ea9a); a top-level createDate or
// verifyScene (31fef-pMS, before and after its revision 4837) is a void.
// Only then do the channels' action and notifyType say.
func notifyKind(ev *Event, items []wireNotifyItem, fields []wire.Field) EventKind {
	if k, ok := eventKind(ev.Action); ok {
		return k
	}
	if slices.ContainsFunc(items, func(it wireNotifyItem) bool { return nonEmptyArray(it.CodeDetails) }) {
		return EventMake
	}
	if wire.Get(fields, "content") == nil {
		if ev.OperationType != "" || slices.ContainsFunc(items, func(it wireNotifyItem) bool {
			return it.OperationType != "" || !time.Time(it.UpdateTime).IsZero() || !time.Time(it.UpdateDate).IsZero()
		}) {
			return EventCodeStatus
		}
		for _, k := range [...]string{"createDate", "verifyScene"} {
			if v := wire.Get(fields, k); v != nil && string(v) != "null" {
				return EventVerifyVoid
			}
		}
	}
	for _, ch := range ev.Channels {
		if k, ok := eventKind(ch.Action); ok {
			return k
		}
		if k, ok := eventKind(ch.NotifyType); ok {
			return k
		}
	}
	return EventUnknown
}

// objects reads raw, an object or an array of objects (notifyParam).
func objects[T any](raw json.RawMessage) ([]T, error) {
	if raw = bytes.TrimSpace(raw); len(raw) > 0 && raw[0] == '{' {
		ps := make([]T, 1)
		if err := json.Unmarshal(raw, &ps[0]); err != nil {
			return nil, err
		}
		return ps, nil
	}
	var ps []T
	if err := json.Unmarshal(raw, &ps); err != nil {
		return nil, err
	}
	return ps, nil
}

// nonEmptyArray reports whether raw is a JSON array with an element.
func nonEmptyArray(raw json.RawMessage) bool {
	b := bytes.TrimSpace(raw)
	return len(b) > 0 && b[0] == '[' && len(bytes.TrimSpace(b[1:])) > 0 && bytes.TrimSpace(b[1:])[0] != ']'
}

// eventKind reads a notification kind from an action or notifyType such as
// verifyCodeNotify, VerifyVoidNotify, UpdateCodeStatusNotify, Verify,
// makeNotify or MakeCodeNotify. ok reports that s names a kind, which is
// EventUnknown for a make order's void (MakeVoidNotify, MakeVoid: e-Buy
// 4.0's 制码订单作废, which no 4.1 page prints): that is no redemption's
// void, whatever else the notification carries. The make names are matched
// whole ("makeNotify") or by "makecode", not by "make" alone: e-Buy's
// redemption page prints the action's example as makeEcoupon.
func eventKind(s string) (kind EventKind, ok bool) {
	l := strings.ToLower(s)
	switch {
	case strings.Contains(l, "makevoid"):
		return EventUnknown, true
	case l == "makenotify" || strings.Contains(l, "makecode"):
		return EventMake, true
	case strings.Contains(l, "void"):
		return EventVerifyVoid, true
	case strings.Contains(l, "status"):
		return EventCodeStatus, true
	case strings.Contains(l, "verify"):
		return EventVerify, true
	}
	return EventUnknown, false
}
