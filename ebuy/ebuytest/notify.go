package ebuytest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/couponkittest"
	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/ids"
)

// NotifyLayout is the body layout of a notification the fake sends. e-Buy's
// pages print three.
type NotifyLayout int

const (
	// LayoutEnvelope is the envelope of e-Buy's calls: action, appId,
	// content {channelInfoList, createDate, items}, lang, timestamp, uuid,
	// and signType and sign when signed.
	LayoutEnvelope NotifyLayout = iota
	// LayoutNotifyParam is the envelope of page be83a (核销撤销通知): content
	// {channelInfoList, notifyParam {appId, createDate, items, uuid}}, and
	// of page a516a (制码通知), whose notifyParam holds the order (see
	// Notification.Make).
	LayoutNotifyParam
	// LayoutFlat is the flat body of pages 31fef-pMS (核销撤销通知) and 6ea9a
	// (券码状态变更通知), with no action and no timestamp: a void carries
	// channelInfoList, appId, uuid, createDate and items (31fef-pMS); a
	// status change channelInfoList, uuid, operationType (when every code
	// had the same) and items, and no time (6ea9a). No page prints a
	// redemption in this layout: the fake's carries channelInfoList, appId,
	// uuid and items, and neither createDate nor verifyScene, which only a
	// void prints at the top level. No page prints a make in this layout
	// either: the fake's carries channelInfoList, appId, uuid and the
	// order's fields, its lines in items. Signed, each also carries action,
	// signType, timestamp and sign at the top level.
	LayoutFlat
)

// DefaultNotifyAttempts is how many times a Notifier delivers one
// notification, the first delivery included, before it gives up.
const DefaultNotifyAttempts = 5

// NotifierConfig configures a Notifier. It needs a URL, a Handler, or both.
type NotifierConfig struct {
	// URL is where notifications are posted. With a Handler, it is only
	// the URL of the requests the Handler receives (its path, and TLS set
	// when it is https); default DefaultNotifyURL.
	URL string
	// Handler, when set, receives the notifications in this process,
	// through couponkittest.HandlerTransport, instead of a connection to
	// URL: a test of a notification handler (ebuy.NewNotifyHandler, or
	// the mux it is mounted on) opens no socket, and runs in parallel and
	// inside a testing/synctest bubble. The Handler sees a server-side
	// request as net/http builds one; its answer counts as over a
	// connection (2xx acknowledges).
	Handler http.Handler
	// Layout is the body layout (default LayoutEnvelope).
	Layout NotifyLayout
	// Unsigned sends notifications without signType and sign, as e-Buy's
	// pages be83a and 31fef-pMS print them.
	Unsigned bool
	// MaxAttempts bounds the deliveries of one notification, the first
	// included (default DefaultNotifyAttempts).
	MaxAttempts int
}

// DefaultNotifyURL is the URL of the requests a NotifierConfig.Handler
// receives when NotifierConfig.URL is empty.
const DefaultNotifyURL = "https://notify.ebuytest.invalid/notify"

// Notifier sends the fake's notifications to one URL or http.Handler, as
// e-Buy notifies a channel, and keeps those not acknowledged (answered other
// than 2xx, or not answered) for ResendUnacknowledged. It starts no
// goroutine of its own. Its methods are safe for concurrent use. Its bodies
// are written as NotificationBody and UnsignedNotificationBody write them.
type Notifier struct {
	s   *Server
	cfg NotifierConfig
	hc  *http.Client

	mu      sync.Mutex
	pending []*outgoing
}

// outgoing is a notification awaiting its acknowledgement.
type outgoing struct {
	uuid, action string
	body         []byte
	attempts     int
}

// Notifier returns a Notifier sending to cfg.Handler in this process when
// it is set, else to cfg.URL. A Notifier with neither fails each send with a
// *couponkit.ValidationError naming NotifierConfig.URL.
func (s *Server) Notifier(cfg NotifierConfig) *Notifier {
	if cfg.MaxAttempts < 1 {
		cfg.MaxAttempts = DefaultNotifyAttempts
	}
	n := &Notifier{s: s, cfg: cfg, hc: s.hc}
	if cfg.Handler != nil {
		if n.cfg.URL == "" {
			n.cfg.URL = DefaultNotifyURL
		}
		n.hc = &http.Client{Transport: couponkittest.HandlerTransport(cfg.Handler)}
	}
	return n
}

