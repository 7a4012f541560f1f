package ebuy

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/internal/wiretype"
)

// Funds is the money behind a code (makeFundsChannel), every amount in fen.
// Zero amounts are left out of the request.
type Funds struct {
	// BenefitAmount is benefitAmount (undocumented meaning), in fen.
	BenefitAmount couponkit.Fen
	// ChannelBenefit is the sales channel's discount (channelBenefit), in fen.
	ChannelBenefit couponkit.Fen
	// DiscountAmount is discountAmount (undocumented meaning), in fen.
	DiscountAmount couponkit.Fen
	// MerchantBenefit is the merchant's discount when the user bought the
	// code (merchantBenefit, 商户优惠金额), in fen.
	MerchantBenefit couponkit.Fen
	// MerchantCustomBenefit is merchantCustomBenefit, in fen.
	MerchantCustomBenefit couponkit.Fen
	// MerchantCustomRealAmount is merchantCustomRealAmount, in fen.
	MerchantCustomRealAmount couponkit.Fen
	// MerchantRealAmount is what the merchant received when the user bought
	// the code (merchantRealAmount, 商户实收金额), in fen.
	MerchantRealAmount couponkit.Fen
	// TotalAmount is the order total (totalAmount; thirdBatchMake only), in fen.
	TotalAmount couponkit.Fen
	// UserRealAmount is what the user paid (userRealAmount), in fen.
	UserRealAmount couponkit.Fen
}

// wireFunds is makeFundsChannel, fields in ASCII order of their tags.
type wireFunds struct {
	BenefitAmount            wiretype.Fen `json:"benefitAmount,omitempty"`
	ChannelBenefit           wiretype.Fen `json:"channelBenefit,omitempty"`
	DiscountAmount           wiretype.Fen `json:"discountAmount,omitempty"`
	MerchantBenefit          wiretype.Fen `json:"merchantBenefit,omitempty"`
	MerchantCustomBenefit    wiretype.Fen `json:"merchantCustomBenefit,omitempty"`
	MerchantCustomRealAmount wiretype.Fen `json:"merchantCustomRealAmount,omitempty"`
	MerchantRealAmount       wiretype.Fen `json:"merchantRealAmount,omitempty"`
	TotalAmount              wiretype.Fen `json:"totalAmount,omitempty"`
	UserRealAmount           wiretype.Fen `json:"userRealAmount,omitempty"`
}

// wire returns f as makeFundsChannel, or nil to leave it out.
func (f *Funds) wire() *wireFunds {
	if f == nil {
		return nil
	}
	return &wireFunds{
		BenefitAmount: wiretype.Fen(f.BenefitAmount), ChannelBenefit: wiretype.Fen(f.ChannelBenefit),
		DiscountAmount: wiretype.Fen(f.DiscountAmount), MerchantBenefit: wiretype.Fen(f.MerchantBenefit),
		MerchantCustomBenefit: wiretype.Fen(f.MerchantCustomBenefit), MerchantCustomRealAmount: wiretype.Fen(f.MerchantCustomRealAmount),
		MerchantRealAmount: wiretype.Fen(f.MerchantRealAmount), TotalAmount: wiretype.Fen(f.TotalAmount),
		UserRealAmount: wiretype.Fen(f.UserRealAmount),
	}
}

func (f *Funds) validate(field string) error {
	if f == nil {
		return nil
	}
	amounts := [...]struct {
		name string
		v    couponkit.Fen
	}{
		{"BenefitAmount", f.BenefitAmount}, {"ChannelBenefit", f.ChannelBenefit}, {"DiscountAmount", f.DiscountAmount},
		{"MerchantBenefit", f.MerchantBenefit}, {"MerchantCustomBenefit", f.MerchantCustomBenefit},
		{"MerchantCustomRealAmount", f.MerchantCustomRealAmount}, {"MerchantRealAmount", f.MerchantRealAmount},
		{"TotalAmount", f.TotalAmount}, {"UserRealAmount", f.UserRealAmount},
	}
	for _, a := range amounts {
		if a.v < 0 {
			return couponkit.Invalid(field+"."+a.name, "must not be negative")
		}
	}
	return nil
}

// ActivateInfo says where codes were activated (activateInfo).
type ActivateInfo struct {
	// Org is the activating organisation (optOrg, 激活机构).
	Org string
	// ShopNo is the activating shop number (optShopNo, 激活门店号).
	ShopNo string
}

