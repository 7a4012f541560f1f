package taobaofilm

import (
	"context"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/internal/wiretype"
)

// MethodExportQuery is the TOP method of [Client.ExportCodes].
const MethodExportQuery = "taobao.film.fcode.export.query"

// ExportRequest asks for the codes of one batch (taobao.film.fcode.export.query).
type ExportRequest struct {
	// MixID is the batch's obfuscated goods id (mix_id, 码商品混淆ID). Required.
	MixID string
	// PartnerCode is the channel code (partner_code, 渠道编码). Required.
	PartnerCode string
	// OperateType is OperateAll or OperateConsume (operate_type). Required.
	OperateType OperateType
	// Params are extension members of the "params" JSON (扩展参数), sent
	// sorted by name; nil or empty sends no params unless a cursor is due.
	// It must not hold the cursor name when LastSequence is set.
	Params map[string]any
	// LastSequence is the cursor: the LastSequence of the page before the one
	// wanted, or nil for the first page. Where it is sent is Config.Cursor
	// [open]. Pages and Codes set it themselves, starting from this value.
	LastSequence *int64
}

// validate checks the request before anything is sent.
func (r *ExportRequest) validate(cursorName string) error {
	switch {
	case r == nil:
		return couponkit.Invalid("ExportRequest", "is nil")
	case r.MixID == "":
		return couponkit.Invalid("MixID", "is required")
	case r.PartnerCode == "":
		return couponkit.Invalid("PartnerCode", "is required")
	case r.OperateType == "":
		return couponkit.Invalid("OperateType", "is required")
	case r.OperateType != OperateAll && r.OperateType != OperateConsume:
		return couponkit.Invalid("OperateType", "want ALL or CONSUME, got %q", string(r.OperateType))
	}
	if _, ok := r.Params[cursorName]; ok && r.LastSequence != nil {
		return couponkit.Invalid("Params", "holds %q and LastSequence is set", cursorName)
	}
	return nil
}

// Basic is a batch's basic information (FCodeExportBasic).
type Basic struct {
	// MixID is the batch's obfuscated goods id.
	MixID string
	// Name is the batch's name.
	Name string
	// Description is the codes' description.
	Description string
	// BindBeginTime is when codes may first be bound (Beijing time).
	BindBeginTime time.Time
	// CouponExpireTime is when codes expire and may no longer be bound
	// (Beijing time).
	CouponExpireTime time.Time
	// Denomination is a code's face value in fen.
	Denomination couponkit.Fen
	// MaxBindCount is the most codes one user may bind; 0 when TOP sent none
	// (no limit).
	MaxBindCount int64
	// TotalCount is the number of codes in the batch.
	TotalCount int64
	// ValidDays is the number of days a code is valid after binding, for
	// DurationDay.
	ValidDays int64
	// ValidDurationType says whether validity is a fixed range or ValidDays.
	ValidDurationType ValidDurationType
}

// Code is one code of an export (FCodeInfo).
type Code struct {
	// Code is the code in clear (优惠券明码).
	Code string
	// Status is the code's state. TOP always sends it; a code without one
	// would read as StatusNormal (0).
	Status CodeStatus
	// Modified is when the code last changed (Beijing time).
	Modified time.Time
	// Bind says whether a user has bound the code. TOP always sends it; a
	// code without one would read as BindBound (0), the vendor's number.
	Bind BindStatus
}

// ExportPage is one page of an export.
type ExportPage struct {
	// Basic describes the batch.
	Basic Basic
	// Codes are this page's codes.
	Codes []Code
	// HasNext reports whether another page follows.
	HasNext bool
	// LastSequence is the cursor of the next page (ExportRequest.LastSequence).
	LastSequence int64
	// CurrentRows is the number of codes TOP says this page holds.
	CurrentRows int64
	// Meta describes the HTTP exchange.
	Meta couponkit.Meta `json:"-"`
}

// opExport is taobao.film.fcode.export.query: a read.
var opExport = &transport.Op{Name: MethodExportQuery, Class: transport.Safe}

var _ = registry.Add(transport.Describe(Vendor, opExport, (*Client).ExportCodes, "one page of a batch's codes, the first or the one after a cursor (Pages and Codes iterate over all of them)"))

// ExportCodes fetches one page of codes: the first, or the one after
// req.LastSequence. It is a read, retried on network failures, 5xx,
// throttling (after TOP's window), isp.* errors and unreadable answers,
// among them a success without its page (no return_value, or one from which
// nothing is read: no basic, no code, no next page). An error_response and a
// result.return_code other than "0" (see [ErrBusiness]) are errors.
func (c *Client) ExportCodes(ctx context.Context, req *ExportRequest) (*ExportPage, error) {
	if err := req.validate(c.cursorName); err != nil {
		return nil, err
	}
	var a exportAnswer
	meta, err := c.fetch(ctx, req, &a)
	if err != nil {
		return nil, err
	}
	return a.page(meta), nil
}

