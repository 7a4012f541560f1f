package ebuytest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"

	"github.com/couponkit/couponkit/ebuy/internal/wire"
	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/ids"
	"github.com/couponkit/couponkit/internal/jsonx"
)

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
	Code              string `json:"code"`
	TicketID          string `json:"ticketId"`
	TicketName        string `json:"ticketName"`
	OuterOrderID      string `json:"outerOrderId"`
	OriginalRequestID string `json:"originalRequestId,omitempty"`
	CodeCount         int    `json:"codeCount,omitempty"`
	VerifyDate        int64  `json:"verifyDate,omitempty"`
	OperationType     string `json:"operationType,omitempty"`
	UpdateTime        int64  `json:"updateTime,omitempty"`
}

// SendVerifyNotify posts a signed redemption notification (verifyCodeNotify)
// for codes to url, as e-Buy does after a redemption, and returns an error
// unless the answer is 2xx. Each item carries the code's batch, order and
// redemption time (the time of the call for a code the fake has not redeemed).
func (s *Server) SendVerifyNotify(ctx context.Context, url string, codes ...string) error {
	return s.send(ctx, url, "verifyCodeNotify", "VerifyCodeNotify", "Verify", codes, func(it *notifyItem, c *codeState, r *redemption) {
		it.CodeCount, it.VerifyDate = 1, c.updated.UnixMilli()
		if r != nil {
			it.OriginalRequestID, it.VerifyDate = r.uuid, r.at.UnixMilli()
		}
	})
}

// SendVerifyVoidNotify posts a signed redemption-cancelled notification
// (verifyVoidNotify) for codes to url; see SendVerifyNotify.
func (s *Server) SendVerifyVoidNotify(ctx context.Context, url string, codes ...string) error {
	return s.send(ctx, url, "verifyVoidNotify", "VerifyVoidNotify", "VerifyVoid", codes, func(it *notifyItem, c *codeState, r *redemption) {
		it.VerifyDate = c.updated.UnixMilli()
		if r != nil {
			it.OriginalRequestID, it.VerifyDate = r.uuid, r.at.UnixMilli()
		}
	})
}

// SendCodeStatusNotify posts a signed status-change notification
// (UpdateCodeStatusNotify) for codes to url: each item's operationType is the
// code's last operation (freeze, unfreeze, invalid, activate, …) and
// updateTime its time.
func (s *Server) SendCodeStatusNotify(ctx context.Context, url string, codes ...string) error {
	return s.send(ctx, url, "UpdateCodeStatusNotify", "UpdateCodeStatusNotify", "UpdateCodeStatus", codes, func(it *notifyItem, c *codeState, _ *redemption) {
		it.OperationType, it.UpdateTime = c.lastOp, c.updated.UnixMilli()
	})
}

func (s *Server) send(ctx context.Context, url, action, chAction, notifyType string, codes []string, fill func(*notifyItem, *codeState, *redemption)) error {
	if len(codes) == 0 {
		return fmt.Errorf("ebuytest: %s needs codes", action)
	}
	s.mu.Lock()
	items := make([]notifyItem, 0, len(codes))
	var tickets []int64
	for _, code := range codes {
		c, ok := s.codes[code]
		if !ok {
			s.mu.Unlock()
			return fmt.Errorf("ebuytest: unknown code %s", code)
		}
		var red *redemption
		for _, r := range s.redemptions {
			for _, rc := range r.codes {
				if rc == code && (red == nil || r.at.After(red.at)) {
					red = r
				}
			}
		}
		it := notifyItem{Code: code, TicketID: c.product.String(), TicketName: s.products[c.product].Name, OuterOrderID: c.orderID}
		fill(&it, c, red)
		items = append(items, it)
		if len(tickets) == 0 || tickets[len(tickets)-1] != int64(c.product) {
			tickets = append(tickets, int64(c.product))
		}
	}
	now := s.now()
	s.mu.Unlock()
	content, err := jsonx.Canonical(struct {
		ChannelInfoList []channelInfo `json:"channelInfoList"`
		CreateDate      int64         `json:"createDate"`
		Items           []notifyItem  `json:"items"`
	}{
		ChannelInfoList: []channelInfo{{Action: chAction, ChannelAppID: s.cfg.AppID, ChannelID: "ebuytest", ChannelName: "ebuytest",
			ChannelType: "saleChannel", MessageType: "ebuy", NotifyType: notifyType, TicketIDs: tickets}},
		CreateDate: now.UnixMilli(),
		Items:      items,
	})
	if err != nil {
		return err
	}
	body, err := wire.Signed([]wire.Field{
		wire.Str("action", action), wire.Str("appId", s.cfg.AppID), wire.Raw("content", content), wire.Str("lang", "zh_CN"),
		wire.Str("signType", wire.SignType), s.timestamp(), wire.Str("uuid", ids.DatedHex(now, cntime.Location())),
	}, s.cfg.AppSecret)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	ack, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("ebuytest: %s to %s answered %d: %s", action, url, resp.StatusCode, ack)
	}
	return nil
}