// wireActivateInfo is activateInfo: ActivateInfo's fields with their wire
// names, in ASCII order.
type wireActivateInfo struct {
	Org    string `json:"optOrg,omitempty"`
	ShopNo string `json:"optShopNo,omitempty"`
}

// ActivateCodesRequest activates made codes (batchActivateCode): 03 → 00.
type ActivateCodesRequest struct {
	// UUID is the request's uuid and idempotency key; empty means a fresh one.
	// Reuse it to repeat a call whose outcome is unknown.
	UUID string
	// Codes are the codes to activate (codeArray). Required.
	Codes []string
	// ValidStart and ValidEnd bound the codes' validity (codeValidStart,
	// codeValidEnd), sent in Beijing time as yyyyMMddHHmmss (the format
	// e-Buy documents for codeValidEnd elsewhere; assumed here). Optional.
	ValidStart, ValidEnd time.Time
	// ValidDays is a validity relative to activation, in days (codeValidDays). Optional.
	ValidDays int
	// Activation says where the codes were activated. Optional.
	Activation *ActivateInfo
	// Funds is the money behind the codes, in fen (makeFundsChannel). Optional.
	Funds *Funds
}

func (r *ActivateCodesRequest) validate() error {
	if r == nil {
		return couponkit.Invalid("ActivateCodesRequest", "is nil")
	}
	if err := checkUUID("UUID", r.UUID, maxUUIDLen); err != nil {
		return err
	}
	if err := checkCodes("Codes", r.Codes, true); err != nil {
		return err
	}
	if r.ValidDays < 0 {
		return couponkit.Invalid("ValidDays", "must not be negative")
	}
	if !r.ValidStart.IsZero() && !r.ValidEnd.IsZero() && r.ValidEnd.Before(r.ValidStart) {
		return couponkit.Invalid("ValidEnd", "before ValidStart")
	}
	if err := wiretype.CheckYear("ValidStart", r.ValidStart); err != nil {
		return err
	}
	if err := wiretype.CheckYear("ValidEnd", r.ValidEnd); err != nil {
		return err
	}
	return r.Funds.validate("Funds")
}

// params returns batchActivateCode's content for codes, one chunk's.
func (r *ActivateCodesRequest) params(codes []string) *activateParams {
	p := &activateParams{CodeArray: codes, CodeValidDays: r.ValidDays, CodeValidEnd: wiretype.CompactTime(r.ValidEnd),
		CodeValidStart: wiretype.CompactTime(r.ValidStart), MakeFundsChannel: r.Funds.wire()}
	if r.Activation != nil {
		p.ActivateInfo = (*wireActivateInfo)(r.Activation)
	}
	return p
}

// activateParams is batchActivateCode's content, fields in ASCII order of
// their tags.
type activateParams struct {
	ActivateInfo     *wireActivateInfo    `json:"activateInfo,omitempty"`
	CodeArray        []string             `json:"codeArray"`
	CodeValidDays    int                  `json:"codeValidDays,omitempty"`
	CodeValidEnd     wiretype.CompactTime `json:"codeValidEnd,omitzero"`
	CodeValidStart   wiretype.CompactTime `json:"codeValidStart,omitzero"`
	MakeFundsChannel *wireFunds           `json:"makeFundsChannel,omitempty"`
}

// CodeBatchResult is the answer of ActivateCodes and DeactivateCodes.
type CodeBatchResult struct {
	// Count is how many codes e-Buy handled (codeNum), summed over the
	// chunks that succeeded.
	Count int
	// CreatedAt is when e-Buy handled them (createDate of the first chunk
	// that succeeded), Beijing time.
	CreatedAt time.Time
	// Codes are e-Buy's per-code details (activeCodeDetails), when it sends
	// them, in the order of the chunks.
	Codes []CodeDetail
	// Results holds one outcome per requested code, in the order given.
	Results []CodeOutcome
	// Chunks are the requests sent: one, unless Config.MaxCodesPerActivation
	// split the call.
	Chunks []Chunk
	// Meta describes the exchange (the first chunk's, when split); Meta.Raw
	// keeps the fields not modelled here. It is left out of JSON.
	Meta couponkit.Meta `json:"-"`
}

