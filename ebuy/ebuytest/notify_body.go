package ebuytest

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/ebuy/internal/wire"
	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/ids"
	"github.com/couponkit/couponkit/internal/jsonx"
)

// NotificationContentType is the Content-Type of every notification e-Buy
// posts (its notification pages list application/json as required), and of
// the bodies NotificationBody and UnsignedNotificationBody build.
const NotificationContentType = "application/json"

// Notification is what a notification built by NotificationBody or
// UnsignedNotificationBody reports. Only Kind and Items (or, for
// ebuy.EventMake, Make) are required.
type Notification struct {
	// Kind is what it reports: ebuy.EventVerify (action verifyCodeNotify),
	// ebuy.EventVerifyVoid (verifyVoidNotify), ebuy.EventCodeStatus
	// (UpdateCodeStatusNotify) or ebuy.EventMake (makeNotify, the path of
	// page a516a, which prints no action value). It also sets the channel's
	// action and notifyType (VerifyCodeNotify and Verify, …; for a make,
	// MakeCodeNotify and MakeCode, e-Buy 4.0's names, as page a516a prints
	// none).
	Kind ebuy.EventKind
	// AppID is the appId, and the channel's channelAppId (default
	// DefaultAppID).
	AppID string
	// UUID is the notification's uuid: e-Buy re-sends a notification with
	// its uuid until it is acknowledged, and ebuy.NewNotifyHandler handles
	// each uuid once. Default: a fresh one, "yyyyMMdd-" (Time's date in
	// Beijing time) and 32 hex digits, the shape of e-Buy's.
	UUID string
	// Time is when e-Buy sent it: the timestamp (epoch milliseconds) and,
	// where the layout prints one, the createDate. Default: time.Now().
	Time time.Time
	// Items are the codes concerned, written as e-Buy's pages name them:
	// Code, TicketID (as a string of digits; left out when 0), TicketName
	// and OuterOrderID always, every other field only when set (times as
	// epoch milliseconds). For EventCodeStatus, a flat body also carries
	// the items' OperationType at the top level when they all share one.
	// Empty for EventMake, whose codes are in Make.
	Items []ebuy.NotifyItem
	// Make is the order of an ebuy.EventMake notification, required then
	// (and only then): its OuterOrderID, and at least one code in its
	// Items. It is written with every field page a516a prints, in
	// notifyParam (LayoutNotifyParam, the page's layout), in content
	// (LayoutEnvelope) or at the top level (LayoutFlat); the order's AppID
	// and UUID default to the notification's, and LayoutFlat, which has a
	// single appId and uuid, carries the notification's. Its userInfo is
	// written as {}.
	Make *ebuy.MakeNotice
}

// NotificationBody returns n as e-Buy posts it in layout, signed under
// secret (signType sha256 and sign, by the signer of the fake's answers and
// of ebuy's client), and the Content-Type to post it with, so that a test
// feeds an ebuy.NewNotifyHandler (through httptest.NewRecorder, or a
// Notifier with a Handler) without a socket. The body is byte for byte what
// the fake's Notifier sends for the same notification. An invalid n, or an
// empty secret, is a *couponkit.ValidationError naming the field.
func NotificationBody(secret string, n Notification, layout NotifyLayout) (body []byte, contentType string, err error) {
	if secret == "" {
		return nil, "", couponkit.Invalid("secret", "empty: the body is signed under the app secret (UnsignedNotificationBody builds one without a sign)")
	}
	body, err = notificationBody(n, layout, secret, false)
	if err != nil {
		return nil, "", err
	}
	return body, NotificationContentType, nil
}

// UnsignedNotificationBody is NotificationBody without signType and sign, as
// e-Buy's pages be83a and 31fef-pMS print notifications: ebuy.NewNotifyHandler
// refuses it (401) unless its WithUnsigned policy accepts or confirms it.
func UnsignedNotificationBody(n Notification, layout NotifyLayout) (body []byte, contentType string, err error) {
	body, err = notificationBody(n, layout, "", true)
	if err != nil {
		return nil, "", err
	}
	return body, NotificationContentType, nil
}

// notifyKinds are the action, the channel's action and the channel's
// notifyType of each kind a notification can report.
var notifyKinds = map[ebuy.EventKind][3]string{
	ebuy.EventVerify:     {"verifyCodeNotify", "VerifyCodeNotify", "Verify"},
	ebuy.EventVerifyVoid: {"verifyVoidNotify", "VerifyVoidNotify", "VerifyVoid"},
	ebuy.EventCodeStatus: {"UpdateCodeStatusNotify", "UpdateCodeStatusNotify", "UpdateCodeStatus"},
	ebuy.EventMake:       {"makeNotify", "MakeCodeNotify", "MakeCode"},
}

