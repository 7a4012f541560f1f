package ebuy

import (
	"cmp"
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/internal/wiretype"
)

// CancelRedemptionRequest cancels a redemption (verify-verifyCancel, 核销撤销).
type CancelRedemptionRequest struct {
	// UUID is the request's uuid and idempotency key; empty means a fresh one.
	UUID string
	// OriginalUUID identifies the redemption to cancel (originalUuid): the
	// uuid of the redeeming request, or for a redemption reported with
	// SyncRedemptions its CashierTransNo. Required, 10 to 64 characters.
	OriginalUUID string
	// OriginalVerifyDate is the day of the redemption (originalVerifyDate,
	// yyyyMMdd in Beijing time). Optional.
	OriginalVerifyDate time.Time
	// Codes are the codes whose redemption to cancel (codes). Empty cancels
	// every code of the redemption.
	Codes []string
	// Atomic asks e-Buy to cancel all the codes or none (isAtomicity=Y).
	// Default: e-Buy's default, N (each code on its own).
	Atomic bool
	// SaleRealTimeVerify is supportSaleRealTimeVerify; empty leaves e-Buy's
	// default (Y for this call, by its page).
	SaleRealTimeVerify YesNo
}

func (r *CancelRedemptionRequest) validate() error {
	if r == nil {
		return couponkit.Invalid("CancelRedemptionRequest", "is nil")
	}
	if err := checkUUID("UUID", r.UUID, maxUUIDLen); err != nil {
		return err
	}
	if len(r.OriginalUUID) < 10 {
		return couponkit.Invalid("OriginalUUID", "required, at least 10 characters")
	}
	if err := checkUUID("OriginalUUID", r.OriginalUUID, 64); err != nil {
		return err
	}
	if err := checkCodes("Codes", r.Codes, false); err != nil {
		return err
	}
	if err := checkYesNo("SaleRealTimeVerify", r.SaleRealTimeVerify); err != nil {
		return err
	}
	return wiretype.CheckYear("OriginalVerifyDate", r.OriginalVerifyDate)
}

// params returns verify-verifyCancel's content.
func (r *CancelRedemptionRequest) params() *cancelParams {
	p := &cancelParams{Codes: r.Codes, IsAtomicity: yes(r.Atomic), OriginalUUID: r.OriginalUUID, SupportSaleRealTimeVerify: r.SaleRealTimeVerify}
	if !r.OriginalVerifyDate.IsZero() {
		p.OriginalVerifyDate = r.OriginalVerifyDate.In(cntime.Location()).Format("20060102")
	}
	return p
}

// cancelParams is verify-verifyCancel's content, fields in ASCII order of
// their tags; originalVerifyDate is yyyyMMdd.
type cancelParams struct {
	Codes                     []string `json:"codes,omitempty"`
	IsAtomicity               YesNo    `json:"isAtomicity,omitempty"`
	OriginalUUID              string   `json:"originalUuid"`
	OriginalVerifyDate        string   `json:"originalVerifyDate,omitempty"`
	SupportSaleRealTimeVerify YesNo    `json:"supportSaleRealTimeVerify,omitempty"`
}

// CancelRedemptionResult is the answer of CancelRedemption.
type CancelRedemptionResult struct {
	// OuterOrderID is the order the codes were made for (outerOrderId),
	// read beside content, where page cfa08 prints it, or from content.
	OuterOrderID string
	// CreateTime is when e-Buy cancelled the redemption (createTime), Beijing
	// time, read like OuterOrderID.
	CreateTime time.Time
	// Meta describes the exchange; Meta.Raw keeps the per-code details, whose
	// shape e-Buy's page does not show.
	Meta couponkit.Meta `json:"-"`
}

// cancelAnswer is the whole verify-verifyCancel answer: outerOrderId and
// createTime beside content (page cfa08) or in it.
type cancelAnswer struct {
	wireOrderTime
	Content *wireOrderTime `json:"content"`
}

// wireOrderTime is an outerOrderId and a createTime.
type wireOrderTime struct {
	OuterOrderID string          `json:"outerOrderId"`
	CreateTime   wiretype.Millis `json:"createTime"`
}