// CodeOutcome is the outcome of ActivateCodes or DeactivateCodes for one code.
type CodeOutcome struct {
	// Code is the code.
	Code string
	// Detail is e-Buy's account of the code, when its answer listed it.
	Detail *CodeDetail
	// Err is nil when the code was handled; otherwise e-Buy's refusal of
	// this code (a *couponkit.Error with its resultCode) or its chunk's
	// failure (a *couponkit.Error, or one matching
	// couponkit.ErrUnknownOutcome).
	Err error
}

// CodeDetail is e-Buy's account of one code in a batch answer.
type CodeDetail struct {
	// Code is the code (codeSecret).
	Code string
	// SearchCode is the code's query number (codeSearch).
	SearchCode string
	// ResultCode and ResultMessage are the per-code outcome (resultCode,
	// resultMessage); "" and "00" mean success (assumed: e-Buy does not
	// print its values).
	ResultCode, ResultMessage string
	// Status is the code's status after the call (codeStatus).
	Status CodeStatus
	// StatusDescription is e-Buy's description of Status (codeStatusDesc).
	StatusDescription string
	// UseTimes is how many times the code can be used (useTimes).
	UseTimes int
	// TicketID is the code's batch product (ticketId).
	TicketID TicketID
	// TicketName is that product's name (ticketName).
	TicketName string
	// OuterOrderID is the order the code was made for (outerOrderId).
	OuterOrderID string
}

// OK reports whether e-Buy's per-code result is a success.
func (d CodeDetail) OK() bool { return resultOK(d.ResultCode) }

func resultOK(code string) bool {
	return code == "" || code == "00" || code == "0" || strings.EqualFold(code, "SUCCESS")
}

// codeBatchAnswer is the content of batchActivateCode and
// batchUnActivateCode (page eecca).
type codeBatchAnswer struct {
	CodeNum           wiretype.Int     `json:"codeNum"`
	CreateDate        wiretype.Millis  `json:"createDate"`
	ActiveCodeDetails []wireCodeDetail `json:"activeCodeDetails"`
}

type wireCodeDetail struct {
	CodeSecret     string       `json:"codeSecret"`
	CodeSearch     string       `json:"codeSearch"`
	ResultCode     string       `json:"resultCode"`
	ResultMessage  string       `json:"resultMessage"`
	CodeStatus     CodeStatus   `json:"codeStatus"`
	CodeStatusDesc string       `json:"codeStatusDesc"`
	UseTimes       wiretype.Int `json:"useTimes"`
	TicketID       wiretype.Int `json:"ticketId"`
	TicketName     string       `json:"ticketName"`
	OuterOrderID   string       `json:"outerOrderId"`
}

// Complete reports a success that reports no code handled: the call exists
// to handle codes, and page eecca prints both codeNum and the per-code list.
func (a *codeBatchAnswer) Complete() error {
	if a.CodeNum <= 0 && len(a.ActiveCodeDetails) == 0 {
		return transport.Missing("codeNum or activeCodeDetails (no code reported handled)")
	}
	return nil
}

const apiActivate = "batchActivateCode"

// opActivate (batchActivateCode): Keyed on the uuid (assumed).
var opActivate = &transport.Op{Name: apiActivate, Path: apiPrefix + apiActivate, Class: transport.Keyed, KeyName: "uuid", NewKey: defaultUUID}

var _ = registry.Add(transport.Describe(Vendor, opActivate, (*Client).ActivateCodes, "activates made codes (03 → 00)"))

// ActivateCodes activates made codes (batchActivateCode, 03 → 00).
//
// It is a keyed write: the uuid (req.UUID, or a fresh one kept for every
// attempt) is the idempotency key, on the assumption that e-Buy
// de-duplicates by uuid. A code e-Buy reports as failed makes the call return
// the result and a *BatchError naming each such code (its cause, for each
// code, a *couponkit.Error with e-Buy's resultCode). With
// Config.MaxCodesPerActivation the codes are sent in chunks (see Batches in
// the package doc), each keyed on its own uuid. A chunk's success answer
// that reports no code handled (codeNum 0 or absent and no
// activeCodeDetails) is unreadable: retried with the same uuid, then an
// unknown outcome with it.
func (c *Client) ActivateCodes(ctx context.Context, req *ActivateCodesRequest) (*CodeBatchResult, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	return c.codeBatch(ctx, opActivate, req.UUID, req.Codes, func(codes []string) (transport.EncodedParams, error) {
		return req.params(codes).encoded()
	})
}

