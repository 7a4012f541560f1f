package ebuy

import (
	"cmp"
	"context"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/internal/wiretype"
)

// UpdateCodeStatusRequest voids, freezes, unfreezes or delays codes
// (batchUpdateCodeStatus). Any number of codes may be given: they are sent in
// chunks of MaxCodesPerUpdate.
type UpdateCodeStatusRequest struct {
	// UUID is the idempotency key. With up to 20 codes it is the request's
	// uuid; with more, chunk n (counting from 1, codes in the order given) is
	// sent with uuid UUID+"-"+n, so repeating the same request with the same
	// UUID repeats every chunk with its own key. Empty means a fresh uuid per
	// chunk. At most 46 characters.
	UUID string
	// Type is the update (updateType). Required.
	Type UpdateType
	// Codes are the codes to update (codes). Required.
	Codes []string
	// BrandID is the brand (brandId), decimal digits; e-Buy's page types it
	// as a number, so it is sent as a JSON number. Optional; default
	// Config.BrandID.
	BrandID string
	// ValidEnd is the new end of validity for UpdateDelay (codeValidEnd,
	// yyyyMMddHHmmss in Beijing time). Required for UpdateDelay, refused otherwise.
	ValidEnd time.Time
	// Notify asks e-Buy to notify the sales channel (isNotify=Y). Default: no notification.
	Notify bool
	// NotifyType says whom to notify (notifyType). Optional.
	NotifyType NotifyType
	// SupportPartial lets e-Buy apply the update to the codes that allow it
	// and skip the others (supportPartial=Y). Without it a chunk succeeds or
	// fails as a whole. With it, a code e-Buy does not list in its answer, or
	// lists in another status than the update leads to, is reported failed.
	SupportPartial bool
}

// validate checks r; defaultBrand is Config.BrandID.
func (r *UpdateCodeStatusRequest) validate(defaultBrand string) error {
	if r == nil {
		return couponkit.Invalid("UpdateCodeStatusRequest", "is nil")
	}
	if err := checkUUID("UUID", r.UUID, maxUUIDLen-4); err != nil {
		return err
	}
	if !r.Type.valid() {
		return couponkit.Invalid("Type", "must be invalid, freeze, unfreeze or delay, not %q", string(r.Type))
	}
	if err := checkCodes("Codes", r.Codes, true); err != nil {
		return err
	}
	if r.Type == UpdateDelay && r.ValidEnd.IsZero() {
		return couponkit.Invalid("ValidEnd", "required for a delay")
	}
	if r.Type != UpdateDelay && !r.ValidEnd.IsZero() {
		return couponkit.Invalid("ValidEnd", "only allowed for a delay")
	}
	if err := wiretype.CheckYear("ValidEnd", r.ValidEnd); err != nil {
		return err
	}
	// e-Buy's page types brandId as a number: it is sent as one.
	if err := wiretype.CheckDigits("BrandID", cmp.Or(r.BrandID, defaultBrand), true); err != nil {
		return err
	}
	switch r.NotifyType {
	case "", NotifyBrand, NotifyAgentChannel, NotifySaleChannel:
	default:
		return couponkit.Invalid("NotifyType", "unknown notify type %q", string(r.NotifyType))
	}
	return nil
}

// params returns batchUpdateCodeStatus's content for one chunk's codes.
func (r *UpdateCodeStatusRequest) params(brand string, codes []string) *updateParams {
	return &updateParams{
		BrandID: wiretype.Digits(brand), CodeValidEnd: wiretype.CompactTime(r.ValidEnd), Codes: codes, IsNotify: yes(r.Notify),
		NotifyType: r.NotifyType, SupportPartial: yes(r.SupportPartial), UpdateType: r.Type,
	}
}

// updateParams is batchUpdateCodeStatus's content, fields in ASCII order
// of their tags.
type updateParams struct {
	BrandID        wiretype.Digits      `json:"brandId,omitempty"`
	CodeValidEnd   wiretype.CompactTime `json:"codeValidEnd,omitzero"`
	Codes          []string             `json:"codes"`
	IsNotify       YesNo                `json:"isNotify,omitempty"`
	NotifyType     NotifyType           `json:"notifyType,omitempty"`
	SupportPartial YesNo                `json:"supportPartial,omitempty"`
	UpdateType     UpdateType           `json:"updateType"`
}

