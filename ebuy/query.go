package ebuy

import (
	"context"
	"encoding/json"
	"time"
	"unicode/utf8"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/transport"
)

const (
	apiProductDetail = "_getBrandProductDetailDirect"
	apiCodeHistory   = "_queryCodeDetailList"
)

// Product is a coupon product (券产品) as _getBrandProductDetailDirect
// describes it. Fields e-Buy sends beyond these stay in Meta.Raw.
type Product struct {
	// ProductID is the product id (productId).
	ProductID TicketID
	// ProductName is the product's full name (productName).
	ProductName string
	// ProductType is e-Buy's product type (productType), such as cashCoupon
	// or merchandiseCoupon.
	ProductType string
	// UseTimes is how many times a code of the product can be used (useTimes).
	UseTimes int
	// BrandID and BrandName identify the brand.
	BrandID, BrandName string
	// SendChannelID is the code-making channel (sendChannelId).
	SendChannelID string
	// Meta describes the exchange; Meta.Raw keeps the fields not modelled
	// here. It is left out of JSON.
	Meta couponkit.Meta `json:"-"`
}

// ProductDetailRequest asks for one coupon product
// (_getBrandProductDetailDirect).
type ProductDetailRequest struct {
	// ProductID is the product (batch) id (productId), such as
	// 1031000000010741. Required.
	ProductID TicketID
}

type productContent struct {
	ProductID TicketID `json:"productId"`
}

type wireProduct struct {
	ProductID     TicketID `json:"productId"`
	ProductName   string   `json:"productName"`
	ProductType   string   `json:"productType"`
	UseTimes      count    `json:"useTimes"`
	BrandID       string   `json:"brandId"`
	BrandName     string   `json:"brandName"`
	SendChannelID string   `json:"sendChannelId"`
}

// ProductDetail returns product req.ProductID (_getBrandProductDetailDirect). It
// is a read: retried on network failures, 5xx, throttling and unreadable
// answers. A success answer without productId (required on e-Buy's page),
// or with another product's, is unreadable: retried, then returned as the
// error.
func (c *Client) ProductDetail(ctx context.Context, req *ProductDetailRequest) (*Product, error) {
	if req == nil {
		return nil, couponkit.Invalid("req", "required")
	}
	productID := req.ProductID
	if productID <= 0 {
		return nil, couponkit.Invalid("ProductID", "required")
	}
	content, err := encode(&productContent{ProductID: productID})
	if err != nil {
		return nil, err
	}
	uuid, err := c.ep.Key(opProductDetail, "UUID", "")
	if err != nil {
		return nil, err
	}
	var w wireProduct
	meta, err := c.ep.Invoke(ctx, opProductDetail, uuid, c.newRequest(opProductDetail, "", uuid, content), func(b []byte) error {
		w = wireProduct{} // an earlier attempt's answer counts for nothing
		if b == nil {
			return emptySuccess("content (the product)")
		}
		if err := json.Unmarshal(b, &w); err != nil {
			return err
		}
		switch w.ProductID {
		case 0:
			return emptySuccess("productId")
		case productID:
			return nil
		}
		return transport.Unreadable(couponkit.FaultUnknown, "success answer for product "+w.ProductID.String()+", not "+productID.String(), nil)
	})
	if err != nil {
		return nil, err
	}
	return &Product{
		ProductID: w.ProductID, ProductName: w.ProductName, ProductType: w.ProductType, UseTimes: int(w.UseTimes),
		BrandID: w.BrandID, BrandName: w.BrandName, SendChannelID: w.SendChannelID, Meta: meta,
	}, nil
}

// CodeHistory is a code's operation records (_queryCodeDetailList).
type CodeHistory struct {
	// Records are the operations on the code, oldest first as e-Buy lists them.
	Records []CodeRecord
	// Meta describes the exchange; Meta.Raw keeps the fields not modelled
	// here. It is left out of JSON.
	Meta couponkit.Meta `json:"-"`
}

