package ebuy

import (
	"cmp"
	"encoding/json"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/wiretype"
)

// MakeNotice is the order of a make notification (EventMake; 制码通知,
// makeNotify, page a516a): e-Buy made codes for an order, such as one sent
// with MakeCodes, and tells the channel which. Fields are the page's; the
// page marks none required, so any may be empty. Its userInfo, an object
// the page prints without fields, stays in Event.Raw.
type MakeNotice struct {
	// OuterOrderID is the order the codes were made for (outerOrderId):
	// MakeCodesRequest.OuterOrderID.
	OuterOrderID string
	// OrderRemark is the order's remark (orderRemark): MakeCodesRequest.Remark.
	OrderRemark string
	// CodeCount is how many codes the order asked for (codeCount).
	CodeCount int
	// AppID is notifyParam's appId.
	AppID string
	// UUID is notifyParam's uuid. The page does not say whose it is
	// ([open]: the make request's, as 请求uuid names it on the sibling
	// void page be83a); Event.UUID is the notification's own.
	UUID string
	// SaleAppID is the sales channel's appId (saleAppId).
	SaleAppID string
	// SaleChannelID is e-Buy's id of the sales channel (saleChannelId, a
	// number on the page), as text.
	SaleChannelID string
	// Items are the order's lines (items), each with its codes.
	Items []MakeItem
}

// MakeItem is one line of a made order (an entry of notifyParam.items,
// page a516a).
type MakeItem struct {
	// OuterOrderItemID is the order line (outerOrderItemId):
	// MakeCodesRequest.OuterOrderItemID.
	OuterOrderItemID string
	// TicketID and TicketName are the batch the codes are of (ticketId,
	// ticketName).
	TicketID   TicketID
	TicketName string
	// TicketWhaleID is e-Buy's internal id of the batch (ticketWhaleId).
	TicketWhaleID string
	// ProductID and ProductName are the coupon product (productId,
	// productName).
	ProductID   TicketID
	ProductName string
	// ActivityID and ActivityName are the activity the batch belongs to
	// (activityId, activityName).
	ActivityID, ActivityName string
	// ECouponType is the product's type (ecouponType), such as
	// merchandiseCoupon.
	ECouponType string
	// BrandSalePrice is the brand's sale price (brandSalePrice), in fen
	// [likely]: the page prints a number without a unit, and every other
	// e-Buy 4.1 amount is in fen. A value that is not a whole number reads
	// as 0 (Event.Raw keeps it): the notification is not refused for it.
	BrandSalePrice couponkit.Fen
	// CodeCount is how many codes the line asked for (codeCount).
	CodeCount int
	// ReturnCode and ReturnMessage are the line's outcome (returnCode,
	// returnMessage): "00" (or empty) made, any other code a line e-Buy
	// did not make, with no codes.
	ReturnCode, ReturnMessage string
	// ValidStart and ValidEnd bound the codes' validity (validStart,
	// validEnd: epoch milliseconds on the page, or text), Beijing time.
	ValidStart, ValidEnd time.Time
	// Codes are the codes made (codeDetails): Code, SearchCode, Mask,
	// H5URL, PicURL, Status, StatusDescription and UseTimes, as MakeCodes
	// reads them in the same naming.
	Codes []IssuedCode
}

// wireMakeNotice is the object that holds a make notification's items
// (notifyParam, as page a516a prints it; or its content, or its body): the
// order, and its lines.
type wireMakeNotice struct {
	AppID         string         `json:"appId"`
	CodeCount     count          `json:"codeCount"`
	Items         []wireMakeLine `json:"items"`
	OrderRemark   string         `json:"orderRemark"`
	OuterOrderID  string         `json:"outerOrderId"`
	SaleAppID     jsonString     `json:"saleAppId"`
	SaleChannelID jsonString     `json:"saleChannelId"`
	UUID          string         `json:"uuid"`
}

