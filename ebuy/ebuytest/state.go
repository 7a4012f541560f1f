package ebuytest

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/internal/cntime"
	"github.com/couponkit/couponkit/internal/ids"
)

// History record types (the fake's own; see the package doc).
const (
	historyMade        = "1"
	historyRedeemed    = "2"
	historyActivated   = "3"
	historyDeactivated = "4"
	historyFrozen      = "5"
	historyUnfrozen    = "6"
	historyVoided      = "7"
	historyDelayed     = "8"
	historyCancelled   = "9"
)

type codeState struct {
	code                 string
	status               ebuy.CodeStatus
	product              ebuy.TicketID
	orderID              string
	orderItem            string // makeCode's item.outerOrderItemId
	password             string
	validStart, validEnd time.Time
	lastOp               string // operationType of the last status change
	updated              time.Time
	history              []historyRecord
}

type historyRecord struct {
	at                    time.Time
	typ, msg              string
	shopNo, shopName, mid string
	terminalID, serialNo  string
	returnCode            string
}

type redemption struct {
	uuid, cashierTransNo string
	codes                []string
	at                   time.Time
	shopNo, shopName     string
	cancelled            map[string]bool
}

// CodeState is a snapshot of one code of the fake, taken under its lock.
type CodeState struct {
	// Code is the code's number as the fake made it: "1031" and a
	// 15-digit sequence number, counted across the fake's products, so a
	// fake used the same way makes the same codes.
	Code string
	// Status is the code's status: made 03, active 00, frozen 04, voided 05, redeemed 01.
	Status ebuy.CodeStatus
	// TicketID is the code's product.
	TicketID ebuy.TicketID
	// OuterOrderID is the order the code was made for: the request's
	// saleChannelOrderId (thirdBatchMake), outerOrderId (makeCode), or
	// "FAKE-ORDER-n" for codes made by MakeCodes or SeedCodes.
	OuterOrderID string
	// ValidStart and ValidEnd bound the code's validity, to the second, in
	// Beijing time as e-Buy writes them (yyyyMMddHHmmss); zero when unset.
	ValidStart, ValidEnd time.Time
	// History holds the type of each operation recorded on the code, oldest
	// first: "1" made, "2" redeemed, "3" activated, … (see the package doc).
	History []string
}

// MakeCodes makes n codes of the first product in state made (03, not
// activated), as thirdBatchMake does, and returns them. Codes are numbered in
// order, so a fake used the same way makes the same codes.
func (s *Server) MakeCodes(n int) []string { return s.SeedCodes(n, ebuy.StatusNotActivated) }

// SeedCodes makes n codes of the first product directly in status and
// returns them.
func (s *Server) SeedCodes(n int, status ebuy.CodeStatus) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.orderSeq++
	order := "FAKE-ORDER-" + strconv.Itoa(s.orderSeq)
	codes := s.makeLocked(s.cfg.Products[0].ID, n, order, now, time.Time{}, time.Time{})
	for _, c := range codes {
		s.codes[c].status = status
	}
	s.orders[order] = codes
	return codes
}

// Code returns a snapshot of code, and false when the fake does not know it.
func (s *Server) Code(code string) (CodeState, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.codes[code]
	if !ok {
		return CodeState{}, false
	}
	hist := make([]string, len(c.history))
	for i, h := range c.history {
		hist[i] = h.typ
	}
	return CodeState{Code: c.code, Status: c.status, TicketID: c.product, OuterOrderID: c.orderID, ValidStart: c.validStart, ValidEnd: c.validEnd, History: hist}, true
}

// Order returns the codes made for a sales channel's order
// (saleChannelOrderId, by ThirdBatchMake or SeedCodes), and false when the
// fake made none for it.
func (s *Server) Order(saleChannelOrderID string) ([]string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	codes, ok := s.orders[saleChannelOrderID]
	return append([]string(nil), codes...), ok
}

// Redeem redeems active codes at a shop, as a till would, and returns the
// redemption's uuid (the OriginalUUID to cancel it with). Every code must be
// active (00); otherwise nothing changes.
func (s *Server) Redeem(shopNo, shopName string, codes ...string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(codes) == 0 {
		return "", errors.New("ebuytest: Redeem needs codes")
	}
	for _, code := range codes {
		c, ok := s.codes[code]
		if !ok {
			return "", fmt.Errorf("ebuytest: unknown code %s", code)
		}
		if c.status != ebuy.StatusUnused {
			return "", fmt.Errorf("ebuytest: code %s is %s, not active", code, c.status)
		}
	}
	now := s.now()
	r := &redemption{uuid: ids.DatedHex(now, cntime.Location()), codes: codes, at: now, shopNo: shopNo, shopName: shopName, cancelled: map[string]bool{}}
	s.redeemLocked(r)
	return r.uuid, nil
}

// RedeemAtTill redeems active codes as a brand's till reported with
// verify-syncVerifyNotify under cashierTransNo (the key
// CancelSyncedRedemptions takes them back with). Every code must be active
// (00); otherwise nothing changes.
func (s *Server) RedeemAtTill(cashierTransNo, shopNo, shopName string, codes ...string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(codes) == 0 || cashierTransNo == "" {
		return errors.New("ebuytest: RedeemAtTill needs a cashierTransNo and codes")
	}
	for _, code := range codes {
		if c, ok := s.codes[code]; !ok || c.status != ebuy.StatusUnused {
			return fmt.Errorf("ebuytest: code %s is unknown or not active", code)
		}
	}
	now := s.now()
	s.redeemLocked(&redemption{uuid: ids.DatedHex(now, cntime.Location()), cashierTransNo: cashierTransNo, codes: codes, at: now,
		shopNo: shopNo, shopName: shopName, cancelled: map[string]bool{}})
	return nil
}

func (s *Server) redeemLocked(r *redemption) {
	for _, code := range r.codes {
		c := s.codes[code]
		c.status, c.lastOp, c.updated = ebuy.StatusRedeemed, "verify", r.at
		c.history = append(c.history, historyRecord{at: r.at, typ: historyRedeemed, msg: "SUCCESS", shopNo: r.shopNo, shopName: r.shopName,
			mid: "860020051401034", terminalID: "54022101", serialNo: "0", returnCode: "00"})
	}
	s.redemptions[r.uuid] = r
	if r.cashierTransNo != "" {
		s.redemptions[r.cashierTransNo] = r
	}
}

func (s *Server) now() time.Time { return s.Clock().Now().In(cntime.Location()) }

// makeLocked creates n codes of product in state made (03).
func (s *Server) makeLocked(product ebuy.TicketID, n int, order string, now, start, end time.Time) []string {
	codes := make([]string, 0, n)
	for range n {
		s.seq++
		code := fmt.Sprintf("1031%015d", s.seq)
		s.codes[code] = &codeState{
			code: code, status: ebuy.StatusNotActivated, product: product, orderID: order,
			password: fmt.Sprintf("%06d", s.seq*7919%1000000), validStart: start, validEnd: end, updated: now,
			history: []historyRecord{{at: now, typ: historyMade, msg: "操作成功", returnCode: "00"}},
		}
		codes = append(codes, code)
	}
	return codes
}

// transition applies an operation to a code: its new status and history.
func (c *codeState) transition(to ebuy.CodeStatus, op, typ, msg string, now time.Time) {
	c.status, c.lastOp, c.updated = to, op, now
	c.history = append(c.history, historyRecord{at: now, typ: typ, msg: msg, returnCode: "00"})
}