// UpdateCodeStatusResult is the outcome of UpdateCodeStatus, code by code.
type UpdateCodeStatusResult struct {
	// Codes holds one result per requested code, in the order given.
	Codes []CodeResult
	// Chunks are the requests sent (one per 20 codes), in order.
	Chunks []Chunk
}

// Failed returns the results of the codes that were not updated.
func (r *UpdateCodeStatusResult) Failed() []CodeResult {
	var out []CodeResult
	for _, c := range r.Codes {
		if c.Err != nil {
			out = append(out, c)
		}
	}
	return out
}

// CodeResult is the outcome of an update for one code.
type CodeResult struct {
	// Code is the code.
	Code string
	// Status is the code's status after the call (currentStatus), when e-Buy reported it.
	Status CodeStatus
	// StatusDescription is e-Buy's description of Status (statusDesc).
	StatusDescription string
	// SaleChannelID and SaleChannelCode identify the code's sales channel.
	SaleChannelID, SaleChannelCode string
	// TicketID is the code's batch (ticketId).
	TicketID TicketID
	// TicketName is the batch's name (ticketName).
	TicketName string
	// ValidStart and ValidEnd bound the code's validity, Beijing time.
	ValidStart, ValidEnd time.Time
	// Err is nil when the update was applied to this code; otherwise the
	// chunk's error (a *couponkit.Error, or one matching
	// couponkit.ErrUnknownOutcome when the chunk's outcome is unknown) or
	// this code's own failure.
	Err error
}

// Chunk is one request of a split call.
type Chunk struct {
	// UUID is the chunk's uuid (its idempotency key).
	UUID string
	// Codes are the chunk's codes.
	Codes []string
	// Meta describes the exchange (zero when nothing came back).
	Meta couponkit.Meta `json:"-"`
	// Err is the chunk's failure, or nil.
	Err error
}

// statusAnswer is batchUpdateCodeStatus's content (page 577ef-q0F).
type statusAnswer struct {
	CodeStatusList []wireCodeStatus `json:"codeStatusList"`
}

type wireCodeStatus struct {
	Code            string               `json:"code"`
	CurrentStatus   CodeStatus           `json:"currentStatus"`
	StatusDesc      string               `json:"statusDesc"`
	SaleChannelID   string               `json:"saleChannelId"`
	SaleChannelCode string               `json:"saleChannelCode"`
	TicketID        wiretype.Int         `json:"ticketId"`
	TicketName      string               `json:"ticketName"`
	ValidStart      wiretype.CompactTime `json:"validStart"`
	ValidEnd        wiretype.CompactTime `json:"validEnd"`
}

// Complete reports a success without an entry in codeStatusList: without
// supportPartial a chunk is updated as a whole, so its answer lists the
// codes updated.
func (a *statusAnswer) Complete() error {
	if len(a.CodeStatusList) == 0 {
		return transport.Missing("an entry in codeStatusList (no code reported updated)")
	}
	return nil
}

// partialStatusAnswer is the content of a supportPartial update, whose
// codeStatusList may be empty (no code was updated) but not absent.
type partialStatusAnswer struct{ statusAnswer }

// Complete reports a success without codeStatusList.
func (a *partialStatusAnswer) Complete() error {
	if a.CodeStatusList == nil {
		return transport.Missing("codeStatusList")
	}
	return nil
}

// sendUpdate sends one chunk of an update (params p, key uuid) and returns
// the entries of its answer.
func (c *Client) sendUpdate(ctx context.Context, uuid string, p *updateParams, partial bool) ([]wireCodeStatus, couponkit.Meta, error) {
	if partial {
		var a partialStatusAnswer
		meta, err := transport.Send(ctx, &c.typed, opUpdateStatus, uuid, p, &a)
		return a.CodeStatusList, meta, err
	}
	var a statusAnswer
	meta, err := transport.Send(ctx, &c.typed, opUpdateStatus, uuid, p, &a)
	return a.CodeStatusList, meta, err
}

const apiUpdateStatus = "batchUpdateCodeStatus"

// opUpdateStatus (batchUpdateCodeStatus): Keyed on each chunk's uuid (assumed).
var opUpdateStatus = &transport.Op{Name: apiUpdateStatus, Path: apiPrefix + apiUpdateStatus, Class: transport.Keyed, KeyName: "uuid", NewKey: defaultUUID}

var _ = registry.Add(transport.Describe(Vendor, opUpdateStatus, (*Client).UpdateCodeStatus, "voids, freezes, unfreezes or delays codes, 20 a request"))

