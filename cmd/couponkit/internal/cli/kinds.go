package cli

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/cmd/couponkit/internal/csvio"
	"github.com/couponkit/couponkit/cmd/couponkit/internal/journal"
	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/zvcms"
)

// newKey returns an e-Buy style uuid: yyyyMMdd-<32 hex>.
func newKey() string {
	var b [16]byte
	rand.Read(b[:])
	return time.Now().UTC().Add(8*time.Hour).Format("20060102") + "-" + hex.EncodeToString(b[:])
}

func decodeStrings(es []json.RawMessage) ([]string, error) {
	out := make([]string, len(es))
	for i, e := range es {
		if err := json.Unmarshal(e, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func parseCode(r csvio.Row) (json.RawMessage, error) {
	c := r.Get("code")
	if c == "" {
		return nil, errors.New("empty code")
	}
	if strings.ContainsAny(c, " \t") {
		return nil, fmt.Errorf("code %q contains a blank", c)
	}
	return json.Marshal(c)
}

// codeIdentity names the code of an entry, for finding repeated rows.
func codeIdentity(e json.RawMessage) []string {
	var c string
	if json.Unmarshal(e, &c) != nil {
		return nil
	}
	return []string{"code " + c}
}

// splitOnCode reports whether err, the refusal of a whole chunk of codes,
// concerns one of its codes: the client's check of one code
// (Codes[i]), or e-Buy's refusal naming one (e-Buy's message names the code
// in brackets, 该码已激活不能激活[code], as the fake does [likely]). A
// refusal that names none (a wrong brand, a credential) fails the chunk as a
// whole rather than multiply the requests.
func splitOnCode(err error, es []json.RawMessage) bool {
	var ve *couponkit.ValidationError
	if errors.As(err, &ve) {
		return strings.HasPrefix(ve.Field, "Codes[")
	}
	var ce *couponkit.Error
	if !errors.As(err, &ce) || ce.Fault != couponkit.FaultClient || errors.Is(err, couponkit.ErrUnknownOutcome) {
		return false
	}
	codes, derr := decodeStrings(es)
	if derr != nil {
		return false
	}
	for _, c := range codes {
		if strings.Contains(ce.Message, c) {
			return true
		}
	}
	return false
}

type codeResult struct {
	Code   string `json:"code"`
	OK     bool   `json:"ok"`
	Status string `json:"status,omitempty"`
	Error  string `json:"error,omitempty"`
}

// ebuyActivate activates codes (batchActivateCode), MaxCodesPerUpdate a request.
type ebuyActivate struct {
	c     *ebuy.Client
	chunk int
	historyCheck
}

// historyCheck tells whether an e-Buy item was applied from its codes'
// histories (_queryCodeDetailList): every code must show a record of
// recordType dated no earlier than since (the job's start, less a minute for
// clock skew). e-Buy does not publish its record types; the defaults are the
// fake's (--check-record-type sets them for a real gateway); an empty type
// turns the check off.
type historyCheck struct {
	c          *ebuy.Client
	recordType string
	since      time.Time
}

// ebuyRecordTypes are the fake's record types of each job.
var ebuyRecordTypes = map[string]string{"activate": "3", "freeze": "5", "unfreeze": "6", "invalid": "7", "delay": "8"}

func (h *historyCheck) Check(ctx context.Context, _ string, es []json.RawMessage) (bool, any, error) {
	if h.recordType == "" {
		return false, nil, errors.New("no record type to check with (--check-record-type)")
	}
	codes, err := decodeStrings(es)
	if err != nil {
		return false, nil, err
	}
	since := h.since.Add(-time.Minute)
	var seen []string
	for _, code := range codes {
		hist, err := h.c.CodeHistory(ctx, &ebuy.CodeHistoryRequest{Code: code})
		if err != nil {
			return false, nil, err
		}
		found := false
		for _, r := range hist.Records {
			if r.Type == h.recordType && !r.Time.Before(since) && (r.ReturnCode == "" || r.ReturnCode == "00") {
				found = true
				break
			}
		}
		if !found {
			return false, nil, nil
		}
		seen = append(seen, code)
	}
	return true, map[string]any{"checkedBy": "_queryCodeDetailList", "recordType": h.recordType, "codes": seen}, nil
}

func (k *ebuyActivate) Name() string                                 { return "activate" }
func (k *ebuyActivate) Vendor() string                               { return "ebuy" }
func (k *ebuyActivate) Class() couponkit.Class                       { return couponkit.ClassKeyed }
func (k *ebuyActivate) Columns() []string                            { return []string{"code"} }
func (k *ebuyActivate) ChunkSize() int                               { return k.chunk }
func (k *ebuyActivate) Parse(r csvio.Row) (json.RawMessage, error)   { return parseCode(r) }
func (k *ebuyActivate) Key([]json.RawMessage) string                 { return newKey() }
func (k *ebuyActivate) Identities(e json.RawMessage) []string        { return codeIdentity(e) }
func (k *ebuyActivate) SplitOn(err error, es []json.RawMessage) bool { return splitOnCode(err, es) }
func (k *ebuyActivate) Describe(key string, es []json.RawMessage) string {
	return describeCodes("batchActivateCode", key, es)
}

func describeCodes(api, key string, es []json.RawMessage) string {
	codes, _ := decodeStrings(es)
	return fmt.Sprintf("%s uuid=%s codes=%d [%s]", api, key, len(codes), strings.Join(codes, " "))
}

func (k *ebuyActivate) Send(ctx context.Context, key string, es []json.RawMessage) (any, error) {
	codes, err := decodeStrings(es)
	if err != nil {
		return nil, err
	}
	res, err := k.c.ActivateCodes(ctx, &ebuy.ActivateCodesRequest{UUID: key, Codes: codes})
	if res == nil {
		return nil, err
	}
	out := make([]codeResult, 0, len(res.Codes))
	for _, d := range res.Codes {
		cr := codeResult{Code: d.Code, OK: d.OK(), Status: string(d.Status)}
		if !cr.OK {
			cr.Error = strings.TrimSpace(d.ResultCode + " " + d.ResultMessage)
		}
		out = append(out, cr)
	}
	return out, err
}

// ebuyStatus voids, freezes, unfreezes or delays codes (batchUpdateCodeStatus).
type ebuyStatus struct {
	c        *ebuy.Client
	typ      ebuy.UpdateType
	validEnd time.Time
	partial  bool
	historyCheck
}

func (k *ebuyStatus) Name() string                                 { return "status-" + string(k.typ) }
func (k *ebuyStatus) Vendor() string                               { return "ebuy" }
func (k *ebuyStatus) Class() couponkit.Class                       { return couponkit.ClassKeyed }
func (k *ebuyStatus) Columns() []string                            { return []string{"code"} }
func (k *ebuyStatus) ChunkSize() int                               { return ebuy.MaxCodesPerUpdate }
func (k *ebuyStatus) Parse(r csvio.Row) (json.RawMessage, error)   { return parseCode(r) }
func (k *ebuyStatus) Key([]json.RawMessage) string                 { return newKey() }
func (k *ebuyStatus) Identities(e json.RawMessage) []string        { return codeIdentity(e) }
func (k *ebuyStatus) SplitOn(err error, es []json.RawMessage) bool { return splitOnCode(err, es) }
func (k *ebuyStatus) Describe(key string, es []json.RawMessage) string {
	return describeCodes("batchUpdateCodeStatus "+string(k.typ), key, es)
}

func (k *ebuyStatus) Send(ctx context.Context, key string, es []json.RawMessage) (any, error) {
	codes, err := decodeStrings(es)
	if err != nil {
		return nil, err
	}
	res, err := k.c.UpdateCodeStatus(ctx, &ebuy.UpdateCodeStatusRequest{UUID: key, Type: k.typ, Codes: codes, ValidEnd: k.validEnd, SupportPartial: k.partial})
	if res == nil {
		return nil, err
	}
	out := make([]codeResult, 0, len(res.Codes))
	for _, c := range res.Codes {
		cr := codeResult{Code: c.Code, OK: c.Err == nil, Status: string(c.Status)}
		if c.Err != nil {
			cr.Error = c.Err.Error()
		}
		out = append(out, cr)
	}
	return out, err
}

// redemption is one row of a zvcms redeem file.
type redemption struct {
	BizID       string        `json:"bizId"`
	Channel     string        `json:"channel"`
	CustomerID  string        `json:"customerId"`
	CardIDs     []string      `json:"cardIds"`
	OrderNo     string        `json:"orderNo,omitempty"`
	StoreCode   string        `json:"storeCode,omitempty"`
	ChannelType string        `json:"channelType,omitempty"`
	Amount      couponkit.Fen `json:"amountFen,omitempty"`
	OrderAmount couponkit.Fen `json:"orderAmountFen,omitempty"`
}

// zvcmsRedeem redeems coupons (writeOffCoupon), keyed by bizId.
type zvcmsRedeem struct {
	c       *zvcms.Client
	channel string
}

// Check tells whether a redemption was applied from the customer's coupons
// (getCustomerCoupons): every card must be redeemed.
func (k *zvcmsRedeem) Check(ctx context.Context, key string, es []json.RawMessage) (bool, any, error) {
	var d redemption
	if err := json.Unmarshal(es[0], &d); err != nil {
		return false, nil, err
	}
	return cardsIn(ctx, k.c, d, zvcms.UseStatusRedeemed, key)
}

// cardsIn reports whether every card of d is in state want.
func cardsIn(ctx context.Context, c *zvcms.Client, d redemption, want zvcms.UseStatus, key string) (bool, any, error) {
	for _, card := range d.CardIDs {
		res, err := c.GetCustomerCoupons(ctx, &zvcms.CustomerCouponsRequest{CustomerID: d.CustomerID, CardID: card})
		if err != nil {
			return false, nil, err
		}
		ok := false
		for _, cp := range res.Coupons {
			if cp.CardID == card && cp.UseStatus == want {
				ok = true
			}
		}
		if !ok {
			return false, nil, nil
		}
	}
	return true, map[string]any{"checkedBy": "getCustomerCoupons", "bizId": key, "cards": d.CardIDs, "useStatus": want.String()}, nil
}

const redeemColumnsHelp = `columns: biz_id (the idempotency key; empty: one is generated and journaled),
customer_id, card_ids (one or more, separated by ; or blanks),
optional: channel (default --channel), order_no, store_code, channel_type,
amount and order_amount in yuan (12.50)`

func (k *zvcmsRedeem) Name() string           { return "redeem" }
func (k *zvcmsRedeem) Vendor() string         { return "zvcms" }
func (k *zvcmsRedeem) Class() couponkit.Class { return couponkit.ClassKeyed }
func (k *zvcmsRedeem) Columns() []string      { return []string{"customer_id", "card_ids"} }
func (k *zvcmsRedeem) ChunkSize() int         { return 1 }

func (k *zvcmsRedeem) Parse(r csvio.Row) (json.RawMessage, error) {
	d := redemption{BizID: r.Get("biz_id"), Channel: r.Get("channel"), CustomerID: r.Get("customer_id"),
		OrderNo: r.Get("order_no"), StoreCode: r.Get("store_code"), ChannelType: r.Get("channel_type")}
	if d.Channel == "" {
		d.Channel = k.channel
	}
	if d.Channel == "" {
		return nil, errors.New("no channel (column channel or --channel)")
	}
	if d.CustomerID == "" {
		return nil, errors.New("empty customer_id")
	}
	d.CardIDs = strings.FieldsFunc(r.Get("card_ids"), func(r rune) bool { return r == ';' || r == ' ' || r == '|' })
	if len(d.CardIDs) == 0 {
		return nil, errors.New("empty card_ids")
	}
	var err error
	if v := r.Get("amount"); v != "" {
		if d.Amount, err = couponkit.ParseYuan(v); err != nil {
			return nil, fmt.Errorf("amount: %v", err)
		}
	}
	if v := r.Get("order_amount"); v != "" {
		if d.OrderAmount, err = couponkit.ParseYuan(v); err != nil {
			return nil, fmt.Errorf("order_amount: %v", err)
		}
	}
	return json.Marshal(d)
}

// Identities names the row's bizId (when given) and cards: a card redeemed
// by two rows is a repeat.
func (k *zvcmsRedeem) Identities(e json.RawMessage) []string {
	var d redemption
	if json.Unmarshal(e, &d) != nil {
		return nil
	}
	var out []string
	if d.BizID != "" {
		out = append(out, "biz_id "+d.BizID)
	}
	for _, c := range d.CardIDs {
		out = append(out, "card "+c)
	}
	return out
}

func (k *zvcmsRedeem) Key(es []json.RawMessage) string {
	var d redemption
	if len(es) == 1 && json.Unmarshal(es[0], &d) == nil && d.BizID != "" {
		return d.BizID
	}
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func (k *zvcmsRedeem) Describe(key string, es []json.RawMessage) string {
	var d redemption
	json.Unmarshal(es[0], &d)
	return fmt.Sprintf("writeOffCoupon bizId=%s customer=%s cards=[%s] amount=%s", key, d.CustomerID, strings.Join(d.CardIDs, " "), d.Amount.Yuan())
}

func (k *zvcmsRedeem) Send(ctx context.Context, key string, es []json.RawMessage) (any, error) {
	var d redemption
	if err := json.Unmarshal(es[0], &d); err != nil {
		return nil, err
	}
	res, err := k.c.WriteOffCoupon(ctx, &zvcms.WriteOffRequest{BizID: key, Channel: d.Channel, CustomerID: d.CustomerID, CardIDs: d.CardIDs,
		Ext: zvcms.WriteOffExt{OrderNo: d.OrderNo, StoreCode: d.StoreCode, ChannelType: d.ChannelType}, Amount: d.Amount, OrderAmount: d.OrderAmount})
	if err != nil {
		return nil, err
	}
	// vendorBizId is the bizId the vendor returned, the one a reversal goes
	// by (zvcms doc3 id=472); the reverse job reads it from here.
	return map[string]any{"bizId": res.BizID, "vendorBizId": res.VendorBizID, "requestId": res.Meta.RequestID}, nil
}

// reversal is one row of a zvcms reverse file.
type reversal struct {
	// BizID is the row's biz_id: the bizId the redemption was sent with, or
	// the vendor's own.
	BizID string `json:"bizId"`
	// VendorBizID is the bizId the vendor returned for the redemption sent
	// with BizID, as a redeem job of the journal recorded it; empty when no
	// redeem job recorded one (BizID is then sent as given).
	VendorBizID string   `json:"vendorBizId,omitempty"`
	CustomerID  string   `json:"customerId,omitempty"`
	CardIDs     []string `json:"cardIds,omitempty"`
}

// reverseBizID is the bizId the reversal is sent with and keyed by: the
// vendor's, where the journal has it, else the row's.
func (d reversal) reverseBizID() string { return cmp.Or(d.VendorBizID, d.BizID) }

// zvcmsReverse reverses redemptions (couponReverse), keyed by the bizId the
// vendor returned for the redemption.
type zvcmsReverse struct {
	c *zvcms.Client
	// vendorIDs maps the bizId a redeem job sent to the one the vendor
	// returned, from the journal's redeem jobs (see loadVendorBizIDs).
	vendorIDs map[string]string
}

// loadVendorBizIDs reads, from the redeem jobs of the journal at path, the
// bizId the vendor returned for each bizId sent. A journal that does not
// exist yet gives none (and is not created); results journaled before the
// vendor's bizId was recorded give none for their key.
func loadVendorBizIDs(ctx context.Context, path string) (map[string]string, error) {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	j, err := journal.OpenExisting(path)
	if err != nil {
		return nil, err
	}
	defer j.Close()
	results, err := j.ResultsByKey(ctx, "redeem", "zvcms")
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for key, res := range results {
		var r struct {
			VendorBizID string `json:"vendorBizId"`
		}
		if json.Unmarshal(res, &r) == nil && r.VendorBizID != "" {
			out[key] = r.VendorBizID
		}
	}
	return out, nil
}

const reverseColumnsHelp = `columns: biz_id (the redemption's bizId: the one a redeem job of the journal
sent, which is reversed by the bizId the vendor returned for it, or the
vendor's own),
optional: customer_id, card_ids (separated by ; or blanks: only these codes;
with customer_id they let --resume check an unknown outcome)`

func (k *zvcmsReverse) Name() string           { return "reverse" }
func (k *zvcmsReverse) Vendor() string         { return "zvcms" }
func (k *zvcmsReverse) Class() couponkit.Class { return couponkit.ClassKeyed }
func (k *zvcmsReverse) Columns() []string      { return []string{"biz_id"} }
func (k *zvcmsReverse) ChunkSize() int         { return 1 }

func (k *zvcmsReverse) Parse(r csvio.Row) (json.RawMessage, error) {
	d := reversal{BizID: r.Get("biz_id"), CustomerID: r.Get("customer_id")}
	if d.BizID == "" {
		return nil, errors.New("empty biz_id")
	}
	d.VendorBizID = k.vendorIDs[d.BizID]
	d.CardIDs = strings.FieldsFunc(r.Get("card_ids"), func(r rune) bool { return r == ';' || r == ' ' || r == '|' })
	return json.Marshal(d)
}

// Identities names the redemption reversed (its bizId).
func (k *zvcmsReverse) Identities(e json.RawMessage) []string {
	var d reversal
	if json.Unmarshal(e, &d) != nil {
		return nil
	}
	return []string{"biz_id " + d.BizID}
}

func (k *zvcmsReverse) Key(es []json.RawMessage) string {
	var d reversal
	json.Unmarshal(es[0], &d)
	return d.reverseBizID()
}

func (k *zvcmsReverse) Describe(key string, es []json.RawMessage) string {
	var d reversal
	json.Unmarshal(es[0], &d)
	from := ""
	if d.VendorBizID != "" {
		from = " (redemption sent as " + d.BizID + ")"
	}
	return fmt.Sprintf("couponReverse bizId=%s%s customer=%s cards=[%s]", key, from, d.CustomerID, strings.Join(d.CardIDs, " "))
}

func (k *zvcmsReverse) Send(ctx context.Context, key string, es []json.RawMessage) (any, error) {
	var d reversal
	if err := json.Unmarshal(es[0], &d); err != nil {
		return nil, err
	}
	res, err := k.c.ReverseWriteOff(ctx, &zvcms.ReverseRequest{BizID: key, CustomerID: d.CustomerID, CardIDs: d.CardIDs})
	if err != nil {
		return nil, err
	}
	return map[string]any{"bizId": res.BizID, "requestId": res.Meta.RequestID}, nil
}

// Check tells whether a reversal was applied from the customer's coupons:
// every card unused again. Rows without customer_id and card_ids cannot be
// checked (they are re-sent with their bizId, a keyed write).
func (k *zvcmsReverse) Check(ctx context.Context, key string, es []json.RawMessage) (bool, any, error) {
	var d reversal
	if err := json.Unmarshal(es[0], &d); err != nil {
		return false, nil, err
	}
	if d.CustomerID == "" || len(d.CardIDs) == 0 {
		return false, nil, errors.New("no customer_id and card_ids to check with")
	}
	return cardsIn(ctx, k.c, redemption{CustomerID: d.CustomerID, CardIDs: d.CardIDs}, zvcms.UseStatusUnused, key)
}