// orderTime returns outerOrderId and createTime from beside content, each
// from content where it is not beside it.
func orderTime(top wireOrderTime, content *wireOrderTime) (string, time.Time) {
	id, at := top.OuterOrderID, time.Time(top.CreateTime)
	if content != nil {
		id = cmp.Or(id, content.OuterOrderID)
		if at.IsZero() {
			at = time.Time(content.CreateTime)
		}
	}
	return id, at
}

// Complete reports a success with neither outerOrderId nor createTime,
// both required on page cfa08.
func (a *cancelAnswer) Complete() error {
	if id, at := orderTime(a.wireOrderTime, a.Content); id == "" && at.IsZero() {
		return transport.Missing("outerOrderId or createTime")
	}
	return nil
}

const apiCancelRedemption = "verify-verifyCancel"

// opCancelRedemption (verify-verifyCancel): Keyed on the uuid (assumed).
var opCancelRedemption = &transport.Op{Name: apiCancelRedemption, Path: apiPrefix + apiCancelRedemption, Class: transport.Keyed, KeyName: "uuid", NewKey: defaultUUID}

var _ = registry.Add(transport.Describe(Vendor, opCancelRedemption, (*Client).CancelRedemption, "cancels a redemption: its codes become usable again"))

// verify-verifyCancel's page (cfa08) prints the action verifyCancel.
var _ = pageActions.add(opCancelRedemption, "verifyCancel")

// CancelRedemption cancels a redemption (verify-verifyCancel): the codes
// become usable again.
//
// It is a keyed write on its own uuid (req.UUID or a fresh one kept for every
// attempt), assuming e-Buy de-duplicates by uuid. A success answer with
// neither outerOrderId nor createTime (both required on page cfa08) is
// unreadable: retried with the same uuid, then an unknown outcome with it.
func (c *Client) CancelRedemption(ctx context.Context, req *CancelRedemptionRequest) (*CancelRedemptionResult, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	uuid, err := c.ep.Key(opCancelRedemption, "UUID", req.UUID)
	if err != nil {
		return nil, err
	}
	var a cancelAnswer
	meta, err := transport.Send(ctx, &c.typed, opCancelRedemption, uuid, req.params(), &a)
	if err != nil {
		return nil, err
	}
	res := &CancelRedemptionResult{Meta: meta}
	res.OuterOrderID, res.CreateTime = orderTime(a.wireOrderTime, a.Content)
	return res, nil
}

// StoreInfo is the shop where codes were redeemed (storeInfo).
type StoreInfo struct {
	// CityID is the id of the shop's city (cityId). Optional.
	CityID string
	// CityName is the name of the shop's city (cityName). Optional.
	CityName string
	// CompanyID is the id of the company managing the shop (companyId).
	// Optional.
	CompanyID string
	// CompanyName is the name of that company (companyName). Optional.
	CompanyName string
	// MerchantID is the merchant number (merchantId). Optional.
	MerchantID string
	// ShopName is the shop's name (shopName). Required in SyncRedemptions.
	ShopName string
	// ShopNo is the shop number (shopNo). Required in SyncRedemptions.
	ShopNo string
	// TerminalID is the terminal number (terminalId). Optional.
	TerminalID string
}

// wireStoreInfo is storeInfo: StoreInfo's fields, in the same order, with
// their wire names (in ASCII order).
type wireStoreInfo struct {
	CityID      string `json:"cityId,omitempty"`
	CityName    string `json:"cityName,omitempty"`
	CompanyID   string `json:"companyId,omitempty"`
	CompanyName string `json:"companyName,omitempty"`
	MerchantID  string `json:"merchantId,omitempty"`
	ShopName    string `json:"shopName"`
	ShopNo      string `json:"shopNo"`
	TerminalID  string `json:"terminalId,omitempty"`
}