// fetch sends one export request (req is valid) and reads its page into a,
// which keeps the array of its code list from page to page (see
// exportAnswer.Reset).
func (c *Client) fetch(ctx context.Context, req *ExportRequest, a *exportAnswer) (couponkit.Meta, error) {
	p, err := c.exportParams(req)
	if err != nil {
		return couponkit.Meta{}, err
	}
	return transport.Send(ctx, &c.typed, opExport, "", p, a)
}

// exportParams returns the export's params for req: mix_id, partner_code,
// operate_type, and "params", the extension JSON (ExportRequest.Params and,
// with CursorInParams, the cursor) as its text, or the cursor as a
// parameter of its own (CursorParameter). They are a map because the
// cursor's name is Config.CursorName [open], which no struct tag can carry;
// encoding/json writes a map in name order.
func (c *Client) exportParams(req *ExportRequest) (map[string]string, error) {
	p := map[string]string{"mix_id": req.MixID, "partner_code": req.PartnerCode, "operate_type": string(req.OperateType)}
	return p, c.appendCursor(p, req)
}

// exportAnswer is the export's payload: ResultGeneralModel in result, with
// FCodeExportResp in its return_value.
type exportAnswer struct {
	Result struct {
		ReturnCode  wiretype.Text `json:"return_code"`
		ReturnValue exportValue   `json:"return_value"`
	} `json:"result"`
}

// exportValue is FCodeExportResp.
type exportValue struct {
	Basic        wireBasic         `json:"basic"`
	CouponList   topList[wireCode] `json:"coupon_list"`
	HasNext      wiretype.Bool     `json:"has_next"`
	LastSequence *wiretype.Int     `json:"last_sequence"`
	CurrentRows  wiretype.Int      `json:"current_rows"`
}

// wireBasic is FCodeExportBasic.
type wireBasic struct {
	BindBeginTime     wiretype.Time     `json:"bind_begin_time"`
	CouponExpireTime  wiretype.Time     `json:"coupon_expire_time"`
	Denomination      wiretype.Fen      `json:"denomination"`
	MaxBindCount      wiretype.Int      `json:"max_bind_count"`
	MixID             wiretype.Text     `json:"mix_id"`
	Name              wiretype.Text     `json:"name"`
	TotalCount        *wiretype.Int     `json:"total_count"`
	ValidDays         wiretype.Int      `json:"valid_days"`
	ValidDurationType ValidDurationType `json:"valid_duration_type"`
	Description       wiretype.Text     `json:"description"`
}

// wireCode is FCodeInfo.
type wireCode struct {
	Code        wiretype.Text `json:"code"`
	CodeStatus  wiretype.Int  `json:"code_status"`
	GmtModified wiretype.Time `json:"gmt_modified"`
	BindStatus  wiretype.Int  `json:"bind_status"`
}

// Complete reports a success that lacks what the export exists for: its
// result's return_code ("0"; another code is a business failure open
// reports), and a page from which something is read: a basic, a code or a
// next page, as a batch without codes still has its basic. current_rows is
// not checked against the codes read: the page's own example says 100
// beside one code.
func (a *exportAnswer) Complete() error {
	v := &a.Result.ReturnValue
	switch {
	case a.Result.ReturnCode == "":
		return transport.Missing("result.return_code")
	case v.Basic == (wireBasic{}) && len(v.CouponList) == 0 && !bool(v.HasNext):
		return transport.Missing("result.return_value (no basic, no codes, no next page)")
	}
	return nil
}

// page converts a complete answer into its public form.
func (a *exportAnswer) page(meta couponkit.Meta) *ExportPage {
	v := &a.Result.ReturnValue
	codes := make([]Code, len(v.CouponList))
	for i := range v.CouponList {
		codes[i] = v.CouponList[i].code()
	}
	b := &v.Basic
	return &ExportPage{
		Basic: Basic{
			MixID: string(b.MixID), Name: string(b.Name), Description: string(b.Description),
			BindBeginTime: time.Time(b.BindBeginTime), CouponExpireTime: time.Time(b.CouponExpireTime),
			Denomination: couponkit.Fen(b.Denomination), MaxBindCount: int64(b.MaxBindCount),
			TotalCount: int64(ptrOr(b.TotalCount)), ValidDays: int64(b.ValidDays), ValidDurationType: b.ValidDurationType,
		},
		Codes:        codes,
		HasNext:      bool(v.HasNext),
		LastSequence: int64(ptrOr(v.LastSequence)),
		CurrentRows:  int64(v.CurrentRows),
		Meta:         meta,
	}
}

// ptrOr returns *p, or zero when p is nil.
func ptrOr[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func (w *wireCode) code() Code {
	return Code{Code: string(w.Code), Status: CodeStatus(w.CodeStatus), Modified: time.Time(w.GmtModified), Bind: BindStatus(w.BindStatus)}
}