type channelInfo struct {
	Action       string  `json:"action"`
	ChannelAppID string  `json:"channelAppId"`
	ChannelID    string  `json:"channelId"`
	ChannelName  string  `json:"channelName"`
	ChannelType  string  `json:"channelType"`
	MessageType  string  `json:"messageType"`
	NotifyType   string  `json:"notifyType"`
	TicketIDs    []int64 `json:"ticketIds"`
}

type notifyItem struct {
	Code               string          `json:"code"`
	TicketID           string          `json:"ticketId,omitempty"`
	TicketName         string          `json:"ticketName"`
	OuterOrderID       string          `json:"outerOrderId"`
	OuterOrderItemID   string          `json:"outerOrderItemId,omitempty"`
	BrandTicketID      string          `json:"brandTicketId,omitempty"`
	OriginalRequestID  string          `json:"originalRequestId,omitempty"`
	NotifyRequestID    string          `json:"notifyRequestId,omitempty"`
	VerifyID           string          `json:"verifyId,omitempty"`
	CodeCount          int             `json:"codeCount,omitempty"`
	VerifyDate         int64           `json:"verifyDate,omitempty"`
	OperationType      string          `json:"operationType,omitempty"`
	UpdateTime         int64           `json:"updateTime,omitempty"`
	SaleChannelID      string          `json:"saleChannelId,omitempty"`
	SaleChannelOrderID string          `json:"saleChannelOrderId,omitempty"`
	SaleChannelItemID  string          `json:"saleChannelItemId,omitempty"`
	CashierTransNo     string          `json:"cashierTransNo,omitempty"`
	BrandID            string          `json:"brandId,omitempty"`
	StoreInfo          *ebuy.StoreInfo `json:"storeInfo,omitempty"`
}

