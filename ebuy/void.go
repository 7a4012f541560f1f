package ebuy

import (
	"context"
	"encoding/json"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/transport"
)

const (
	apiCancelSynced = "verify-syncVerifyVoidNotify"
	apiVoidMerchant = "verify-codeVerifyVoidNotify"
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

// wireCancelSynced is the verify-syncVerifyVoidNotify answer as page 9de6d
// prints it (outerOrderId and createTime beside content) or with them in
// content.
type wireCancelSynced struct {
	wireOrderTime
	Content *struct {
		wireOrderTime
		VoidNotifyResultBOList []wireRedeemed `json:"voidNotifyResultBOList"`
	} `json:"content"`
}

// decode reads the whole answer into w: a success must list the codes taken
// back, each one the request named when it named codes (the page's answer
// carries no uuid to tie it to the request).
func (w *wireCancelSynced) decode(answer []byte, asked []string) error {
	*w = wireCancelSynced{} // an earlier attempt's answer counts for nothing
	if err := json.Unmarshal(answer, w); err != nil {
		return err
	}
	if w.Content == nil || len(w.Content.VoidNotifyResultBOList) == 0 {
		return emptySuccess("a code in content.voidNotifyResultBOList")
	}
	if len(asked) > 0 {
		for _, r := range w.Content.VoidNotifyResultBOList {
			if !slices.Contains(asked, r.Code) {
				return transport.Unreadable(couponkit.FaultUnknown, "success answer lists code "+r.Code+", which the request did not name", nil)
			}
		}
	}
	return nil
}

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
	if req == nil {
		return nil, couponkit.Invalid("req", "required")
	}
	if err := checkUUID("UUID", req.UUID, maxUUIDLen); err != nil {
		return nil, err
	}
	if req.CashierTransNo == "" {
		return nil, couponkit.Invalid("CashierTransNo", "required: the CashierTransNo of the SyncRedemptions call to take back")
	}
	if err := checkUUID("CashierTransNo", req.CashierTransNo, 64); err != nil {
		return nil, err
	}
	if err := checkCodes("Codes", req.Codes, false); err != nil {
		return nil, err
	}
	brand := c.brand(req.BrandID)
	if brand == "" {
		return nil, couponkit.Invalid("BrandID", "required (in the request or Config.BrandID)")
	}
	if err := checkYesNo("SaleRealTimeVerify", req.SaleRealTimeVerify); err != nil {
		return nil, err
	}
	uuid, err := c.ep.Key(opCancelSynced, "UUID", req.UUID)
	if err != nil {
		return nil, err
	}
	// A map, for the configurable brand key; maps encode with sorted keys,
	// so the text stays canonical.
	content := map[string]any{"originalUuid": req.CashierTransNo, c.syncVoidBrandKey: brand}
	if len(req.Codes) > 0 {
		content["codes"] = req.Codes
	}
	if req.SaleRealTimeVerify != "" {
		content["supportSaleRealTimeVerify"] = req.SaleRealTimeVerify
	}
	body, err := encode(content)
	if err != nil {
		return nil, err
	}
	var out wireCancelSynced
	meta, err := c.ep.Invoke(ctx, opCancelSynced, uuid, c.newRequest(opCancelSynced, "", uuid, body), func(answer []byte) error {
		return out.decode(answer, req.Codes)
	})
	if err != nil {
		return nil, err
	}
	res := &CancelSyncedRedemptionsResult{Meta: meta, Codes: make([]RedeemedCode, 0, len(out.Content.VoidNotifyResultBOList))}
	res.OuterOrderID, res.CreateTime = orderTime(out.wireOrderTime, &out.Content.wireOrderTime)
	for _, r := range out.Content.VoidNotifyResultBOList {
		res.Codes = append(res.Codes, RedeemedCode{Code: r.Code, TicketID: r.TicketID, TicketName: r.TicketName,
			Amount: couponkit.Fen(r.Amount), Status: r.Status, StatusDescription: r.StatusDesc})
	}
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

// voidMerchantContent is verify-codeVerifyVoidNotify's content, fields in
// ASCII order.
type voidMerchantContent struct {
	Code              string `json:"code"`
	OriginalRequestID string `json:"originalRequestId,omitempty"`
	RequestID         string `json:"requestId"`
	VoidTime          string `json:"voidTime"`
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

type wireVoidMerchant struct {
	Status       string `json:"status"`
	StatusDesc   string `json:"statusDesc"`
	OrderRemarks string `json:"orderRemarks"`
}

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
	if req == nil {
		return nil, couponkit.Invalid("req", "required")
	}
	if err := checkUUID("RequestID", req.RequestID, maxUUIDLen); err != nil {
		return nil, err
	}
	if req.Code == "" || !utf8.ValidString(req.Code) {
		return nil, couponkit.Invalid("Code", "required, valid UTF-8")
	}
	if err := checkUUID("OriginalRequestID", req.OriginalRequestID, 64); err != nil {
		return nil, err
	}
	if err := checkTime("VoidTime", req.VoidTime); err != nil {
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
	body, err := encode(&voidMerchantContent{Code: req.Code, OriginalRequestID: req.OriginalRequestID, RequestID: key, VoidTime: compactTime(at)})
	if err != nil {
		return nil, err
	}
	uuid := c.newUUID()
	var out wireVoidMerchant
	meta, err := c.ep.Invoke(ctx, opVoidMerchant, key, c.newRequest(opVoidMerchant, "", uuid, body), func(b []byte) error {
		out = wireVoidMerchant{} // an earlier attempt's answer counts for nothing
		if b == nil {
			return emptySuccess("content (status)")
		}
		if err := json.Unmarshal(b, &out); err != nil {
			return err
		}
		if out.Status == "" {
			return emptySuccess("status")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &VoidMerchantRedemptionResult{RequestID: key, Status: out.Status, StatusDescription: out.StatusDesc, OrderRemarks: out.OrderRemarks, Meta: meta}, nil
}