// SendVerifyNotify posts a signed redemption notification (verifyCodeNotify)
// for codes to url, as e-Buy does after a redemption, and returns an error
// unless the answer is 2xx. Each item carries the code's batch, order and
// redemption time (the time of the call for a code the fake has not
// redeemed). It is sent once; use a Notifier for other layouts, unsigned
// notifications, delivery to an http.Handler without a socket, and
// re-sending.
func (s *Server) SendVerifyNotify(ctx context.Context, url string, codes ...string) error {
	return s.Notifier(NotifierConfig{URL: url, MaxAttempts: 1}).SendVerify(ctx, codes...)
}

// SendVerifyVoidNotify posts a signed redemption-cancelled notification
// (verifyVoidNotify) for codes to url; see SendVerifyNotify.
func (s *Server) SendVerifyVoidNotify(ctx context.Context, url string, codes ...string) error {
	return s.Notifier(NotifierConfig{URL: url, MaxAttempts: 1}).SendVerifyVoid(ctx, codes...)
}

// SendCodeStatusNotify posts a signed status-change notification
// (UpdateCodeStatusNotify) for codes to url: each item's operationType is the
// code's last operation (freeze, unfreeze, invalid, activate, …) and
// updateTime its time. See SendVerifyNotify.
func (s *Server) SendCodeStatusNotify(ctx context.Context, url string, codes ...string) error {
	return s.Notifier(NotifierConfig{URL: url, MaxAttempts: 1}).SendCodeStatus(ctx, codes...)
}

// SendVerify sends a redemption notification (verifyCodeNotify) for codes;
// see Server.SendVerifyNotify. It returns an error unless the answer is
// 2xx; the notification is then kept for ResendUnacknowledged.
func (n *Notifier) SendVerify(ctx context.Context, codes ...string) error {
	return n.sendCodes(ctx, ebuy.EventVerify, codes, func(it *ebuy.NotifyItem, c *codeState, r *redemption) {
		it.CodeCount, it.VerifyDate = 1, c.updated
		if r != nil {
			it.OriginalRequestID, it.VerifyDate = r.uuid, r.at
		}
	})
}

// SendVerifyVoid sends a redemption-cancelled notification
// (verifyVoidNotify) for codes; see SendVerify.
func (n *Notifier) SendVerifyVoid(ctx context.Context, codes ...string) error {
	return n.sendCodes(ctx, ebuy.EventVerifyVoid, codes, func(it *ebuy.NotifyItem, c *codeState, r *redemption) {
		it.VerifyDate = c.updated
		if r != nil {
			it.OriginalRequestID, it.VerifyDate = r.uuid, r.at
		}
	})
}

// SendCodeStatus sends a status-change notification (UpdateCodeStatusNotify)
// for codes; see Server.SendCodeStatusNotify and SendVerify.
func (n *Notifier) SendCodeStatus(ctx context.Context, codes ...string) error {
	return n.sendCodes(ctx, ebuy.EventCodeStatus, codes, func(it *ebuy.NotifyItem, c *codeState, _ *redemption) {
		it.OperationType, it.UpdateTime = c.lastOp, c.updated
	})
}

// ResendUnacknowledged delivers again, once each and unchanged (same uuid,
// timestamp and sign), the notifications not acknowledged yet, as e-Buy
// re-sends them. A notification acknowledged now is forgotten; one that
// reached MaxAttempts deliveries is given up. It returns how many were
// delivered, and the failures joined.
func (n *Notifier) ResendUnacknowledged(ctx context.Context) (int, error) {
	n.mu.Lock()
	batch := n.pending
	n.pending = nil
	n.mu.Unlock()
	var errs []error
	var keep []*outgoing
	delivered := 0
	for _, o := range batch {
		if err := ctx.Err(); err != nil {
			keep = append(keep, o) // not delivered: still pending
			continue
		}
		o.attempts++
		delivered++
		if err := n.deliver(ctx, o); err != nil {
			errs = append(errs, err)
			if o.attempts < n.cfg.MaxAttempts {
				keep = append(keep, o)
			}
		}
	}
	n.mu.Lock()
	n.pending = append(keep, n.pending...)
	n.mu.Unlock()
	if len(keep) > 0 && ctx.Err() != nil {
		errs = append(errs, ctx.Err())
	}
	return delivered, errors.Join(errs...)
}