// UpdateCodeStatus applies req.Type to req.Codes (batchUpdateCodeStatus):
// invalid (→ 05), freeze (00 → 04), unfreeze (04 → 00) or delay (new
// codeValidEnd).
//
// More than 20 codes are split into chunks of 20, sent with at most
// Config.MaxBatchConcurrency in flight. Each chunk is a keyed write whose
// idempotency key is its uuid (see UpdateCodeStatusRequest.UUID), assuming
// e-Buy de-duplicates by uuid.
//
// A chunk's success answer without codeStatusList, or with an empty one
// when SupportPartial is not set, is unreadable: retried with the chunk's
// uuid, then an unknown outcome with it (the codes of that chunk fail with
// it).
//
// Once req is valid the result is never nil: it holds every code's outcome.
// The error is nil when every code was updated, and otherwise a *BatchError
// listing each failed code; nothing is dropped silently. errors.As and
// errors.Is see through it to the chunks' errors (*couponkit.Error,
// couponkit.ErrUnknownOutcome).
func (c *Client) UpdateCodeStatus(ctx context.Context, req *UpdateCodeStatusRequest) (*UpdateCodeStatusResult, error) {
	if err := req.validate(c.brandID); err != nil {
		return nil, err
	}
	brand := cmp.Or(req.BrandID, c.brandID)

	nChunks := (len(req.Codes) + MaxCodesPerUpdate - 1) / MaxCodesPerUpdate
	res := &UpdateCodeStatusResult{Chunks: make([]Chunk, 0, nChunks)}
	for i := 0; i < len(req.Codes); i += MaxCodesPerUpdate {
		ch := Chunk{Codes: req.Codes[i:min(i+MaxCodesPerUpdate, len(req.Codes))]}
		switch {
		case req.UUID == "":
			uuid, err := c.ep.Key(opUpdateStatus, "UUID", "")
			if err != nil {
				return nil, err
			}
			ch.UUID = uuid
		case nChunks == 1:
			ch.UUID = req.UUID
		default:
			ch.UUID = req.UUID + "-" + strconv.Itoa(len(res.Chunks)+1)
		}
		res.Chunks = append(res.Chunks, ch)
	}
	lists := make([][]wireCodeStatus, nChunks)
	c.runChunks(ctx, apiUpdateStatus, nChunks, func(ctx context.Context, i int) {
		ch := &res.Chunks[i]
		list, meta, err := c.sendUpdate(ctx, ch.UUID, req.params(brand, ch.Codes), req.SupportPartial)
		if err != nil {
			ch.Err = err
			return
		}
		ch.Meta = meta
		lists[i] = list
	}, func(i int, err error) { res.Chunks[i].Err = err })

	res.Codes = make([]CodeResult, 0, len(req.Codes))
	var failed []CodeError
	for i, ch := range res.Chunks {
		list := lists[i]
		for j, code := range ch.Codes {
			r := CodeResult{Code: code, Err: ch.Err}
			s, listed := findStatus(list, j, code)
			if listed {
				r.Status, r.StatusDescription, r.SaleChannelID, r.SaleChannelCode = s.CurrentStatus, s.StatusDesc, s.SaleChannelID, s.SaleChannelCode
				r.TicketID, r.TicketName, r.ValidStart, r.ValidEnd = TicketID(s.TicketID), s.TicketName, time.Time(s.ValidStart), time.Time(s.ValidEnd)
			}
			if r.Err == nil && req.SupportPartial {
				r.Err = partialError(req.Type, r, listed, ch.Meta)
			}
			if r.Err != nil {
				failed = append(failed, CodeError{Code: code, Err: r.Err})
			}
			res.Codes = append(res.Codes, r)
		}
	}
	if len(failed) > 0 {
		return res, &BatchError{Operation: apiUpdateStatus, Total: len(req.Codes), Failed: failed}
	}
	return res, nil
}

// findStatus returns e-Buy's entry for code, the j-th code of its chunk: at
// position j when e-Buy kept the request's order (the usual case), else
// wherever it is (a chunk has at most MaxCodesPerUpdate entries).
func findStatus(list []wireCodeStatus, j int, code string) (*wireCodeStatus, bool) {
	if j < len(list) && list[j].Code == code {
		return &list[j], true
	}
	for k := range list {
		if list[k].Code == code {
			return &list[k], true
		}
	}
	return nil, false
}

