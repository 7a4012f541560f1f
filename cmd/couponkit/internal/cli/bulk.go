package cli

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/cmd/couponkit/internal/csvio"
	"github.com/couponkit/couponkit/cmd/couponkit/internal/jobs"
	"github.com/couponkit/couponkit/cmd/couponkit/internal/journal"
	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/houcaller"
	"github.com/couponkit/couponkit/taobaofilm"
	"github.com/couponkit/couponkit/zvcms"
)

// The bulk jobs of the issue-side writes: zvcms issue, ebuy make-codes,
// taobaofilm send-codes and houcaller record-consumption. One request a row,
// the row's key journaled before it is sent.

func randHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// splitList splits a cell holding several values (; | or blanks).
func splitList(v string) []string {
	return strings.FieldsFunc(v, func(r rune) bool { return r == ';' || r == ' ' || r == '|' })
}

// positive reads an optional whole number of at least 1 (def when empty).
func positive(r csvio.Row, col string, def int64) (int64, error) {
	v := r.Get(col)
	if v == "" {
		if def > 0 {
			return def, nil
		}
		return 0, fmt.Errorf("empty %s", col)
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("%s %q is not a whole number of at least 1", col, v)
	}
	return n, nil
}

func one[T any](es []json.RawMessage) (T, error) {
	var d T
	if len(es) != 1 {
		return d, fmt.Errorf("%d entries in a one-row item", len(es))
	}
	return d, json.Unmarshal(es[0], &d)
}

// ---- zvcms issue

// issueRow is one row of a zvcms issue file.
type issueRow struct {
	BizID        string `json:"bizId,omitempty"`
	CustomerID   string `json:"customerId"`
	CouponID     string `json:"couponId"`
	Num          int    `json:"num"`
	ThirdChannel string `json:"thirdChannel,omitempty"`
}

const issueColumnsHelp = `columns: customer_id, coupon_id,
optional: biz_id (the issue's key; empty: one is generated and journaled),
num (default 1), third_channel (default --third-channel)`

// zvcmsIssue issues coupons (issueCouponsToCustomer), one request a row. It
// is Unsafe unless --keyed: before each issue the customer's coupons of that
// coupon id are listed (getCustomerCouponList) and journaled with the bizId,
// so that on --resume an unknown outcome is settled by listing them again.
// Rows of one customer and coupon id go out one at a time, and after an
// unknown outcome the later ones wait for --resume, so that the new coupons
// found belong to the item checked.
type zvcmsIssue struct {
	c            *zvcms.Client
	keyed        bool
	thirdChannel string

	mu    sync.Mutex
	pairs map[string]*issuePair
}

type issuePair struct {
	mu   sync.Mutex
	held bool
}

func (k *zvcmsIssue) Name() string   { return "issue" }
func (k *zvcmsIssue) Vendor() string { return "zvcms" }
func (k *zvcmsIssue) Class() couponkit.Class {
	if k.keyed {
		return couponkit.ClassKeyed
	}
	return couponkit.ClassUnsafe
}
func (k *zvcmsIssue) Columns() []string { return []string{"customer_id", "coupon_id"} }
func (k *zvcmsIssue) ChunkSize() int    { return 1 }

func (k *zvcmsIssue) Parse(r csvio.Row) (json.RawMessage, error) {
	d := issueRow{BizID: r.Get("biz_id"), CustomerID: r.Get("customer_id"), CouponID: r.Get("coupon_id"), ThirdChannel: r.Get("third_channel")}
	if d.ThirdChannel == "" {
		d.ThirdChannel = k.thirdChannel
	}
	switch {
	case d.CustomerID == "":
		return nil, errors.New("empty customer_id")
	case d.CouponID == "":
		return nil, errors.New("empty coupon_id")
	}
	n, err := positive(r, "num", 1)
	if err != nil {
		return nil, err
	}
	d.Num = int(n)
	return json.Marshal(d)
}