// SyncRedemptionsRequest reports codes redeemed outside e-Buy
// (verify-syncVerifyNotify, 三方码批量核销通知).
type SyncRedemptionsRequest struct {
	// UUID is the request's uuid; empty means a fresh one, kept for every attempt.
	UUID string
	// CashierTransNo is the till's transaction number, unique in the partner's
	// system (cashierTransNo). It is the idempotency key: e-Buy de-duplicates
	// on it for the day. Required.
	CashierTransNo string
	// BrandID is the shop's brand (brandId). Required here or in Config.BrandID.
	BrandID string
	// Codes are the redeemed codes (codeList, sent as an array of strings:
	// assumed, e-Buy's page does not show its items). Required.
	Codes []string
	// Scene is the redemption scene (verifyScene), such as "online". Required.
	Scene string
	// Store is the shop. ShopNo and ShopName are required.
	Store StoreInfo
	// Extension is brand-specific data (extension). Optional.
	Extension string
	// SaleRealTimeVerify is supportSaleRealTimeVerify; empty leaves e-Buy's
	// default (N for this call, by its page).
	SaleRealTimeVerify YesNo
}

// validate checks r; defaultBrand is Config.BrandID.
func (r *SyncRedemptionsRequest) validate(defaultBrand string) error {
	if r == nil {
		return couponkit.Invalid("SyncRedemptionsRequest", "is nil")
	}
	if err := checkUUID("UUID", r.UUID, maxUUIDLen); err != nil {
		return err
	}
	if r.CashierTransNo == "" {
		return couponkit.Invalid("CashierTransNo", "is required: it is the idempotency key (cashierTransNo)")
	}
	if err := checkUUID("CashierTransNo", r.CashierTransNo, 64); err != nil {
		return err
	}
	if cmp.Or(r.BrandID, defaultBrand) == "" {
		return couponkit.Invalid("BrandID", "required (in the request or Config.BrandID)")
	}
	if err := checkCodes("Codes", r.Codes, true); err != nil {
		return err
	}
	switch {
	case r.Scene == "":
		return couponkit.Invalid("Scene", "required")
	case r.Store.ShopNo == "":
		return couponkit.Invalid("Store.ShopNo", "required")
	case r.Store.ShopName == "":
		return couponkit.Invalid("Store.ShopName", "required")
	}
	return checkYesNo("SaleRealTimeVerify", r.SaleRealTimeVerify)
}

// syncParams is verify-syncVerifyNotify's content, fields in ASCII order
// of their tags.
type syncParams struct {
	BrandID                   string        `json:"brandId"`
	CashierTransNo            string        `json:"cashierTransNo"`
	CodeList                  []string      `json:"codeList"`
	Extension                 string        `json:"extension,omitempty"`
	StoreInfo                 wireStoreInfo `json:"storeInfo"`
	SupportSaleRealTimeVerify YesNo         `json:"supportSaleRealTimeVerify,omitempty"`
	VerifyScene               string        `json:"verifyScene"`
}

// SyncRedemptionsResult is the answer of SyncRedemptions.
type SyncRedemptionsResult struct {
	// Codes are e-Buy's per-code results (verifyCodeList: the list's name and
	// fields are assumed, modelled on the answer of the matching void call;
	// page 9872e-Axn prints the name only as far as "verifyCode", so any
	// array member of content so named is read when verifyCodeList is not
	// there).
	Codes []RedeemedCode
	// Meta describes the exchange; Meta.Raw keeps the whole answer.
	Meta couponkit.Meta `json:"-"`
}

// RedeemedCode is e-Buy's account of one redeemed code.
type RedeemedCode struct {
	// Code is the code.
	Code string
	// TicketID is the code's batch (ticketId).
	TicketID TicketID
	// TicketName is the batch's name (ticketName).
	TicketName string
	// Amount is the code's amount, in fen.
	Amount couponkit.Fen
	// Status and StatusDescription are e-Buy's per-code outcome (status,
	// statusDesc).
	Status, StatusDescription string
}

// syncAnswer is verify-syncVerifyNotify's content: its per-code list.
type syncAnswer struct {
	VerifyCodeList []wireRedeemed
}

// verifyListPrefix is how the name of verify-syncVerifyNotify's per-code
// list begins: page 9872e-Axn prints content's member only as far as
// "verifyCode".
const verifyListPrefix = "verifyCode"

