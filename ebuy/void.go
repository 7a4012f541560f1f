package ebuy

import (
	"cmp"
	"context"
	"time"
	"unicode/utf8"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/internal/wiretype"
)

// DefaultSyncVoidBrandKey is the content key of the brand in
// verify-syncVerifyVoidNotify when Config.SyncVoidBrandKey is empty:
// "branId", as e-Buy's page prints it (its sibling verify-syncVerifyNotify
// says brandId).
const DefaultSyncVoidBrandKey = "branId"

// CancelSyncedRedemptionsRequest takes back redemptions reported with
// SyncRedemptions (verify-syncVerifyVoidNotify, 三方码批量核销撤销通知), such
// as after a refund at the till.
type CancelSyncedRedemptionsRequest struct {
	// UUID is the request's uuid and idempotency key; empty means a fresh
	// one, kept for every attempt. Reuse it to repeat a call whose outcome
	// is unknown.
	UUID string
	// CashierTransNo is the CashierTransNo of the SyncRedemptions call to
	// take back (sent as originalUuid, as e-Buy's page says). Required, at
	// most 64 characters.
	CashierTransNo string
	// Codes are the codes to restore (codes). Empty takes back every code
	// of that report.
	Codes []string
	// BrandID is the shop's brand (branId, see Config.SyncVoidBrandKey).
	// Required here or in Config.BrandID.
	BrandID string
	// SaleRealTimeVerify is supportSaleRealTimeVerify; empty leaves e-Buy's
	// default (no, by its page).
	SaleRealTimeVerify YesNo
}

// CancelSyncedRedemptionsResult is the answer of CancelSyncedRedemptions.
type CancelSyncedRedemptionsResult struct {
	// Codes are e-Buy's per-code results (content.voidNotifyResultBOList).
	// Never empty: a success without them is unreadable.
	Codes []RedeemedCode
	// OuterOrderID is the order the codes were made for (outerOrderId), read
	// beside content, where page 9de6d prints it, or from content.
	OuterOrderID string
	// CreateTime is when e-Buy took the redemptions back (createTime),
	// Beijing time, read like OuterOrderID.
	CreateTime time.Time
	// Meta describes the exchange; Meta.Raw keeps the whole answer.
	Meta couponkit.Meta `json:"-"`
}

// validate checks r; defaultBrand is Config.BrandID.
func (r *CancelSyncedRedemptionsRequest) validate(defaultBrand string) error {
	if r == nil {
		return couponkit.Invalid("CancelSyncedRedemptionsRequest", "is nil")
	}
	if err := checkUUID("UUID", r.UUID, maxUUIDLen); err != nil {
		return err
	}
	if r.CashierTransNo == "" {
		return couponkit.Invalid("CashierTransNo", "required: the CashierTransNo of the SyncRedemptions call to take back")
	}
	if err := checkUUID("CashierTransNo", r.CashierTransNo, 64); err != nil {
		return err
	}
	if err := checkCodes("Codes", r.Codes, false); err != nil {
		return err
	}
	if cmp.Or(r.BrandID, defaultBrand) == "" {
		return couponkit.Invalid("BrandID", "required (in the request or Config.BrandID)")
	}
	return checkYesNo("SaleRealTimeVerify", r.SaleRealTimeVerify)
}

// cancelSyncedParams is verify-syncVerifyVoidNotify's content. It is a map
// because the brand's key is Config.SyncVoidBrandKey (the page's "branId",
// or another spelling); encoding/json writes a map's keys sorted, so the
// text is canonical like that of the other calls' structs.
type cancelSyncedParams map[string]any

// params returns verify-syncVerifyVoidNotify's content with the brand under
// brandKey.
func (r *CancelSyncedRedemptionsRequest) params(brandKey, brand string) cancelSyncedParams {
	p := cancelSyncedParams{"originalUuid": r.CashierTransNo, brandKey: brand}
	if len(r.Codes) > 0 {
		p["codes"] = r.Codes
	}
	if r.SaleRealTimeVerify != "" {
		p["supportSaleRealTimeVerify"] = r.SaleRealTimeVerify
	}
	return p
}

// cancelSyncedAnswer is the whole verify-syncVerifyVoidNotify answer as
// page 9de6d prints it (outerOrderId and createTime beside content) or with
// them in content. The codes it lists are checked against the request's
// before it is decoded (see tie).
type cancelSyncedAnswer struct {
	wireOrderTime
	Content *cancelSyncedContent `json:"content"`
}

type cancelSyncedContent struct {
	wireOrderTime
	VoidNotifyResultBOList []wireRedeemed `json:"voidNotifyResultBOList"`
}