// Identities names the row's bizId, when given (rows of one customer and
// coupon id are not repeats: each issues coupons).
func (k *zvcmsIssue) Identities(e json.RawMessage) []string {
	var d issueRow
	if json.Unmarshal(e, &d) != nil || d.BizID == "" {
		return nil
	}
	return []string{"biz_id " + d.BizID}
}

func (k *zvcmsIssue) Key(es []json.RawMessage) string {
	if d, err := one[issueRow](es); err == nil && d.BizID != "" {
		return d.BizID
	}
	return randHex(16)
}

func (k *zvcmsIssue) Describe(key string, es []json.RawMessage) string {
	d, _ := one[issueRow](es)
	return fmt.Sprintf("issueCouponsToCustomer bizId=%s customer=%s coupon=%s num=%d", key, d.CustomerID, d.CouponID, d.Num)
}

func (k *zvcmsIssue) Send(ctx context.Context, key string, es []json.RawMessage) (any, error) {
	d, err := one[issueRow](es)
	if err != nil {
		return nil, err
	}
	res, err := k.c.IssueCoupons(ctx, &zvcms.IssueRequest{BizID: key, CustomerID: d.CustomerID, CouponID: d.CouponID, Num: d.Num, ThirdChannel: d.ThirdChannel})
	if err != nil {
		return nil, err
	}
	return map[string]any{"bizId": res.BizID, "cardIds": res.CardIDs, "num": res.Num, "requestId": res.Meta.RequestID}, nil
}

func (k *zvcmsIssue) pair(d issueRow) *issuePair {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.pairs == nil {
		k.pairs = map[string]*issuePair{}
	}
	id := d.CustomerID + "\x00" + d.CouponID
	p := k.pairs[id]
	if p == nil {
		p = &issuePair{}
		k.pairs[id] = p
	}
	return p
}

// cards lists the customer's coupons of the row's coupon id.
func (k *zvcmsIssue) cards(ctx context.Context, d issueRow) ([]string, error) {
	var out []string
	for c, err := range k.c.CustomerCouponList(ctx, &zvcms.CouponListRequest{CustomerID: d.CustomerID}) {
		if err != nil {
			return nil, err
		}
		if c.CouponID == d.CouponID {
			out = append(out, c.CardID)
		}
	}
	slices.Sort(out)
	// A card listed twice means the listing repeated a page; what it then
	// holds cannot tell an issue applied from one that was not.
	for i := 1; i < len(out); i++ {
		if out[i] == out[i-1] {
			return nil, fmt.Errorf("the listing named card %s twice (a page repeated)", out[i])
		}
	}
	return out, nil
}

type issueBefore struct {
	Cards []string `json:"cards"`
}

func (k *zvcmsIssue) Prepare(ctx context.Context, _ string, es []json.RawMessage) (json.RawMessage, func(string), error) {
	if k.keyed {
		return nil, func(string) {}, nil
	}
	d, err := one[issueRow](es)
	if err != nil {
		return nil, nil, err
	}
	p := k.pair(d)
	p.mu.Lock()
	if p.held {
		p.mu.Unlock()
		return nil, nil, jobs.ErrHold
	}
	release := func(state string) {
		if state == journal.Sent || state == journal.Unknown {
			p.held = true
		}
		p.mu.Unlock()
	}
	cards, err := k.cards(ctx, d)
	if err != nil {
		release(journal.Failed)
		return nil, nil, fmt.Errorf("the customer's coupons could not be listed first: %w", err)
	}
	b, err := json.Marshal(issueBefore{Cards: cards})
	if err != nil {
		release(journal.Failed)
		return nil, nil, err
	}
	return b, release, nil
}

