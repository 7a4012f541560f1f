package ebuy

import (
	"context"
	"time"
	"unicode/utf8"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/internal/wiretype"
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

func (r *ProductDetailRequest) validate() error {
	switch {
	case r == nil:
		return couponkit.Invalid("ProductDetailRequest", "is nil")
	case r.ProductID <= 0:
		return couponkit.Invalid("ProductID", "required")
	}
	return nil
}

// productParams is _getBrandProductDetailDirect's content:
// ProductDetailRequest's field with its wire name, productId, a JSON
// number.
type productParams struct {
	ProductID TicketID `json:"productId"`
}

// productAnswer is _getBrandProductDetailDirect's content (page 82cec). A
// productId other than the one asked for is refused before it is decoded
// (see tie).
type productAnswer struct {
	ProductID     wiretype.Int `json:"productId"`
	ProductName   string       `json:"productName"`
	ProductType   string       `json:"productType"`
	UseTimes      wiretype.Int `json:"useTimes"`
	BrandID       string       `json:"brandId"`
	BrandName     string       `json:"brandName"`
	SendChannelID string       `json:"sendChannelId"`
}

// Complete reports a success without productId, which page 82cec marks
// required: the call exists to describe the product asked for.
func (a *productAnswer) Complete() error {
	if a.ProductID == 0 {
		return transport.Missing("productId")
	}
	return nil
}

const apiProductDetail = "_getBrandProductDetailDirect"

// opProductDetail (_getBrandProductDetailDirect): a read, sent with a
// fresh uuid.
var opProductDetail = &transport.Op{Name: apiProductDetail, Path: apiPrefix + apiProductDetail, Class: transport.Safe}

var _ = registry.Add(transport.Describe(Vendor, opProductDetail, (*Client).ProductDetail, "one coupon product"))

// ProductDetail returns product req.ProductID (_getBrandProductDetailDirect). It
// is a read: retried on network failures, 5xx, throttling and unreadable
// answers. A success answer without productId (required on e-Buy's page),
// or with another product's, is unreadable: retried, then returned as the
// error.
func (c *Client) ProductDetail(ctx context.Context, req *ProductDetailRequest) (*Product, error) {
	return transport.Read(ctx, &c.typed, opProductDetail, req.validate, (*productParams)(req), (*productAnswer).result)
}

// result is the Product a's content describes.
func (a *productAnswer) result(meta couponkit.Meta) *Product {
	return &Product{
		ProductID: TicketID(a.ProductID), ProductName: a.ProductName, ProductType: a.ProductType, UseTimes: int(a.UseTimes),
		BrandID: a.BrandID, BrandName: a.BrandName, SendChannelID: a.SendChannelID, Meta: meta,
	}
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

func (r *CodeHistoryRequest) validate() error {
	switch {
	case r == nil:
		return couponkit.Invalid("CodeHistoryRequest", "is nil")
	case r.Code == "" || !utf8.ValidString(r.Code):
		return couponkit.Invalid("Code", "required, valid UTF-8")
	}
	return nil
}

// historyParams is _queryCodeDetailList's content: CodeHistoryRequest's
// field with its wire name.
type historyParams struct {
	Code string `json:"code"`
}

// historyAnswer is _queryCodeDetailList's content (page 34ed0).
type historyAnswer struct {
	ReturnCode string              `json:"returnCode"`
	ReturnMsg  string              `json:"returnMsg"`
	ReturnData []wireHistoryRecord `json:"returnData"`
}

type wireHistoryRecord struct {
	DateTime   wiretype.CompactTime `json:"dateTime"`
	ReturnCode string               `json:"returnCode"`
	ReturnMsg  string               `json:"returnMsg"`
	Code       string               `json:"code"`
	Mid        string               `json:"mid"`
	ShopName   string               `json:"shopName"`
	Type       string               `json:"type"`
	ShopNo     string               `json:"shopNo"`
	Tid        string               `json:"tid"`
	Swift      string               `json:"swift"`
}

// Failure reports a returnCode other than "00" inside a success envelope.
func (a *historyAnswer) Failure() (code, message string, failed bool) {
	return a.ReturnCode, a.ReturnMsg, a.ReturnCode != "" && a.ReturnCode != "00"
}

// Complete reports a success without returnData: an empty list is a
// history without records, an absent (or null) one says nothing.
func (a *historyAnswer) Complete() error {
	if a.ReturnData == nil {
		return transport.Missing("returnData")
	}
	return nil
}

const apiCodeHistory = "_queryCodeDetailList"

// opCodeHistory (_queryCodeDetailList): a read, sent with a fresh uuid.
var opCodeHistory = &transport.Op{Name: apiCodeHistory, Path: apiPrefix + apiCodeHistory, Class: transport.Safe}

var _ = registry.Add(transport.Describe(Vendor, opCodeHistory, (*Client).CodeHistory, "a code's operation records"))

// CodeHistory returns the operations recorded on code (_queryCodeDetailList).
// It is a read: retried on network failures, 5xx, throttling and unreadable
// answers. A content returnCode other than "00" is a *couponkit.Error with
// that code. A success must carry returnData: an empty list is a history
// with no records, but an answer without returnData is unreadable
// (retried, then returned as the error).
func (c *Client) CodeHistory(ctx context.Context, req *CodeHistoryRequest) (*CodeHistory, error) {
	return transport.Read(ctx, &c.typed, opCodeHistory, req.validate, (*historyParams)(req), (*historyAnswer).result)
}

// result is the CodeHistory a's content lists.
func (a *historyAnswer) result(meta couponkit.Meta) *CodeHistory {
	h := &CodeHistory{Records: make([]CodeRecord, 0, len(a.ReturnData)), Meta: meta}
	for _, r := range a.ReturnData {
		h.Records = append(h.Records, CodeRecord{
			Time: time.Time(r.DateTime), Code: r.Code, Type: r.Type, ReturnCode: r.ReturnCode, ReturnMessage: r.ReturnMsg,
			ShopNo: r.ShopNo, ShopName: r.ShopName, MerchantID: r.Mid, TerminalID: r.Tid, Swift: r.Swift,
		})
	}
	return h
}
