package ebuytest

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/ebuy/internal/wire"
	"github.com/couponkit/couponkit/internal/jsonx"
)

// makeLine is an item of a make notification as page a516a names it, every
// field the page prints; validStart and validEnd are epoch milliseconds,
// left out when zero.
type makeLine struct {
	ActivityID       string     `json:"activityId"`
	ActivityName     string     `json:"activityName"`
	BrandSalePrice   int64      `json:"brandSalePrice"`
	CodeCount        int        `json:"codeCount"`
	CodeDetails      []madeCode `json:"codeDetails"`
	EcouponType      string     `json:"ecouponType"`
	OuterOrderItemID string     `json:"outerOrderItemId"`
	ProductID        int64      `json:"productId"`
	ProductName      string     `json:"productName"`
	ReturnCode       string     `json:"returnCode"`
	ReturnMessage    string     `json:"returnMessage"`
	TicketID         int64      `json:"ticketId"`
	TicketName       string     `json:"ticketName"`
	TicketWhaleID    string     `json:"ticketWhaleId"`
	ValidEnd         int64      `json:"validEnd,omitempty"`
	ValidStart       int64      `json:"validStart,omitempty"`
}

// madeCode is a codeDetails entry of page a516a.
type madeCode struct {
	Code       string          `json:"code"`
	CodeH5URL  string          `json:"codeH5Url"`
	CodeMask   string          `json:"codeMask"`
	CodePicURL string          `json:"codePicUrl"`
	SearchCode string          `json:"searchCode"`
	Status     ebuy.CodeStatus `json:"status"`
	StatusDesc string          `json:"statusDesc"`
	UseTimes   int             `json:"useTimes"`
}

// wireMakeLine writes line in the naming of page a516a.
func wireMakeLine(line ebuy.MakeItem) makeLine {
	out := makeLine{ActivityID: line.ActivityID, ActivityName: line.ActivityName, BrandSalePrice: int64(line.BrandSalePrice),
		CodeCount: line.CodeCount, EcouponType: line.ECouponType, OuterOrderItemID: line.OuterOrderItemID,
		ProductID: int64(line.ProductID), ProductName: line.ProductName, ReturnCode: line.ReturnCode, ReturnMessage: line.ReturnMessage,
		TicketID: int64(line.TicketID), TicketName: line.TicketName, TicketWhaleID: line.TicketWhaleID,
		ValidEnd: millis(line.ValidEnd), ValidStart: millis(line.ValidStart), CodeDetails: []madeCode{}}
	for _, c := range line.Codes {
		out.CodeDetails = append(out.CodeDetails, madeCode{Code: c.Code, CodeH5URL: c.H5URL, CodeMask: c.Mask, CodePicURL: c.PicURL,
			SearchCode: c.SearchCode, Status: c.Status, StatusDesc: c.StatusDescription, UseTimes: c.UseTimes})
	}
	return out
}

// checkMake refuses a make notification the reader could not take for one:
// it names an order and lists at least one code (codeDetails are what mark
// a make notification without an action), and its times fit the page's
// epoch milliseconds.
func checkMake(n Notification) error {
	m := n.Make
	switch {
	case m == nil:
		return couponkit.Invalid("Notification.Make", "nil: a make notification (ebuy.EventMake) carries its order in Make")
	case len(n.Items) > 0:
		return couponkit.Invalid("Notification.Items", "set with ebuy.EventMake: a make notification lists its codes in Make.Items[].Codes")
	case m.OuterOrderID == "":
		return couponkit.Invalid("Notification.Make.OuterOrderID", "empty: a make notification names its order")
	case !slices.ContainsFunc(m.Items, func(it ebuy.MakeItem) bool { return len(it.Codes) > 0 }):
		return couponkit.Invalid("Notification.Make.Items", "no code: a make notification lists at least one code made")
	}
	for i, it := range m.Items {
		for _, c := range it.Codes {
			if c.Code == "" {
				return couponkit.Invalid(fmt.Sprintf("Notification.Make.Items[%d].Codes", i), "a code without its Code")
			}
		}
	}
	return nil
}