// CheckBefore lists the customer's coupons of the coupon id again: exactly
// num new ones mean the issue was applied, none that it was not; anything
// else cannot be told, and the item stays listed.
func (k *zvcmsIssue) CheckBefore(ctx context.Context, key string, es []json.RawMessage, before json.RawMessage) (bool, any, error) {
	d, err := one[issueRow](es)
	if err != nil {
		return false, nil, err
	}
	var b issueBefore
	if err := json.Unmarshal(before, &b); err != nil {
		return false, nil, err
	}
	now, err := k.cards(ctx, d)
	if err != nil {
		return false, nil, err
	}
	var added []string
	for _, c := range now {
		if _, found := slices.BinarySearch(b.Cards, c); !found {
			added = append(added, c)
		}
	}
	switch len(added) {
	case 0:
		return false, nil, nil
	case d.Num:
		return true, map[string]any{"checkedBy": "getCustomerCouponList", "bizId": key, "cardIds": added}, nil
	}
	return false, nil, fmt.Errorf("%d new coupons of %s since it was sent, not %d: cannot tell", len(added), d.CouponID, d.Num)
}

func (k *zvcmsIssue) Unresolved(es []json.RawMessage) {
	if d, err := one[issueRow](es); err == nil {
		p := k.pair(d)
		p.mu.Lock()
		p.held = true
		p.mu.Unlock()
	}
}

// ---- ebuy make-codes

// makeRow is one row of an ebuy make-codes file.
type makeRow struct {
	OuterOrderID string        `json:"outerOrderId"`
	ItemID       string        `json:"outerOrderItemId,omitempty"`
	TicketID     ebuy.TicketID `json:"ticketId"`
	Count        int           `json:"count"`
	Remark       string        `json:"remark,omitempty"`
}

const makeColumnsHelp = `columns: outer_order_id (the order, reported as the key), ticket_id, count,
optional: outer_order_item_id, remark`

// ebuyMakeCodes issues codes to sales orders (makeCode), one request a row.
// Unsafe: e-Buy 4.1 publishes no de-duplication and no query of a make
// order, so an unknown outcome is listed, never sent again. With
// ebuy.Config.MakeCodesDeduplicates (EBUY_MAKE_CODES_DEDUPLICATES=true in the
// environment or the profile) it is Keyed on outerOrderId, like the client's
// MakeCodes: an unknown outcome is sent again with its outer_order_id.
type ebuyMakeCodes struct {
	c *ebuy.Client
	// dedup is the client's MakeCodesDeduplicates.
	dedup bool
}

func (k *ebuyMakeCodes) Name() string   { return "make-codes" }
func (k *ebuyMakeCodes) Vendor() string { return "ebuy" }
func (k *ebuyMakeCodes) Class() couponkit.Class {
	if k.dedup {
		return couponkit.ClassKeyed
	}
	return couponkit.ClassUnsafe
}
func (k *ebuyMakeCodes) Columns() []string {
	return []string{"outer_order_id", "ticket_id", "count"}
}
func (k *ebuyMakeCodes) ChunkSize() int { return 1 }

func (k *ebuyMakeCodes) Parse(r csvio.Row) (json.RawMessage, error) {
	d := makeRow{OuterOrderID: r.Get("outer_order_id"), ItemID: r.Get("outer_order_item_id"), Remark: r.Get("remark")}
	if d.OuterOrderID == "" {
		return nil, errors.New("empty outer_order_id")
	}
	t, err := positive(r, "ticket_id", 0)
	if err != nil {
		return nil, err
	}
	n, err := positive(r, "count", 0)
	if err != nil {
		return nil, err
	}
	d.TicketID, d.Count = ebuy.TicketID(t), int(n)
	return json.Marshal(d)
}

// Identities names the row's order (outer_order_id, its key).
func (k *ebuyMakeCodes) Identities(e json.RawMessage) []string {
	var d makeRow
	if json.Unmarshal(e, &d) != nil {
		return nil
	}
	return []string{"outer_order_id " + d.OuterOrderID}
}