// Complete reports a success that lists no code taken back.
func (a *cancelSyncedAnswer) Complete() error {
	if a.Content == nil || len(a.Content.VoidNotifyResultBOList) == 0 {
		return transport.Missing("a code in content.voidNotifyResultBOList")
	}
	return nil
}

const apiCancelSynced = "verify-syncVerifyVoidNotify"

// opCancelSynced (verify-syncVerifyVoidNotify): Keyed on the uuid
// (assumed, like every write); e-Buy's page names no key of the void
// itself, and originalUuid names the report taken back, not the request.
var opCancelSynced = &transport.Op{Name: apiCancelSynced, Path: apiPrefix + apiCancelSynced, Class: transport.Keyed, KeyName: "uuid", NewKey: defaultUUID}

var _ = registry.Add(transport.Describe(Vendor, opCancelSynced, (*Client).CancelSyncedRedemptions, "takes back redemptions reported with SyncRedemptions"))

// verify-syncVerifyVoidNotify's page (9de6d) prints the action codeVerifyVoidNotify.
var _ = pageActions.add(opCancelSynced, "codeVerifyVoidNotify")

// CancelSyncedRedemptions takes back redemptions reported with
// SyncRedemptions (verify-syncVerifyVoidNotify, action
// codeVerifyVoidNotify): the codes become usable again.
//
// It is a keyed write on its uuid (req.UUID, or a fresh one kept for every
// attempt), assuming e-Buy de-duplicates by uuid as for every write (see the
// package doc); e-Buy's page names no other key for the void itself. Once an
// attempt may have been applied (a dropped connection, a 5xx, an unreadable
// answer), a retry e-Buy refuses, such as with ErrCodeInvalidTransition
// because the codes were already taken back by that attempt, is an unknown
// outcome with the uuid (couponkit.ErrUnknownOutcome), unwrapping to the
// refusal: check the codes before sending it again.
//
// Page 9de6d prints the answer without success and uuid. A verified answer
// without success is read as the page's own logic reads it: an empty
// errorCode is a success, any other errorCode a failure with that code (an
// unsigned answer without success stays unreadable). Its uuid may be absent,
// but a uuid that is present must be the request's. A success must list the
// codes taken back (content.voidNotifyResultBOList), each one of req.Codes
// when req.Codes is not empty; otherwise it is unreadable: retried with the
// same uuid, then an unknown outcome with it.
func (c *Client) CancelSyncedRedemptions(ctx context.Context, req *CancelSyncedRedemptionsRequest) (*CancelSyncedRedemptionsResult, error) {
	if err := req.validate(c.brandID); err != nil {
		return nil, err
	}
	uuid, err := c.ep.Key(opCancelSynced, "UUID", req.UUID)
	if err != nil {
		return nil, err
	}
	var a cancelSyncedAnswer
	meta, err := transport.Send(ctx, &c.typed, opCancelSynced, uuid, req.params(c.syncVoidBrandKey, cmp.Or(req.BrandID, c.brandID)), &a)
	if err != nil {
		return nil, err
	}
	res := &CancelSyncedRedemptionsResult{Codes: redeemedCodes(a.Content.VoidNotifyResultBOList), Meta: meta}
	res.OuterOrderID, res.CreateTime = orderTime(a.wireOrderTime, &a.Content.wireOrderTime)
	return res, nil
}

// VoidMerchantRedemptionRequest reports that a redemption a code merchant
// (码商) recorded was voided (verify-codeVerifyVoidNotify, 码商核销撤销通知):
// one code at a time.
type VoidMerchantRedemptionRequest struct {
	// RequestID is the void's serial number (requestId) and the call's
	// idempotency key; empty means a fresh one (yyyyMMdd-<32 hex>), kept
	// for every attempt. Reuse it to repeat a call whose outcome is
	// unknown. At most 50 characters.
	RequestID string
	// Code is the code whose redemption is voided (code). Required.
	Code string
	// OriginalRequestID is the code merchant's id of the redemption to void
	// (originalRequestId). Optional: without it e-Buy voids the code's
	// redemptions latest first, by its page. Give it where you can: without
	// it, a retry whose first attempt went through is safe only if e-Buy
	// de-duplicates requestId; otherwise it would void the code's previous
	// redemption, if it has one.
	OriginalRequestID string
	// VoidTime is when the redemption was voided (voidTime), sent in Beijing
	// time as yyyyMMddHHmmss (format assumed). Default: the time of the call.
	VoidTime time.Time
}

func (r *VoidMerchantRedemptionRequest) validate() error {
	if r == nil {
		return couponkit.Invalid("VoidMerchantRedemptionRequest", "is nil")
	}
	if err := checkUUID("RequestID", r.RequestID, maxUUIDLen); err != nil {
		return err
	}
	if r.Code == "" || !utf8.ValidString(r.Code) {
		return couponkit.Invalid("Code", "required, valid UTF-8")
	}
	if err := checkUUID("OriginalRequestID", r.OriginalRequestID, 64); err != nil {
		return err
	}
	return wiretype.CheckYear("VoidTime", r.VoidTime)
}