// Unacknowledged returns the uuids of the notifications awaiting an
// acknowledgement, oldest first.
func (n *Notifier) Unacknowledged() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	out := make([]string, len(n.pending))
	for i, o := range n.pending {
		out[i] = o.uuid
	}
	return out
}

// send builds a notification with build and delivers it: the
// notification's uuid and time are the fake's (a fresh uuid, the fake's
// clock), and its appId the fake's.
func (n *Notifier) send(ctx context.Context, build func() (Notification, error)) error {
	if n.cfg.URL == "" {
		return couponkit.Invalid("NotifierConfig.URL", "empty, and no NotifierConfig.Handler: nowhere to send the notification")
	}
	if n.cfg.Layout < LayoutEnvelope || n.cfg.Layout > LayoutFlat {
		return couponkit.Invalid("NotifierConfig.Layout", "%d is not LayoutEnvelope, LayoutNotifyParam or LayoutFlat", n.cfg.Layout)
	}
	ntf, err := build()
	if err != nil {
		return err
	}
	s := n.s
	now := s.now()
	ntf.AppID, ntf.UUID, ntf.Time = s.cfg.AppID, ids.DatedHex(now, cntime.Location()), now
	body, err := notificationBody(ntf, n.cfg.Layout, s.cfg.AppSecret, n.cfg.Unsigned)
	if err != nil {
		return err
	}
	o := &outgoing{uuid: ntf.UUID, action: notifyKinds[ntf.Kind][0], body: body, attempts: 1}
	err = n.deliver(ctx, o)
	if err != nil && o.attempts < n.cfg.MaxAttempts {
		n.mu.Lock()
		n.pending = append(n.pending, o)
		n.mu.Unlock()
	}
	return err
}

// sendCodes sends the notification of kind for codes, each item filled
// from the fake's state.
func (n *Notifier) sendCodes(ctx context.Context, kind ebuy.EventKind, codes []string, fill func(*ebuy.NotifyItem, *codeState, *redemption)) error {
	return n.send(ctx, func() (Notification, error) {
		items, err := n.s.items(kind, codes, fill)
		return Notification{Kind: kind, Items: items}, err
	})
}

// items returns the items of a notification of kind for codes, from the
// fake's state.
func (s *Server) items(kind ebuy.EventKind, codes []string, fill func(*ebuy.NotifyItem, *codeState, *redemption)) ([]ebuy.NotifyItem, error) {
	if len(codes) == 0 {
		return nil, fmt.Errorf("ebuytest: %s notification needs codes", kind)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	items := make([]ebuy.NotifyItem, 0, len(codes))
	for _, code := range codes {
		c, ok := s.codes[code]
		if !ok {
			return nil, fmt.Errorf("ebuytest: unknown code %s", code)
		}
		var red *redemption
		for _, r := range s.redemptions {
			for _, rc := range r.codes {
				if rc == code && (red == nil || r.at.After(red.at)) {
					red = r
				}
			}
		}
		it := ebuy.NotifyItem{Code: code, TicketID: c.product, TicketName: s.products[c.product].Name, OuterOrderID: c.orderID}
		fill(&it, c, red)
		items = append(items, it)
	}
	return items, nil
}

// deliver posts o once and returns an error unless the answer is 2xx.
func (n *Notifier) deliver(ctx context.Context, o *outgoing) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, n.cfg.URL, bytes.NewReader(o.body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := n.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	ack, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("ebuytest: %s to %s answered %d: %s", o.action, n.cfg.URL, resp.StatusCode, ack)
	}
	return nil
}