func (k *ebuyMakeCodes) Key(es []json.RawMessage) string {
	d, _ := one[makeRow](es)
	return d.OuterOrderID
}

func (k *ebuyMakeCodes) Describe(key string, es []json.RawMessage) string {
	d, _ := one[makeRow](es)
	return fmt.Sprintf("makeCode outerOrderId=%s ticketId=%d count=%d", key, d.TicketID, d.Count)
}

func (k *ebuyMakeCodes) Send(ctx context.Context, key string, es []json.RawMessage) (any, error) {
	d, err := one[makeRow](es)
	if err != nil {
		return nil, err
	}
	res, err := k.c.MakeCodes(ctx, &ebuy.MakeCodesRequest{OuterOrderID: key, OuterOrderItemID: d.ItemID, TicketID: d.TicketID, Count: d.Count, Remark: d.Remark})
	if err != nil {
		return nil, err
	}
	codes := make([]string, len(res.Codes))
	for i, c := range res.Codes {
		codes[i] = c.Code
	}
	return map[string]any{"outerOrderId": res.OuterOrderID, "codes": codes}, nil
}

// ---- taobaofilm send-codes

// sendRow is one row of a taobaofilm send-codes file.
type sendRow struct {
	ExtOrderID  string   `json:"extOrderId"`
	MixID       string   `json:"mixId"`
	PartnerCode string   `json:"partnerCode"`
	Number      int64    `json:"number"`
	EachCount   int64    `json:"eachNum,omitempty"`
	UserIDs     []string `json:"userIds,omitempty"`
	UserIDType  string   `json:"userIdType,omitempty"`
	OutUID      string   `json:"outUid,omitempty"`
	OutUserName string   `json:"outUserName,omitempty"`
}

const sendColumnsHelp = `columns: number,
optional: ext_order_id (the key; empty: one is generated and journaled),
mix_id and partner_code (default --mix-id, --partner-code), each_num,
user_ids (separated by ; or blanks), user_id_type (TAOBAO or TAOBAO_NAME),
out_uid, out_user_name`

// taobaoSend issues codes (taobao.film.lottery.sendcode), one request a row,
// Keyed by ext_order_id: on --resume an unknown outcome is sent again with
// its recorded ext_order_id.
type taobaoSend struct {
	c                  *taobaofilm.Client
	mixID, partnerCode string
}

func (k *taobaoSend) Name() string           { return "send-codes" }
func (k *taobaoSend) Vendor() string         { return "taobaofilm" }
func (k *taobaoSend) Class() couponkit.Class { return couponkit.ClassKeyed }
func (k *taobaoSend) Columns() []string      { return []string{"number"} }
func (k *taobaoSend) ChunkSize() int         { return 1 }

func (k *taobaoSend) Parse(r csvio.Row) (json.RawMessage, error) {
	d := sendRow{ExtOrderID: r.Get("ext_order_id"), MixID: r.Get("mix_id"), PartnerCode: r.Get("partner_code"),
		UserIDs: splitList(r.Get("user_ids")), UserIDType: r.Get("user_id_type"), OutUID: r.Get("out_uid"), OutUserName: r.Get("out_user_name")}
	if d.MixID == "" {
		d.MixID = k.mixID
	}
	if d.PartnerCode == "" {
		d.PartnerCode = k.partnerCode
	}
	switch {
	case d.MixID == "":
		return nil, errors.New("no mix_id (column mix_id or --mix-id)")
	case d.PartnerCode == "":
		return nil, errors.New("no partner_code (column partner_code or --partner-code)")
	case d.UserIDType != "" && d.UserIDType != string(taobaofilm.UserIDTaobao) && d.UserIDType != string(taobaofilm.UserIDTaobaoName):
		return nil, fmt.Errorf("user_id_type %q is not TAOBAO or TAOBAO_NAME", d.UserIDType)
	}
	var err error
	if d.Number, err = positive(r, "number", 0); err != nil {
		return nil, err
	}
	if r.Get("each_num") != "" {
		if d.EachCount, err = positive(r, "each_num", 0); err != nil {
			return nil, err
		}
		if d.EachCount > d.Number {
			return nil, fmt.Errorf("each_num %d is more than number %d", d.EachCount, d.Number)
		}
	}
	return json.Marshal(d)
}