// millis is t in epoch milliseconds, 0 for the zero time.
func millis(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// notificationBody writes n in layout: signed under secret, or without a
// sign when unsigned. It is the one writer of notification bodies, for
// NotificationBody and the Notifier alike.
func notificationBody(n Notification, layout NotifyLayout, secret string, unsigned bool) ([]byte, error) {
	names, ok := notifyKinds[n.Kind]
	if !ok {
		return nil, couponkit.Invalid("Notification.Kind", "%q: want ebuy.EventVerify, ebuy.EventVerifyVoid, ebuy.EventCodeStatus or ebuy.EventMake", n.Kind)
	}
	switch {
	case n.Kind == ebuy.EventMake:
		if err := checkMake(n); err != nil {
			return nil, err
		}
	case n.Make != nil:
		return nil, couponkit.Invalid("Notification.Make", "set with %q: only a make notification (ebuy.EventMake) carries an order", n.Kind)
	case len(n.Items) == 0:
		return nil, couponkit.Invalid("Notification.Items", "empty: a notification concerns at least one code")
	}
	if layout < LayoutEnvelope || layout > LayoutFlat {
		return nil, couponkit.Invalid("layout", "%d is not LayoutEnvelope, LayoutNotifyParam or LayoutFlat", layout)
	}
	action, chAction, notifyType := names[0], names[1], names[2]
	if n.AppID == "" {
		n.AppID = DefaultAppID
	}
	if n.Time.IsZero() {
		n.Time = time.Now()
	}
	if n.UUID == "" {
		n.UUID = ids.DatedHex(n.Time, cntime.Location())
	}
	if n.Kind == ebuy.EventMake {
		return makeBody(n, layout, secret, unsigned, action, chAction, notifyType)
	}
	items := make([]notifyItem, len(n.Items))
	tickets := []int64{}
	for i, it := range n.Items {
		items[i] = notifyItem{
			Code: it.Code, TicketName: it.TicketName, OuterOrderID: it.OuterOrderID, OuterOrderItemID: it.OuterOrderItemID,
			BrandTicketID: it.BrandTicketID, OriginalRequestID: it.OriginalRequestID, NotifyRequestID: it.NotifyRequestID,
			VerifyID: it.VerifyID, CodeCount: it.CodeCount, VerifyDate: millis(it.VerifyDate), OperationType: it.OperationType,
			UpdateTime: millis(it.UpdateTime), SaleChannelID: it.SaleChannelID, SaleChannelOrderID: it.SaleChannelOrderID,
			SaleChannelItemID: it.SaleChannelItemID, CashierTransNo: it.CashierTransNo, BrandID: it.BrandID, StoreInfo: it.Store,
		}
		if it.TicketID != 0 {
			items[i].TicketID = it.TicketID.String()
			if !slices.Contains(tickets, int64(it.TicketID)) {
				tickets = append(tickets, int64(it.TicketID))
			}
		}
	}
	channels, err := channelsJSON(n.AppID, chAction, notifyType, tickets)
	if err != nil {
		return nil, err
	}
	itemsJSON, err := jsonx.Canonical(items)
	if err != nil {
		return nil, err
	}
	at := wire.Raw("timestamp", strconv.AppendInt(nil, n.Time.UnixMilli(), 10))
	created := strconv.AppendInt(nil, n.Time.UnixMilli(), 10)
	var fields []wire.Field
	switch layout {
	case LayoutFlat:
		fields = []wire.Field{wire.Raw("channelInfoList", channels)}
		switch n.Kind {
		case ebuy.EventVerifyVoid: // page 31fef-pMS
			fields = append(fields, wire.Str("appId", n.AppID), wire.Str("uuid", n.UUID), wire.Raw("createDate", created))
		case ebuy.EventCodeStatus: // page 6ea9a
			fields = append(fields, wire.Str("uuid", n.UUID))
			if op := items[0].OperationType; op != "" && !slices.ContainsFunc(items, func(it notifyItem) bool { return it.OperationType != op }) {
				fields = append(fields, wire.Str("operationType", op))
			}
		default: // printed by no page
			fields = append(fields, wire.Str("appId", n.AppID), wire.Str("uuid", n.UUID))
		}
		fields = append(fields, wire.Raw("items", itemsJSON))
		if !unsigned {
			fields = append(fields, wire.Str("action", action), wire.Str("signType", wire.SignType), at)
		}
	default:
		var content []byte
		if layout == LayoutNotifyParam {
			param := unsignedObject([]wire.Field{wire.Str("appId", n.AppID), wire.Raw("createDate", created), wire.Raw("items", itemsJSON), wire.Str("uuid", n.UUID)})
			content = unsignedObject([]wire.Field{wire.Raw("channelInfoList", channels), wire.Raw("notifyParam", param)})
		} else {
			content = unsignedObject([]wire.Field{wire.Raw("channelInfoList", channels), wire.Raw("createDate", created), wire.Raw("items", itemsJSON)})
		}
		fields = []wire.Field{wire.Str("action", action), wire.Str("appId", n.AppID), wire.Raw("content", content), wire.Str("lang", "zh_CN"),
			at, wire.Str("uuid", n.UUID)}
		if !unsigned {
			fields = append(fields, wire.Str("signType", wire.SignType))
		}
	}
	return finish(fields, secret, unsigned)
}

// channelsJSON is the channelInfoList of a notification: the fake's one
// channel, with the kind's action and notifyType and the batches concerned.
func channelsJSON(appID, action, notifyType string, tickets []int64) ([]byte, error) {
	if tickets == nil {
		tickets = []int64{}
	}
	return jsonx.Canonical([]channelInfo{{Action: action, ChannelAppID: appID, ChannelID: "ebuytest", ChannelName: "ebuytest",
		ChannelType: "saleChannel", MessageType: "ebuy", NotifyType: notifyType, TicketIDs: tickets}})
}

// makeBody writes the make notification n in layout (see
// Notification.Make).
func makeBody(n Notification, layout NotifyLayout, secret string, unsigned bool, action, chAction, notifyType string) ([]byte, error) {
	order, tickets, err := makeFields(n, layout != LayoutFlat)
	if err != nil {
		return nil, err
	}
	channels, err := channelsJSON(n.AppID, chAction, notifyType, tickets)
	if err != nil {
		return nil, err
	}
	at := wire.Raw("timestamp", strconv.AppendInt(nil, n.Time.UnixMilli(), 10))
	var fields []wire.Field
	switch layout {
	case LayoutFlat:
		fields = append([]wire.Field{wire.Raw("channelInfoList", channels), wire.Str("appId", n.AppID), wire.Str("uuid", n.UUID)}, order...)
		if !unsigned {
			fields = append(fields, wire.Str("action", action), wire.Str("signType", wire.SignType), at)
		}
	default:
		var content []byte
		if layout == LayoutNotifyParam { // page a516a
			content = unsignedObject([]wire.Field{wire.Raw("channelInfoList", channels), wire.Raw("notifyParam", unsignedObject(order))})
		} else {
			content = unsignedObject(append([]wire.Field{wire.Raw("channelInfoList", channels)}, order...))
		}
		// Page a516a prints no lang.
		fields = []wire.Field{wire.Str("action", action), wire.Str("appId", n.AppID), wire.Raw("content", content), at, wire.Str("uuid", n.UUID)}
		if !unsigned {
			fields = append(fields, wire.Str("signType", wire.SignType))
		}
	}
	return finish(fields, secret, unsigned)
}

// finish returns the body of fields: signed under secret, or as they are
// when unsigned.
func finish(fields []wire.Field, secret string, unsigned bool) ([]byte, error) {
	if unsigned {
		return unsignedObject(fields), nil
	}
	body, err := wire.Signed(fields, secret)
	if err != nil {
		return nil, fmt.Errorf("ebuytest: signing the notification: %w", err)
	}
	return body, nil
}