// UnmarshalJSON decodes the per-code list from verifyCodeList or, when that
// is absent or empty, from the first non-empty array member whose name
// begins with verifyListPrefix: the page does not print the list's full
// name. The list itself is decoded by encoding/json.
func (a *syncAnswer) UnmarshalJSON(b []byte) error {
	var list []byte
	jsonx.EachMember(b, func(name, value []byte) bool {
		if !strings.HasPrefix(string(name), verifyListPrefix) || value[0] != '[' || isEmptyArray(value) {
			return true
		}
		if string(name) == "verifyCodeList" {
			list = value
			return false
		}
		if list == nil {
			list = value
		}
		return true
	})
	if list == nil {
		return nil
	}
	return json.Unmarshal(list, &a.VerifyCodeList)
}

// isEmptyArray reports whether the JSON array v has no element.
func isEmptyArray(v []byte) bool {
	empty := true
	jsonx.EachElement(v, func([]byte) bool { empty = false; return false })
	return empty
}

// Complete reports a success without a per-code result: the call exists to
// report codes redeemed.
func (a *syncAnswer) Complete() error {
	if len(a.VerifyCodeList) == 0 {
		return transport.Missing("a per-code result in verifyCodeList")
	}
	return nil
}

// wireRedeemed is a per-code result of verify-syncVerifyNotify and
// verify-syncVerifyVoidNotify.
type wireRedeemed struct {
	Code       string       `json:"code"`
	TicketID   wiretype.Int `json:"ticketId"`
	TicketName string       `json:"ticketName"`
	Amount     wiretype.Fen `json:"amount"`
	Status     string       `json:"status"`
	StatusDesc string       `json:"statusDesc"`
}

// redeemedCodes returns list as RedeemedCodes.
func redeemedCodes(list []wireRedeemed) []RedeemedCode {
	out := make([]RedeemedCode, len(list))
	for i, r := range list {
		out[i] = RedeemedCode{Code: r.Code, TicketID: TicketID(r.TicketID), TicketName: r.TicketName,
			Amount: couponkit.Fen(r.Amount), Status: r.Status, StatusDescription: r.StatusDesc}
	}
	return out
}

const apiSyncRedemptions = "verify-syncVerifyNotify"

// opSyncRedemptions (verify-syncVerifyNotify): Keyed on cashierTransNo,
// which e-Buy documents as de-duplicated for the day. The caller gives
// it; the uuid is fixed for the logical call too.
var opSyncRedemptions = &transport.Op{Name: apiSyncRedemptions, Path: apiPrefix + apiSyncRedemptions, Class: transport.Keyed, KeyName: "cashierTransNo"}

var _ = registry.Add(transport.Describe(Vendor, opSyncRedemptions, (*Client).SyncRedemptions, "reports codes redeemed at a till outside e-Buy"))

// verify-syncVerifyNotify's page (9872e-Axn) prints the action codeVerifyNotify.
var _ = pageActions.add(opSyncRedemptions, "codeVerifyNotify")

// SyncRedemptions reports codes redeemed outside e-Buy
// (verify-syncVerifyNotify); e-Buy marks them used.
//
// It is a keyed write whose idempotency key is req.CashierTransNo (e-Buy
// de-duplicates on it for the day): a retry resends the same CashierTransNo
// and uuid, and an unknown outcome reports CashierTransNo as the key. A
// success answer without a per-code result is unreadable: retried, then an
// unknown outcome with CashierTransNo.
func (c *Client) SyncRedemptions(ctx context.Context, req *SyncRedemptionsRequest) (*SyncRedemptionsResult, error) {
	if err := req.validate(c.brandID); err != nil {
		return nil, err
	}
	p := &syncParams{
		BrandID: cmp.Or(req.BrandID, c.brandID), CashierTransNo: req.CashierTransNo, CodeList: req.Codes, Extension: req.Extension,
		StoreInfo: wireStoreInfo(req.Store), SupportSaleRealTimeVerify: req.SaleRealTimeVerify, VerifyScene: req.Scene,
	}
	var a syncAnswer
	meta, err := transport.Send(ctx, c.typedWithUUID(req.UUID), opSyncRedemptions, req.CashierTransNo, p, &a)
	if err != nil {
		return nil, err
	}
	return &SyncRedemptionsResult{Codes: redeemedCodes(a.VerifyCodeList), Meta: meta}, nil
}

func checkYesNo(field string, v YesNo) error {
	if v != "" && v != Yes && v != No {
		return couponkit.Invalid(field, "must be Y, N or empty")
	}
	return nil
}