// Identities names the row's ext_order_id, when given.
func (k *taobaoSend) Identities(e json.RawMessage) []string {
	var d sendRow
	if json.Unmarshal(e, &d) != nil || d.ExtOrderID == "" {
		return nil
	}
	return []string{"ext_order_id " + d.ExtOrderID}
}

func (k *taobaoSend) Key(es []json.RawMessage) string {
	if d, err := one[sendRow](es); err == nil && d.ExtOrderID != "" {
		return d.ExtOrderID
	}
	return time.Now().In(beijing).Format("20060102150405") + randHex(8)
}

func (k *taobaoSend) Describe(key string, es []json.RawMessage) string {
	d, _ := one[sendRow](es)
	return fmt.Sprintf("taobao.film.lottery.sendcode ext_order_id=%s mix_id=%s partner_code=%s number=%d", key, d.MixID, d.PartnerCode, d.Number)
}

func (k *taobaoSend) Send(ctx context.Context, key string, es []json.RawMessage) (any, error) {
	d, err := one[sendRow](es)
	if err != nil {
		return nil, err
	}
	res, err := k.c.SendCodes(ctx, &taobaofilm.SendCodesRequest{MixID: d.MixID, PartnerCode: d.PartnerCode, ExtOrderID: key, Number: d.Number,
		EachCount: d.EachCount, UserIDs: d.UserIDs, UserIDType: taobaofilm.UserIDType(d.UserIDType), OutUID: d.OutUID, OutUserName: d.OutUserName})
	if err != nil {
		return nil, err
	}
	codes := make([]string, len(res.Codes))
	for i, c := range res.Codes {
		codes[i] = c.Code
	}
	return map[string]any{"extOrderId": res.ExtOrderID, "codes": codes}, nil
}

// ---- houcaller record-consumption

// consumptionRow is one row of a houcaller record-consumption file.
type consumptionRow struct {
	SerialCode  string        `json:"serialCode"`
	MemberID    string        `json:"memberId"`
	OrderID     string        `json:"orderId"`
	Amount      couponkit.Fen `json:"amountFen"`
	PaidAmount  couponkit.Fen `json:"paidAmountFen"`
	HaobiAmount couponkit.Fen `json:"haobiAmountFen"`
	BizDate     string        `json:"bizDate"`
	OrgCode     string        `json:"orgCode,omitempty"`
	Operator    string        `json:"operator,omitempty"`
	Remark      string        `json:"remark,omitempty"`
}

const consumptionColumnsHelp = `columns: member_id, order_id, amount (yuan), biz_date (2006-01-02),
optional: serial_code (the key; empty: one is generated and journaled),
paid_amount (default amount), haobi_amount (default paid_amount), org_code,
operator, remark`

// houcallerConsumption records spending (recordMemberCons), one request a
// row. Unsafe unless --keyed: Houcaller does not say what a repeated
// serialCode does and has no query of a record, so an unknown outcome is
// listed, never sent again.
type houcallerConsumption struct {
	c     *houcaller.Client
	keyed bool
}

func (k *houcallerConsumption) Name() string   { return "record-consumption" }
func (k *houcallerConsumption) Vendor() string { return "houcaller" }
func (k *houcallerConsumption) Class() couponkit.Class {
	if k.keyed {
		return couponkit.ClassKeyed
	}
	return couponkit.ClassUnsafe
}
func (k *houcallerConsumption) Columns() []string {
	return []string{"member_id", "order_id", "amount", "biz_date"}
}
func (k *houcallerConsumption) ChunkSize() int { return 1 }