// partialError is the failure of one code of a supportPartial chunk that
// succeeded: a code e-Buy did not list, or listed in another status than the
// update leads to.
func partialError(t UpdateType, r CodeResult, listed bool, m couponkit.Meta) error {
	e := &couponkit.Error{Vendor: Vendor, Operation: apiUpdateStatus, RequestID: m.RequestID, HTTPStatus: m.HTTPStatus}
	if !listed {
		e.Message, e.Fault = "e-Buy's answer does not list this code", couponkit.FaultUnknown
		return e
	}
	if want := t.target(); want != "" && r.Status != want {
		e.Message, e.Fault = "code is "+string(r.Status)+" ("+r.Status.String()+") after "+string(t)+", want "+string(want), couponkit.FaultClient
		return e
	}
	return nil
}

// runChunks calls run for chunks 0..n-1 with at most c.concurrency at once,
// and returns when all have finished. Chunks not started because ctx ended
// get stop(i, err).
func (c *Client) runChunks(ctx context.Context, api string, n int, run func(context.Context, int), stop func(int, error)) {
	if n == 1 {
		run(ctx, 0)
		return
	}
	sem := make(chan struct{}, c.concurrency)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			for j := i; j < n; j++ {
				stop(j, &couponkit.Error{Vendor: Vendor, Operation: api, Message: "not sent: " + ctx.Err().Error(), Err: ctx.Err()})
			}
			wg.Wait()
			return
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			run(ctx, i)
		}()
	}
	wg.Wait()
}

// CodeError is the failure of one code in a batch call.
type CodeError struct {
	// Code is the code.
	Code string
	// Err is why it failed.
	Err error
}

// BatchError reports the codes of a batch call (ActivateCodes,
// DeactivateCodes, UpdateCodeStatus) that failed while others may have
// succeeded; the call also returns its result, which lists every code's
// outcome. It is returned only after e-Buy answered (or, for a split call,
// after every chunk ended), never for bad input.
//
// BatchError is not itself a *couponkit.Error: it stands for several
// failures. Its Unwrap returns each distinct cause, so errors.As(err,
// &*couponkit.Error) reaches the first vendor failure (a code e-Buy refused
// carries e-Buy's resultCode, a refused chunk its errorCode), errors.Is(err,
// couponkit.ErrUnknownOutcome) holds when a chunk's outcome is unknown, and
// couponkit.FaultOf(err) is the first cause's fault. Walk Failed to handle
// each code.
type BatchError struct {
	// Operation is the e-Buy API.
	Operation string
	// Total is the number of codes in the call.
	Total int
	// Failed lists each failed code, in request order.
	Failed []CodeError
}

// Error says how many codes failed and why, grouped by cause.
func (e *BatchError) Error() string {
	var b strings.Builder
	b.WriteString(Vendor + " " + e.Operation + ": " + strconv.Itoa(len(e.Failed)) + " of " + strconv.Itoa(e.Total) + " code(s) failed")
	for i, g := range e.groups() {
		if i == 3 {
			b.WriteString("; …")
			break
		}
		b.WriteString("; ")
		b.WriteString(strconv.Itoa(g.n))
		b.WriteString(" code(s) from ")
		b.WriteString(g.first)
		b.WriteString(": ")
		b.WriteString(g.err.Error())
	}
	return b.String()
}

// Unwrap returns each distinct cause, so errors.Is and errors.As reach them.
func (e *BatchError) Unwrap() []error {
	gs := e.groups()
	out := make([]error, len(gs))
	for i, g := range gs {
		out[i] = g.err
	}
	return out
}

type errGroup struct {
	err   error
	first string
	n     int
}

// groups gathers the failed codes by cause (the same error value), in order.
func (e *BatchError) groups() []errGroup {
	var gs []errGroup
outer:
	for _, f := range e.Failed {
		for i := range gs {
			if sameError(gs[i].err, f.Err) {
				gs[i].n++
				continue outer
			}
		}
		gs = append(gs, errGroup{err: f.Err, first: f.Code, n: 1})
	}
	return gs
}

// sameError reports whether a and b are the same error value, without
// panicking on an error type that cannot be compared.
func sameError(a, b error) bool {
	ta, tb := reflect.TypeOf(a), reflect.TypeOf(b)
	return ta == tb && ta != nil && ta.Comparable() && a == b
}