// DeactivateCodesRequest deactivates active codes (batchUnActivateCode): 00 → 03.
type DeactivateCodesRequest struct {
	// UUID is the request's uuid and idempotency key; empty means a fresh one.
	UUID string
	// Codes are the codes to deactivate (codeArray). Required.
	Codes []string
	// BrandID is the brand (brandId). Required here or in Config.BrandID.
	BrandID string
}

// validate checks r; defaultBrand is Config.BrandID.
func (r *DeactivateCodesRequest) validate(defaultBrand string) error {
	if r == nil {
		return couponkit.Invalid("DeactivateCodesRequest", "is nil")
	}
	if err := checkUUID("UUID", r.UUID, maxUUIDLen); err != nil {
		return err
	}
	if err := checkCodes("Codes", r.Codes, true); err != nil {
		return err
	}
	if cmp.Or(r.BrandID, defaultBrand) == "" {
		return couponkit.Invalid("BrandID", "required (in the request or Config.BrandID)")
	}
	return nil
}

// deactivateParams is batchUnActivateCode's content, fields in ASCII order
// of their tags.
type deactivateParams struct {
	BrandID   string   `json:"brandId"`
	CodeArray []string `json:"codeArray"`
}

const apiDeactivate = "batchUnActivateCode"

// opDeactivate (batchUnActivateCode): Keyed on the uuid (assumed).
var opDeactivate = &transport.Op{Name: apiDeactivate, Path: apiPrefix + apiDeactivate, Class: transport.Keyed, KeyName: "uuid", NewKey: defaultUUID}

var _ = registry.Add(transport.Describe(Vendor, opDeactivate, (*Client).DeactivateCodes, "deactivates active codes (00 → 03)"))

// DeactivateCodes deactivates active codes (batchUnActivateCode, 00 → 03).
//
// It is a keyed write on the uuid, like ActivateCodes. A code e-Buy reports as
// failed makes the call return the result and a *BatchError naming it. A
// success answer that reports no code handled is unreadable, as for
// ActivateCodes.
func (c *Client) DeactivateCodes(ctx context.Context, req *DeactivateCodesRequest) (*CodeBatchResult, error) {
	if err := req.validate(c.brandID); err != nil {
		return nil, err
	}
	brand := cmp.Or(req.BrandID, c.brandID)
	return c.codeBatch(ctx, opDeactivate, req.UUID, req.Codes, func(codes []string) (transport.EncodedParams, error) {
		return (&deactivateParams{BrandID: brand, CodeArray: codes}).encoded(), nil
	})
}