func (k *houcallerConsumption) Parse(r csvio.Row) (json.RawMessage, error) {
	d := consumptionRow{SerialCode: r.Get("serial_code"), MemberID: r.Get("member_id"), OrderID: r.Get("order_id"),
		BizDate: r.Get("biz_date"), OrgCode: r.Get("org_code"), Operator: r.Get("operator"), Remark: r.Get("remark")}
	switch {
	case d.MemberID == "":
		return nil, errors.New("empty member_id")
	case d.OrderID == "":
		return nil, errors.New("empty order_id")
	}
	if _, err := time.ParseInLocation("2006-01-02", d.BizDate, beijing); err != nil {
		return nil, fmt.Errorf("biz_date %q is not a day such as 2025-01-31", d.BizDate)
	}
	yuan := func(col string, def couponkit.Fen) (couponkit.Fen, error) {
		v := r.Get(col)
		if v == "" && col != "amount" {
			return def, nil
		}
		f, err := couponkit.ParseYuan(v)
		if err != nil {
			return 0, fmt.Errorf("%s: %v", col, err)
		}
		if f < 0 {
			return 0, fmt.Errorf("%s is negative", col)
		}
		return f, nil
	}
	var err error
	if d.Amount, err = yuan("amount", 0); err != nil {
		return nil, err
	}
	if d.PaidAmount, err = yuan("paid_amount", d.Amount); err != nil {
		return nil, err
	}
	if d.HaobiAmount, err = yuan("haobi_amount", d.PaidAmount); err != nil {
		return nil, err
	}
	return json.Marshal(d)
}

// Identities names the row's serialCode (when given) and its member's
// order: one order recorded twice for a member is a repeat.
func (k *houcallerConsumption) Identities(e json.RawMessage) []string {
	var d consumptionRow
	if json.Unmarshal(e, &d) != nil {
		return nil
	}
	out := []string{"member_id " + d.MemberID + " order_id " + d.OrderID}
	if d.SerialCode != "" {
		out = append(out, "serial_code "+d.SerialCode)
	}
	return out
}

func (k *houcallerConsumption) Key(es []json.RawMessage) string {
	if d, err := one[consumptionRow](es); err == nil && d.SerialCode != "" {
		return d.SerialCode
	}
	return randHex(16)
}

func (k *houcallerConsumption) Describe(key string, es []json.RawMessage) string {
	d, _ := one[consumptionRow](es)
	return fmt.Sprintf("recordMemberCons serialCode=%s member=%s order=%s amount=%s bizDate=%s", key, d.MemberID, d.OrderID, d.Amount.Yuan(), d.BizDate)
}

func (k *houcallerConsumption) Send(ctx context.Context, key string, es []json.RawMessage) (any, error) {
	d, err := one[consumptionRow](es)
	if err != nil {
		return nil, err
	}
	day, err := time.ParseInLocation("2006-01-02", d.BizDate, beijing)
	if err != nil {
		return nil, err
	}
	res, err := k.c.RecordConsumption(ctx, &houcaller.ConsumptionRequest{SerialCode: key, MemberID: d.MemberID, OrderID: d.OrderID,
		Amount: d.Amount, PaidAmount: d.PaidAmount, HaobiAmount: d.HaobiAmount, BizDate: day, OrgCode: d.OrgCode, Operator: d.Operator, Remark: d.Remark})
	if err != nil {
		return nil, err
	}
	return map[string]any{"serialCode": res.SerialCode, "id": res.ID, "haobiEarned": res.HaobiEarned, "pointsEarned": res.PointsEarned}, nil
}

// isJobArgs reports whether args run a call's bulk job (--from or --resume)
// rather than the single call of the same name.
func isJobArgs(args []string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if strings.HasPrefix(a, "-") && (name == "from" || name == "resume") {
			return true
		}
	}
	return false
}
