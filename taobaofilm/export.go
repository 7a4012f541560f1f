package taobaofilm

import (
	"context"
	"errors"
	"time"

	"github.com/google/go-querystring/query"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/sign"
	"github.com/couponkit/couponkit/internal/transport"
)

// MethodExportQuery is the TOP method of [Client.ExportCodes].
const MethodExportQuery = "taobao.film.fcode.export.query"

// ExportRequest asks for the codes of one batch (taobao.film.fcode.export.query).
// MixID, PartnerCode and OperateType go through go-querystring as the
// parameters mix_id, partner_code and operate_type.
type ExportRequest struct {
	// MixID is the batch's obfuscated goods id (mix_id, 码商品混淆ID). Required.
	MixID string `url:"mix_id"`
	// PartnerCode is the channel code (partner_code, 渠道编码). Required.
	PartnerCode string `url:"partner_code"`
	// OperateType is OperateAll or OperateConsume (operate_type). Required.
	OperateType OperateType `url:"operate_type"`
	// Params are extension members of the "params" JSON (扩展参数), sent
	// sorted by name; nil or empty sends no params unless a cursor is due.
	// It must not hold the cursor name when LastSequence is set.
	Params map[string]any `url:"-"`
	// LastSequence is the cursor: the LastSequence of the page before the one
	// wanted, or nil for the first page. Where it is sent is Config.Cursor
	// [open]. Pages and Codes set it themselves, starting from this value.
	LastSequence *int64 `url:"-"`
}

// validate checks the request before anything is sent.
func (r *ExportRequest) validate(cursorName string) error {
	switch {
	case r == nil:
		return couponkit.Invalid("ExportRequest", "nil")
	case r.MixID == "":
		return couponkit.Invalid("MixID", "required")
	case r.PartnerCode == "":
		return couponkit.Invalid("PartnerCode", "required")
	case r.OperateType == "":
		return couponkit.Invalid("OperateType", "required")
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
	d, meta, err := c.fetch(ctx, req, nil)
	if err != nil {
		return nil, err
	}
	return d.page(meta), nil
}

// exportSlot carries an export's code buffer into open, and its decoded
// page out of it: the page is decoded in the same pass that classifies the
// answer.
type exportSlot struct {
	on       bool
	simplify bool
	buf      []wireCode
	page     *decodedPage
}

// openExport is open for the export: error_response, business failure, or
// the page, from one decoding of the body.
func (c *Client) openExport(s *exportSlot, resp *transport.Response) error {
	s.page = nil
	d, err := decodeExport(resp.Body, s.simplify, s.buf)
	if err != nil {
		return transport.DecodeError(err, resp.Body)
	}
	if d.topErr != nil {
		resp.RequestID = string(d.topErr.RequestID)
		return c.apiError(d.topErr)
	}
	resp.RequestID = d.requestID
	if d.returnCode != ReturnCodeOK {
		return c.businessError(d.returnCode, d.returnMessage, d.requestID)
	}
	if d.empty() {
		return transport.DecodeError(errNoPage, resp.Body)
	}
	s.page = d
	return nil
}

// errNoPage is the cause of a success that carries no page.
var errNoPage = errors.New("a success without return_value (no basic, no codes, no next page)")

// empty reports a success page from which nothing was read: no basic, no
// code and no next page, as when return_value is absent or {}. A batch
// without codes still has its basic. current_rows is not checked against
// the codes read: the page's own example says 100 beside one code.
func (d *decodedPage) empty() bool {
	return d.basic == (wireBasic{}) && len(d.codes) == 0 && !d.hasNext
}

// fetch sends one export request and decodes its page, reusing buf for the
// code list when it is not nil.
func (c *Client) fetch(ctx context.Context, req *ExportRequest, buf []wireCode) (*decodedPage, couponkit.Meta, error) {
	vals, err := query.Values(req)
	if err != nil {
		return nil, couponkit.Meta{}, err
	}
	biz := make([]sign.Param, 0, len(vals)+1)
	for k := range vals {
		biz = append(biz, sign.Param{Key: k, Value: vals.Get(k)})
	}
	biz, err = c.appendCursor(biz, req)
	if err != nil {
		return nil, couponkit.Meta{}, err
	}
	r := c.newRequest(MethodExportQuery, biz)
	r.export = exportSlot{on: true, simplify: c.simplify, buf: buf}
	meta, err := c.ep.Invoke(ctx, opExport, "", r, nil)
	if err != nil {
		return nil, meta, err
	}
	return r.export.page, meta, nil
}

// page converts a decoded page into its public form.
func (d *decodedPage) page(meta couponkit.Meta) *ExportPage {
	codes := make([]Code, len(d.codes))
	for i := range d.codes {
		codes[i] = d.codes[i].code()
	}
	b := &d.basic
	return &ExportPage{
		Basic: Basic{
			MixID: b.MixID, Name: b.Name, Description: b.Description,
			BindBeginTime: b.BindBeginTime.t, CouponExpireTime: b.CouponExpireTime.t,
			Denomination: couponkit.Fen(b.Denomination), MaxBindCount: int64(b.MaxBindCount),
			TotalCount: b.TotalCount.V, ValidDays: int64(b.ValidDays), ValidDurationType: b.ValidDurationType,
		},
		Codes:        codes,
		HasNext:      d.hasNext,
		LastSequence: d.lastSequence.V,
		CurrentRows:  d.currentRows,
		Meta:         meta,
	}
}

func (w *wireCode) code() Code {
	return Code{Code: w.Code, Status: w.CodeStatus, Modified: w.GmtModified.t, Bind: w.BindStatus}
}
