package ebuy

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/jsonx"
)

const (
	apiCancelRedemption = "verify-verifyCancel"
	apiSyncRedemptions  = "verify-syncVerifyNotify"
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

// cancelContent is verify-verifyCancel's content, fields in ASCII order.
type cancelContent struct {
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

// wireCancel is the verify-verifyCancel answer: outerOrderId and createTime
// beside content (page cfa08) or in it.
type wireCancel struct {
	wireOrderTime
	Content *wireOrderTime `json:"content"`
}

// wireOrderTime is an outerOrderId and a createTime.
type wireOrderTime struct {
	OuterOrderID string   `json:"outerOrderId"`
	CreateTime   wireTime `json:"createTime"`
}

// orderTime returns outerOrderId and createTime from beside content, each
// from content where it is not beside it.
func orderTime(top wireOrderTime, content *wireOrderTime) (string, time.Time) {
	id, at := top.OuterOrderID, time.Time(top.CreateTime)
	if content != nil {
		if id == "" {
			id = content.OuterOrderID
		}
		if at.IsZero() {
			at = time.Time(content.CreateTime)
		}
	}
	return id, at
}

// CancelRedemption cancels a redemption (verify-verifyCancel): the codes
// become usable again.
//
// It is a keyed write on its own uuid (req.UUID or a fresh one kept for every
// attempt), assuming e-Buy de-duplicates by uuid. A success answer with
// neither outerOrderId nor createTime (both required on page cfa08) is
// unreadable: retried with the same uuid, then an unknown outcome with it.
func (c *Client) CancelRedemption(ctx context.Context, req *CancelRedemptionRequest) (*CancelRedemptionResult, error) {
	if req == nil {
		return nil, couponkit.Invalid("req", "required")
	}
	if err := checkUUID("UUID", req.UUID, maxUUIDLen); err != nil {
		return nil, err
	}
	if len(req.OriginalUUID) < 10 {
		return nil, couponkit.Invalid("OriginalUUID", "required, at least 10 characters")
	}
	if err := checkUUID("OriginalUUID", req.OriginalUUID, 64); err != nil {
		return nil, err
	}
	if err := checkCodes("Codes", req.Codes, false); err != nil {
		return nil, err
	}
	if err := checkYesNo("SaleRealTimeVerify", req.SaleRealTimeVerify); err != nil {
		return nil, err
	}
	if err := checkTime("OriginalVerifyDate", req.OriginalVerifyDate); err != nil {
		return nil, err
	}
	uuid, err := c.ep.Key(opCancelRedemption, "UUID", req.UUID)
	if err != nil {
		return nil, err
	}
	w := &cancelContent{Codes: req.Codes, IsAtomicity: yes(req.Atomic), OriginalUUID: req.OriginalUUID, SupportSaleRealTimeVerify: req.SaleRealTimeVerify}
	if !req.OriginalVerifyDate.IsZero() {
		w.OriginalVerifyDate = req.OriginalVerifyDate.In(cntime.Location()).Format(dateLayout)
	}
	content, err := encode(w)
	if err != nil {
		return nil, err
	}
	var (
		orderID string
		at      time.Time
	)
	meta, err := c.ep.Invoke(ctx, opCancelRedemption, uuid, c.newRequest(opCancelRedemption, "", uuid, content), func(answer []byte) error {
		var out wireCancel
		if err := json.Unmarshal(answer, &out); err != nil {
			return err
		}
		orderID, at = orderTime(out.wireOrderTime, out.Content)
		if orderID == "" && at.IsZero() {
			return emptySuccess("outerOrderId and createTime")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &CancelRedemptionResult{OuterOrderID: orderID, CreateTime: at, Meta: meta}, nil
}

// StoreInfo is the shop where codes were redeemed (storeInfo). Fields are
// declared in the ASCII order of their JSON names.
type StoreInfo struct {
	// CityID is the id of the shop's city. Optional.
	CityID string `json:"cityId,omitempty"`
	// CityName is the name of the shop's city. Optional.
	CityName string `json:"cityName,omitempty"`
	// CompanyID is the id of the company managing the shop. Optional.
	CompanyID string `json:"companyId,omitempty"`
	// CompanyName is the name of that company. Optional.
	CompanyName string `json:"companyName,omitempty"`
	// MerchantID is the merchant number. Optional.
	MerchantID string `json:"merchantId,omitempty"`
	// ShopName is the shop's name. Required in SyncRedemptions.
	ShopName string `json:"shopName"`
	// ShopNo is the shop number. Required in SyncRedemptions.
	ShopNo string `json:"shopNo"`
	// TerminalID is the terminal number. Optional.
	TerminalID string `json:"terminalId,omitempty"`
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

// syncContent is verify-syncVerifyNotify's content, fields in ASCII order.
type syncContent struct {
	BrandID                   string    `json:"brandId"`
	CashierTransNo            string    `json:"cashierTransNo"`
	CodeList                  []string  `json:"codeList"`
	Extension                 string    `json:"extension,omitempty"`
	StoreInfo                 StoreInfo `json:"storeInfo"`
	SupportSaleRealTimeVerify YesNo     `json:"supportSaleRealTimeVerify,omitempty"`
	VerifyScene               string    `json:"verifyScene"`
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

type wireSync struct {
	VerifyCodeList []wireRedeemed `json:"verifyCodeList"`
}

// verifyListPrefix is how the name of verify-syncVerifyNotify's per-code
// list begins: page 9872e-Axn prints content's member only as far as
// "verifyCode".
const verifyListPrefix = "verifyCode"

// decode reads verify-syncVerifyNotify's content into w: the per-code list
// from verifyCodeList or, failing that, from the first array member whose
// name begins with verifyListPrefix. A success without a per-code entry is
// unreadable.
func (w *wireSync) decode(content []byte) error {
	w.VerifyCodeList = nil // an earlier attempt's answer counts for nothing
	if content == nil {
		return emptySuccess("content (verifyCodeList)")
	}
	if err := json.Unmarshal(content, w); err != nil {
		return err
	}
	if len(w.VerifyCodeList) == 0 {
		var list []byte
		jsonx.EachMember(content, func(name, value []byte) bool {
			if strings.HasPrefix(string(name), verifyListPrefix) && len(value) > 0 && value[0] == '[' {
				list = value
				return false
			}
			return true
		})
		if list != nil {
			if err := json.Unmarshal(list, &w.VerifyCodeList); err != nil {
				return err
			}
		}
	}
	if len(w.VerifyCodeList) == 0 {
		return emptySuccess("a per-code result in verifyCodeList")
	}
	return nil
}

type wireRedeemed struct {
	Code       string   `json:"code"`
	TicketID   TicketID `json:"ticketId"`
	TicketName string   `json:"ticketName"`
	Amount     count    `json:"amount"`
	Status     string   `json:"status"`
	StatusDesc string   `json:"statusDesc"`
}

// SyncRedemptions reports codes redeemed outside e-Buy
// (verify-syncVerifyNotify); e-Buy marks them used.
//
// It is a keyed write whose idempotency key is req.CashierTransNo (e-Buy
// de-duplicates on it for the day): a retry resends the same CashierTransNo
// and uuid, and an unknown outcome reports CashierTransNo as the key. A
// success answer without a per-code result is unreadable: retried, then an
// unknown outcome with CashierTransNo.
func (c *Client) SyncRedemptions(ctx context.Context, req *SyncRedemptionsRequest) (*SyncRedemptionsResult, error) {
	if req == nil {
		return nil, couponkit.Invalid("req", "required")
	}
	if err := checkUUID("UUID", req.UUID, maxUUIDLen); err != nil {
		return nil, err
	}
	key, err := c.ep.Key(opSyncRedemptions, "CashierTransNo", req.CashierTransNo)
	if err != nil {
		return nil, err
	}
	if err := checkUUID("CashierTransNo", key, 64); err != nil {
		return nil, err
	}
	brand := c.brand(req.BrandID)
	if brand == "" {
		return nil, couponkit.Invalid("BrandID", "required (in the request or Config.BrandID)")
	}
	if err := checkCodes("Codes", req.Codes, true); err != nil {
		return nil, err
	}
	if req.Scene == "" {
		return nil, couponkit.Invalid("Scene", "required")
	}
	if req.Store.ShopNo == "" {
		return nil, couponkit.Invalid("Store.ShopNo", "required")
	}
	if req.Store.ShopName == "" {
		return nil, couponkit.Invalid("Store.ShopName", "required")
	}
	if err := checkYesNo("SaleRealTimeVerify", req.SaleRealTimeVerify); err != nil {
		return nil, err
	}
	content, err := encode(&syncContent{
		BrandID: brand, CashierTransNo: req.CashierTransNo, CodeList: req.Codes, Extension: req.Extension,
		StoreInfo: req.Store, SupportSaleRealTimeVerify: req.SaleRealTimeVerify, VerifyScene: req.Scene,
	})
	if err != nil {
		return nil, err
	}
	uuid := req.UUID
	if uuid == "" {
		uuid = c.newUUID()
	}
	var out wireSync
	meta, err := c.ep.Invoke(ctx, opSyncRedemptions, key, c.newRequest(opSyncRedemptions, "", uuid, content), out.decode)
	if err != nil {
		return nil, err
	}
	res := &SyncRedemptionsResult{Meta: meta}
	for _, r := range out.VerifyCodeList {
		res.Codes = append(res.Codes, RedeemedCode{Code: r.Code, TicketID: r.TicketID, TicketName: r.TicketName,
			Amount: couponkit.Fen(r.Amount), Status: r.Status, StatusDescription: r.StatusDesc})
	}
	return res, nil
}

func checkYesNo(field string, v YesNo) error {
	if v != "" && v != Yes && v != No {
		return couponkit.Invalid(field, "must be Y, N or empty")
	}
	return nil
}