// CodeRecord is one operation on a code.
type CodeRecord struct {
	// Time is when it happened (dateTime, yyyyMMddHHmmss), Beijing time.
	Time time.Time
	// Code is the code.
	Code string
	// Type is e-Buy's operation type (type). e-Buy does not publish the
	// values; in its example "1" is a record without a shop and "2" a
	// redemption at a shop.
	Type string
	// ReturnCode and ReturnMessage are the operation's outcome (returnCode,
	// returnMsg; "00" is success).
	ReturnCode, ReturnMessage string
	// ShopNo and ShopName are the shop where it happened, if any.
	ShopNo, ShopName string
	// MerchantID and TerminalID are the merchant (mid) and terminal (tid) numbers.
	MerchantID, TerminalID string
	// Swift is e-Buy's swift field (undocumented).
	Swift string
}

// CodeHistoryRequest asks for a code's operation records
// (_queryCodeDetailList).
type CodeHistoryRequest struct {
	// Code is the code (code), such as "1031000000000000001". Required.
	Code string
}

type historyContent struct {
	Code string `json:"code"`
}

type wireHistory struct {
	ReturnCode string              `json:"returnCode"`
	ReturnMsg  string              `json:"returnMsg"`
	ReturnData []wireHistoryRecord `json:"returnData"`
}

type wireHistoryRecord struct {
	DateTime   wireTime `json:"dateTime"`
	ReturnCode string   `json:"returnCode"`
	ReturnMsg  string   `json:"returnMsg"`
	Code       string   `json:"code"`
	Mid        string   `json:"mid"`
	ShopName   string   `json:"shopName"`
	Type       string   `json:"type"`
	ShopNo     string   `json:"shopNo"`
	Tid        string   `json:"tid"`
	Swift      string   `json:"swift"`
}

// CodeHistory returns the operations recorded on code (_queryCodeDetailList).
// It is a read: retried on network failures, 5xx, throttling and unreadable
// answers. A content returnCode other than "00" is a *couponkit.Error with
// that code. A success must carry returnData: an empty list is a history
// with no records, but an answer without returnData is unreadable
// (retried, then returned as the error).
//
// It still takes the bare code: the notification handler's ConfirmUnsigned
// reads histories through this method's current signature. APIs lists it
// with CodeHistoryRequest, the request it takes next.
func (c *Client) CodeHistory(ctx context.Context, code string) (*CodeHistory, error) {
	return c.codeHistory(ctx, &CodeHistoryRequest{Code: code})
}

// codeHistory is CodeHistory on its request.
func (c *Client) codeHistory(ctx context.Context, req *CodeHistoryRequest) (*CodeHistory, error) {
	if req == nil {
		return nil, couponkit.Invalid("req", "required")
	}
	code := req.Code
	if code == "" || !utf8.ValidString(code) {
		return nil, couponkit.Invalid("Code", "required, valid UTF-8")
	}
	content, err := encode(&historyContent{Code: code})
	if err != nil {
		return nil, err
	}
	uuid, err := c.ep.Key(opCodeHistory, "UUID", "")
	if err != nil {
		return nil, err
	}
	var w wireHistory
	meta, err := c.ep.Invoke(ctx, opCodeHistory, uuid, c.newRequest(opCodeHistory, "", uuid, content), func(b []byte) error {
		w = wireHistory{} // an earlier attempt's answer counts for nothing
		if b == nil {
			return emptySuccess("content (returnCode, returnData)")
		}
		if err := json.Unmarshal(b, &w); err != nil {
			return err
		}
		if err := c.returnCodeError(w.ReturnCode, w.ReturnMsg); err != nil {
			return err
		}
		if !has(b, "returnData") {
			return emptySuccess("returnData")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	h := &CodeHistory{Records: make([]CodeRecord, 0, len(w.ReturnData)), Meta: meta}
	for _, r := range w.ReturnData {
		h.Records = append(h.Records, CodeRecord{
			Time: time.Time(r.DateTime), Code: r.Code, Type: r.Type, ReturnCode: r.ReturnCode, ReturnMessage: r.ReturnMsg,
			ShopNo: r.ShopNo, ShopName: r.ShopName, MerchantID: r.Mid, TerminalID: r.Tid, Swift: r.Swift,
		})
	}
	return h, nil
}