// wireMakeLine is an item of a make notification: a line of the order.
// Ids the page types as strings are read from numbers too.
type wireMakeLine struct {
	ActivityID       jsonString       `json:"activityId"`
	ActivityName     string           `json:"activityName"`
	BrandSalePrice   notifyFen        `json:"brandSalePrice"`
	CodeCount        count            `json:"codeCount"`
	CodeDetails      []wireIssuedCode `json:"codeDetails"`
	EcouponType      string           `json:"ecouponType"`
	OuterOrderItemID string           `json:"outerOrderItemId"`
	ProductID        TicketID         `json:"productId"`
	ProductName      string           `json:"productName"`
	ReturnCode       string           `json:"returnCode"`
	ReturnMessage    string           `json:"returnMessage"`
	TicketID         TicketID         `json:"ticketId"`
	TicketName       string           `json:"ticketName"`
	TicketWhaleID    jsonString       `json:"ticketWhaleId"`
	ValidEnd         wireTime         `json:"validEnd"`
	ValidStart       wireTime         `json:"validStart"`
}

// notifyFen is an amount in fen in a notification: a JSON integer or a
// string of digits. Anything else reads as 0 rather than refusing the
// notification, like wireTime.
type notifyFen couponkit.Fen

func (f *notifyFen) UnmarshalJSON(b []byte) error {
	var w wiretype.Fen
	if w.UnmarshalJSON(b) == nil {
		*f = notifyFen(w)
	}
	return nil
}

// readMakeNotice reads the order of a make notification from the object
// that holds its items: src (its content, or the body in the flat layout)
// when p, read from it, has items, else notifyParam. The order's fields
// are those of the first object that names an order, the lines those of
// every object (page a516a prints notifyParam as one object).
func readMakeNotice(src []byte, p notifyPayload) (*MakeNotice, error) {
	ws := make([]wireMakeNotice, 1)
	var err error
	if len(p.Items) == 0 && len(p.NotifyParam) > 0 && string(p.NotifyParam) != "null" {
		ws, err = objects[wireMakeNotice](p.NotifyParam)
	} else {
		err = json.Unmarshal(src, &ws[0])
	}
	if err != nil {
		return nil, err
	}
	m := &MakeNotice{}
	if len(ws) == 0 {
		return m, nil
	}
	o := ws[0]
	for _, w := range ws {
		if w.OuterOrderID != "" {
			o = w
			break
		}
	}
	m.OuterOrderID, m.OrderRemark, m.CodeCount, m.AppID, m.UUID = o.OuterOrderID, o.OrderRemark, int(o.CodeCount), o.AppID, o.UUID
	m.SaleAppID, m.SaleChannelID = string(o.SaleAppID), string(o.SaleChannelID)
	for _, w := range ws {
		for _, it := range w.Items {
			line := MakeItem{
				OuterOrderItemID: it.OuterOrderItemID, TicketID: it.TicketID, TicketName: it.TicketName,
				TicketWhaleID: string(it.TicketWhaleID), ProductID: it.ProductID, ProductName: it.ProductName,
				ActivityID: string(it.ActivityID), ActivityName: it.ActivityName, ECouponType: it.EcouponType,
				BrandSalePrice: couponkit.Fen(it.BrandSalePrice), CodeCount: int(it.CodeCount),
				ReturnCode: it.ReturnCode, ReturnMessage: it.ReturnMessage,
				ValidStart: time.Time(it.ValidStart), ValidEnd: time.Time(it.ValidEnd),
			}
			for _, d := range it.CodeDetails {
				line.Codes = append(line.Codes, d.issued())
			}
			m.Items = append(m.Items, line)
		}
	}
	return m, nil
}

// notifyItems returns the codes made, one item each, with their line's
// batch and order.
func (m *MakeNotice) notifyItems() []NotifyItem {
	var out []NotifyItem
	for _, line := range m.Items {
		for _, c := range line.Codes {
			out = append(out, NotifyItem{Code: c.Code, TicketID: line.TicketID, TicketName: line.TicketName,
				OuterOrderID: m.OuterOrderID, OuterOrderItemID: line.OuterOrderItemID})
		}
	}
	return out
}

// issued returns the code as IssuedCode, in either naming of its query
// number.
func (d *wireIssuedCode) issued() IssuedCode {
	return IssuedCode{Code: d.Code, SearchCode: cmp.Or(d.CodeSearch, d.SearchCode), Password: d.Password,
		Mask: d.CodeMask, H5URL: d.CodeH5URL, PicURL: d.CodePicURL, Status: d.Status, StatusDescription: d.StatusDesc,
		UseTimes: int(d.UseTimes)}
}