// voidMerchantParams is verify-codeVerifyVoidNotify's content, fields in
// ASCII order of their tags; voidTime is always sent.
type voidMerchantParams struct {
	Code              string               `json:"code"`
	OriginalRequestID string               `json:"originalRequestId,omitempty"`
	RequestID         string               `json:"requestId"`
	VoidTime          wiretype.CompactTime `json:"voidTime"`
}

// VoidMerchantRedemptionResult is the answer of VoidMerchantRedemption.
type VoidMerchantRedemptionResult struct {
	// RequestID is the void's requestId, the call's idempotency key.
	RequestID string
	// Status and StatusDescription are e-Buy's outcome (status, statusDesc).
	Status, StatusDescription string
	// OrderRemarks is e-Buy's remark on the order (orderRemarks).
	OrderRemarks string
	// Meta describes the exchange; Meta.Raw keeps the whole answer.
	Meta couponkit.Meta `json:"-"`
}

// voidMerchantAnswer is verify-codeVerifyVoidNotify's content (page 6c988).
type voidMerchantAnswer struct {
	Status       string `json:"status"`
	StatusDesc   string `json:"statusDesc"`
	OrderRemarks string `json:"orderRemarks"`
}

// Complete reports a success without status, which page 6c988 marks
// required: the call exists to learn the void's outcome.
func (a *voidMerchantAnswer) Complete() error {
	if a.Status == "" {
		return transport.Missing("status")
	}
	return nil
}

const apiVoidMerchant = "verify-codeVerifyVoidNotify"

// opVoidMerchant (verify-codeVerifyVoidNotify): Keyed on requestId, the
// void's serial number (e-Buy refuses a repeated serial number with
// ErrCodeDuplicateSerial, which is why that code marks the refusal
// couponkit.AlreadyApplied); the uuid is fixed for the logical call too.
var opVoidMerchant = &transport.Op{Name: apiVoidMerchant, Path: apiPrefix + apiVoidMerchant, Class: transport.Keyed, KeyName: "requestId", NewKey: defaultUUID,
	AppliedCodes: []string{ErrCodeDuplicateSerial}}

var _ = registry.Add(transport.Describe(Vendor, opVoidMerchant, (*Client).VoidMerchantRedemption, "reports a code merchant's voided redemption of one code"))

// verify-codeVerifyVoidNotify's page (6c988) prints the action codeVerifyVoidNotify.
var _ = pageActions.add(opVoidMerchant, "codeVerifyVoidNotify")

// VoidMerchantRedemption reports one voided redemption of a code merchant
// (verify-codeVerifyVoidNotify, action codeVerifyVoidNotify): the code
// becomes usable again.
//
// It is a keyed write on requestId, the void's serial number: a retry
// resends the same requestId and uuid, and an unknown outcome reports
// requestId as the key. e-Buy's serial numbers are unique per transaction: a
// repeated one is refused with ErrCodeDuplicateSerial (32, "the serial number
// was used before; query instead", on its 4.0 pages [likely] for 4.1). Such a
// refusal is reported as couponkit.AlreadyApplied: after an attempt that may
// have been applied it ends the call as an unknown outcome (the void arrived
// before; its answer was lost), and on a first attempt it is a plain
// *couponkit.Error (the requestId of an earlier call was sent again). Either
// way, do not void again: look the code up. Any other refusal of a retry
// after such an attempt (ErrCodeInvalidTransition: the code is no longer
// redeemed, perhaps by that attempt) is an unknown outcome too, not marked.
// A success answer without status (required on page 6c988) is unreadable:
// retried, then an unknown outcome with requestId.
func (c *Client) VoidMerchantRedemption(ctx context.Context, req *VoidMerchantRedemptionRequest) (*VoidMerchantRedemptionResult, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	key, err := c.ep.Key(opVoidMerchant, "RequestID", req.RequestID)
	if err != nil {
		return nil, err
	}
	at := req.VoidTime
	if at.IsZero() {
		at = c.clock.Now()
	}
	p := &voidMerchantParams{Code: req.Code, OriginalRequestID: req.OriginalRequestID, RequestID: key, VoidTime: wiretype.CompactTime(at)}
	var a voidMerchantAnswer
	meta, err := transport.Send(ctx, &c.typed, opVoidMerchant, key, p, &a)
	if err != nil {
		return nil, err
	}
	return &VoidMerchantRedemptionResult{RequestID: key, Status: a.Status, StatusDescription: a.StatusDesc, OrderRemarks: a.OrderRemarks, Meta: meta}, nil
}