// makeFields returns the order fields of a make notification, in the
// naming of page a516a, and the batches of its lines (the channel's
// ticketIds). withIDs writes the order's appId and uuid (defaults: the
// notification's), as notifyParam and an envelope's content carry them.
func makeFields(n Notification, withIDs bool) (fields []wire.Field, tickets []int64, err error) {
	m := n.Make
	lines := make([]makeLine, len(m.Items))
	for i, it := range m.Items {
		lines[i] = wireMakeLine(it)
		if it.TicketID != 0 && !slices.Contains(tickets, int64(it.TicketID)) {
			tickets = append(tickets, int64(it.TicketID))
		}
	}
	linesJSON, err := jsonx.Canonical(lines)
	if err != nil {
		return nil, nil, err
	}
	if withIDs {
		appID, uuid := m.AppID, m.UUID
		if appID == "" {
			appID = n.AppID
		}
		if uuid == "" {
			uuid = n.UUID
		}
		fields = append(fields, wire.Str("appId", appID), wire.Str("uuid", uuid))
	}
	fields = append(fields,
		wire.Raw("codeCount", strconv.AppendInt(nil, int64(m.CodeCount), 10)),
		wire.Raw("createDate", strconv.AppendInt(nil, n.Time.UnixMilli(), 10)),
		wire.Raw("items", linesJSON),
		wire.Str("orderRemark", m.OrderRemark),
		wire.Str("outerOrderId", m.OuterOrderID),
		wire.Str("saleAppId", m.SaleAppID),
		wire.Raw("userInfo", []byte("{}")))
	switch id := m.SaleChannelID; {
	case id == "":
	case digits(id):
		fields = append(fields, wire.Raw("saleChannelId", []byte(id))) // a number, as the page types it
	default:
		fields = append(fields, wire.Str("saleChannelId", id))
	}
	slices.SortFunc(fields, func(a, b wire.Field) int { return strings.Compare(a.Key, b.Key) })
	return fields, tickets, nil
}

// SendMake sends a make notification (makeNotify, 制码通知, page a516a) for
// the order outerOrderID the fake made codes for (with makeCode, that is
// ebuy.Client.MakeCodes, or thirdBatchMake): one line per batch, each code
// with its query number, mask, pages, status and uses as the fake's
// makeCode answer names them, and the line's validity. It returns an error
// unless the answer is 2xx; the notification is then kept for
// ResendUnacknowledged. An order the fake did not make is an error, and
// nothing is sent.
func (n *Notifier) SendMake(ctx context.Context, outerOrderID string) error {
	return n.send(ctx, func() (Notification, error) {
		s := n.s
		s.mu.Lock()
		defer s.mu.Unlock()
		m, err := s.makeNoticeLocked(outerOrderID)
		if err != nil {
			return Notification{}, err
		}
		return Notification{Kind: ebuy.EventMake, Make: m}, nil
	})
}

// makeNoticeLocked is the order outerOrderID as a make notification
// reports it. s.mu is held.
func (s *Server) makeNoticeLocked(outerOrderID string) (*ebuy.MakeNotice, error) {
	codes, ok := s.orders[outerOrderID]
	if !ok || len(codes) == 0 {
		return nil, fmt.Errorf("ebuytest: no order %q made", outerOrderID)
	}
	m := &ebuy.MakeNotice{OuterOrderID: outerOrderID, OrderRemark: s.remarks[outerOrderID], CodeCount: len(codes), SaleAppID: s.cfg.AppID}
	for _, code := range codes {
		c := s.codes[code]
		item := cmp.Or(c.orderItem, outerOrderID)
		i := slices.IndexFunc(m.Items, func(it ebuy.MakeItem) bool { return it.TicketID == c.product && it.OuterOrderItemID == item })
		if i < 0 {
			m.Items = append(m.Items, s.makeItem(c.product, item, c.validStart, c.validEnd))
			i = len(m.Items) - 1
		}
		m.Items[i].CodeCount++
		m.Items[i].Codes = append(m.Items[i].Codes, s.issuedCode(code))
	}
	return m, nil
}

// makeItem is a line of batch id made for the order line item, valid from
// start to end, without its codes. s.mu is held.
func (s *Server) makeItem(id ebuy.TicketID, item string, start, end time.Time) ebuy.MakeItem {
	p := s.products[id]
	return ebuy.MakeItem{OuterOrderItemID: item, TicketID: id, TicketName: p.Name, TicketWhaleID: id.String(), ProductID: id,
		ProductName: p.Name, ECouponType: p.Type, BrandSalePrice: p.FaceValue, ReturnCode: "00", ReturnMessage: "成功",
		ValidStart: start, ValidEnd: end}
}

// issuedCode is a code the fake made, as its make answers and
// notifications name it (page a516a's codeDetails). s.mu is held.
func (s *Server) issuedCode(code string) ebuy.IssuedCode {
	c := s.codes[code]
	return ebuy.IssuedCode{Code: code, SearchCode: searchCode(code), Mask: code[:4] + "********" + code[len(code)-4:],
		H5URL: "https://ebuytest.invalid/code/" + code, PicURL: "https://ebuytest.invalid/code/" + code + ".png",
		Status: c.status, StatusDescription: statusDesc(c.status), UseTimes: s.products[c.product].UseTimes}
}

// digits reports whether s can be written as a JSON integer: decimal
// digits without a leading zero, at most 18 of them.
func digits(s string) bool {
	if s == "" || len(s) > 18 || len(s) > 1 && s[0] == '0' {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