// codeBatch sends codes to op, in one request or, with
// Config.MaxCodesPerActivation, in chunks run with the bounded concurrency
// of UpdateCodeStatus. A single request's failure is returned as the error
// with no result; a split call returns its result, every code's outcome in
// it, and a *BatchError when any code failed.
//
// params writes a chunk's content with the package's hand codec (see
// batch_codec.go).
func (c *Client) codeBatch(ctx context.Context, op *transport.Op, uuid string, codes []string, params func(codes []string) (transport.EncodedParams, error)) (*CodeBatchResult, error) {
	size := len(codes)
	if c.perActivate > 0 && c.perActivate < size {
		size = c.perActivate
	}
	n := (len(codes) + size - 1) / size
	if n > 1 && uuid != "" {
		if suffix := 1 + len(strconv.Itoa(n)); len(uuid)+suffix > maxUUIDLen {
			return nil, couponkit.Invalid("UUID", "longer than %d characters: a call split into %d chunks sends UUID-n", maxUUIDLen-suffix, n)
		}
	}
	res := &CodeBatchResult{Chunks: make([]Chunk, n)}
	for i := range res.Chunks {
		ch := &res.Chunks[i]
		ch.Codes = codes[i*size : min(i*size+size, len(codes))]
		switch {
		case uuid == "":
			key, err := c.ep.Key(op, "UUID", "")
			if err != nil {
				return nil, err
			}
			ch.UUID = key
		case n == 1:
			ch.UUID = uuid
		default:
			ch.UUID = uuid + "-" + strconv.Itoa(i+1)
		}
	}
	answers := make([]codeBatchAnswer, n)
	c.runChunks(ctx, op.Name, n, func(ctx context.Context, i int) {
		ch := &res.Chunks[i]
		p, err := params(ch.Codes)
		if err != nil {
			ch.Err = couponkit.Invalid("request", "does not encode for %s: %v", op.Name, err)
			return
		}
		ch.Meta, ch.Err = transport.Send(ctx, &c.typed, op, ch.UUID, p, &answers[i])
		if ch.Err != nil {
			answers[i] = codeBatchAnswer{} // what a failed chunk decoded counts for nothing
		}
	}, func(i int, err error) { res.Chunks[i].Err = err })
	if n == 1 && res.Chunks[0].Err != nil {
		return nil, res.Chunks[0].Err
	}

	details := 0
	for i := range answers {
		details += len(answers[i].ActiveCodeDetails)
	}
	res.Codes = make([]CodeDetail, 0, details)
	res.Results = make([]CodeOutcome, 0, len(codes))
	var failed []CodeError
	meta := false
	for i, ch := range res.Chunks {
		w := &answers[i]
		if ch.Err == nil {
			res.Count += int(w.CodeNum)
			if !meta {
				res.CreatedAt, res.Meta, meta = time.Time(w.CreateDate), ch.Meta, true
			}
		}
		first := len(res.Codes)
		for _, d := range w.ActiveCodeDetails {
			res.Codes = append(res.Codes, CodeDetail{
				Code: d.CodeSecret, SearchCode: d.CodeSearch, ResultCode: d.ResultCode, ResultMessage: d.ResultMessage,
				Status: d.CodeStatus, StatusDescription: d.CodeStatusDesc, UseTimes: int(d.UseTimes),
				TicketID: TicketID(d.TicketID), TicketName: d.TicketName, OuterOrderID: d.OuterOrderID,
			})
		}
		listed := res.Codes[first:]
		var byCode map[string]int // built only when e-Buy's order differs from the request's
		for j, code := range ch.Codes {
			o := CodeOutcome{Code: code, Err: ch.Err}
			switch {
			case j < len(listed) && listed[j].Code == code:
				o.Detail = &listed[j]
			case len(listed) > 0:
				if byCode == nil {
					byCode = make(map[string]int, len(listed))
					for k := range listed {
						byCode[listed[k].Code] = k
					}
				}
				if k, ok := byCode[code]; ok {
					o.Detail = &listed[k]
				}
			}
			if o.Err == nil && o.Detail != nil && !o.Detail.OK() {
				o.Err = &couponkit.Error{
					Vendor: Vendor, Operation: op.Name, Code: o.Detail.ResultCode, Message: o.Detail.ResultMessage,
					RequestID: ch.Meta.RequestID, HTTPStatus: ch.Meta.HTTPStatus, Fault: c.fault(o.Detail.ResultCode),
				}
			}
			if o.Err != nil {
				failed = append(failed, CodeError{Code: code, Err: o.Err})
			}
			res.Results = append(res.Results, o)
		}
	}
	if len(failed) > 0 {
		return res, &BatchError{Operation: op.Name, Total: len(codes), Failed: failed}
	}
	return res, nil
}

// checkCodes validates a list of codes: non-empty (when required), each code
// non-empty valid UTF-8, no code twice.
func checkCodes(field string, codes []string, required bool) error {
	if len(codes) == 0 {
		if required {
			return couponkit.Invalid(field, "at least one code is required")
		}
		return nil
	}
	for i, code := range codes {
		if code == "" {
			return couponkit.Invalid(field+"["+strconv.Itoa(i)+"]", "empty code")
		}
		if !utf8.ValidString(code) {
			return couponkit.Invalid(field+"["+strconv.Itoa(i)+"]", "not valid UTF-8")
		}
	}
	if !hasRepeat(codes) {
		return nil
	}
	seen := make(map[string]int, len(codes))
	for i, code := range codes {
		if j, dup := seen[code]; dup {
			return couponkit.Invalid(field+"["+strconv.Itoa(i)+"]", "repeats %s[%d]", field, j)
		}
		seen[code] = i
	}
	return nil
}

// hasRepeat reports whether a code occurs twice in codes: pairwise for a
// short list, else on one sorted copy (no map for the thousands of codes a
// bulk update may carry).
func hasRepeat(codes []string) bool {
	if len(codes) <= 32 {
		for i := range codes {
			for j := i + 1; j < len(codes); j++ {
				if codes[i] == codes[j] {
					return true
				}
			}
		}
		return false
	}
	sorted := slices.Clone(codes)
	slices.Sort(sorted)
	for i := 1; i < len(sorted); i++ {
		if sorted[i] == sorted[i-1] {
			return true
		}
	}
	return false
}
