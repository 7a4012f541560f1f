package ebuy

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"github.com/couponkit/couponkit/internal/cntime"
)

// CodeStatus is the state of a code as e-Buy reports it (codeStatus,
// currentStatus).
type CodeStatus string

// Code statuses. 00, 03, 04 and 05 are documented by e-Buy; 01 and 02 are
// assumptions (e-Buy's pages speak of used and expired codes without printing
// their values).
const (
	// StatusUnused (00) is an active code that can be redeemed (未使用).
	StatusUnused CodeStatus = "00"
	// StatusRedeemed (01, assumed) is a redeemed code (已使用), as
	// zvcms.UseStatusRedeemed and taobaofilm.StatusRedeemed.
	StatusRedeemed CodeStatus = "01"
	// StatusExpired (02, assumed) is a code past its validity (已过期).
	StatusExpired CodeStatus = "02"
	// StatusNotActivated (03) is a code made but not activated (未激活).
	StatusNotActivated CodeStatus = "03"
	// StatusFrozen (04) is a frozen code; unfreezing returns it to 00 (已冻结).
	StatusFrozen CodeStatus = "04"
	// StatusVoided (05) is a voided code; it cannot change again (已作废).
	StatusVoided CodeStatus = "05"
)

// StatusUsed is the former name of StatusRedeemed: use StatusRedeemed. It
// goes once the notification tests that still name it move to
// StatusRedeemed.
const StatusUsed = StatusRedeemed

// String returns a short English name ("unused", "frozen", …), or the raw
// value for a status this package does not know.
func (s CodeStatus) String() string {
	switch s {
	case StatusUnused:
		return "unused"
	case StatusRedeemed:
		return "redeemed"
	case StatusExpired:
		return "expired"
	case StatusNotActivated:
		return "not activated"
	case StatusFrozen:
		return "frozen"
	case StatusVoided:
		return "voided"
	default:
		return string(s)
	}
}

// UpdateType is what batchUpdateCodeStatus does to codes (updateType).
type UpdateType string

// Update types, with the transitions e-Buy documents.
const (
	// UpdateInvalid voids codes in 00, 03 or 04 (→ 05, 串码作废).
	UpdateInvalid UpdateType = "invalid"
	// UpdateFreeze freezes unused codes (00 → 04, 冻结串码).
	UpdateFreeze UpdateType = "freeze"
	// UpdateUnfreeze unfreezes frozen codes (04 → 00, 解冻串码).
	UpdateUnfreeze UpdateType = "unfreeze"
	// UpdateDelay moves the end of validity (codeValidEnd); used and voided
	// codes cannot be delayed (券码延期).
	UpdateDelay UpdateType = "delay"
)

// String returns the wire value.
func (t UpdateType) String() string { return string(t) }

// target is the status an update leaves a code in, or "" when it does not
// change the status.
func (t UpdateType) target() CodeStatus {
	switch t {
	case UpdateInvalid:
		return StatusVoided
	case UpdateFreeze:
		return StatusFrozen
	case UpdateUnfreeze:
		return StatusUnused
	default:
		return ""
	}
}

func (t UpdateType) valid() bool {
	return t == UpdateInvalid || t == UpdateFreeze || t == UpdateUnfreeze || t == UpdateDelay
}

// NotifyType says whom e-Buy notifies of a status update (notifyType).
type NotifyType string

// Notify types documented for batchUpdateCodeStatus.
const (
	// NotifyBrand notifies the brand (品牌通知).
	NotifyBrand NotifyType = "brand"
	// NotifyAgentChannel notifies the agent channel (代理商通知).
	NotifyAgentChannel NotifyType = "agentChannel"
	// NotifySaleChannel notifies the sales channel (销售渠道通知).
	NotifySaleChannel NotifyType = "saleChannel"
)

// YesNo is one of e-Buy's "Y"/"N" flags whose absence has its own meaning
// (each field's doc says which default e-Buy applies when it is left empty).
type YesNo string

// Flag values; the zero value leaves the field out of the request.
const (
	// Yes is "Y".
	Yes YesNo = "Y"
	// No is "N".
	No YesNo = "N"
)

func yes(b bool) YesNo {
	if b {
		return Yes
	}
	return ""
}

// TicketID is an e-Buy batch (ticket) or product id. e-Buy sends it as a JSON
// number of up to 16 digits in some answers and as a string in others; it is
// decoded from either without passing through a float.
type TicketID int64

// String returns the id in decimal.
func (t TicketID) String() string { return strconv.FormatInt(int64(t), 10) }

// UnmarshalJSON reads a JSON integer or a string of digits; "" and null are 0.
func (t *TicketID) UnmarshalJSON(b []byte) error {
	n, err := parseInt(b)
	*t = TicketID(n)
	return err
}

var errNotInt = errors.New("ebuy: not an integer")

// parseInt reads a JSON integer or a JSON string holding one; "", null and
// "null" are 0.
func parseInt(b []byte) (int64, error) {
	b, err := unquoteScalar(b)
	if err != nil {
		return 0, err
	}
	if len(b) == 0 || string(b) == "null" {
		return 0, nil
	}
	n, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		return 0, errNotInt
	}
	return n, nil
}

// unquoteScalar returns the text of a JSON scalar: a string's contents
// (unescaped), or any other value as written.
func unquoteScalar(b []byte) ([]byte, error) {
	b = bytes.TrimSpace(b)
	if len(b) < 2 || b[0] != '"' {
		return b, nil
	}
	if bytes.IndexByte(b, '\\') < 0 && b[len(b)-1] == '"' {
		return b[1 : len(b)-1], nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, err
	}
	return []byte(s), nil
}

// count is an integer e-Buy may send as a number or a string (useTimes).
type count int64

func (c *count) UnmarshalJSON(b []byte) error {
	n, err := parseInt(b)
	*c = count(n)
	return err
}

// compactLayout is e-Buy's yyyyMMddHHmmss layout.
const compactLayout = "20060102150405"

// dateLayout is e-Buy's yyyyMMdd layout.
const dateLayout = "20060102"

// wireTime is a time e-Buy sends as epoch milliseconds (number or string) or
// as text (yyyyMMddHHmmss, yyyy-MM-dd HH:mm:ss, yyyyMMdd), read in Beijing
// time. Anything else decodes to the zero time rather than failing the call:
// the raw text stays in Meta.Raw.
type wireTime time.Time

func (w *wireTime) UnmarshalJSON(b []byte) error {
	*w = wireTime(parseWireTime(b))
	return nil
}

func parseWireTime(b []byte) time.Time {
	b, err := unquoteScalar(b)
	if err != nil {
		return time.Time{}
	}
	s := string(b)
	switch {
	case s == "" || s == "null":
		return time.Time{}
	case len(s) == len(compactLayout) && isDigits(s):
		if t, err := time.ParseInLocation(compactLayout, s, cntime.Location()); err == nil {
			return t
		}
	case len(s) == len(dateLayout) && isDigits(s):
		if t, err := time.ParseInLocation(dateLayout, s, cntime.Location()); err == nil {
			return t
		}
	case len(s) == len(cntime.Layout):
		if t, err := cntime.Parse(s); err == nil {
			return t
		}
	}
	if isDigits(s) && len(s) <= 13 {
		if ms, err := strconv.ParseInt(s, 10, 64); err == nil {
			return cntime.FromMilli(ms)
		}
	}
	return time.Time{}
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// compactTime formats t in Beijing time as yyyyMMddHHmmss, or "" for the zero time.
func compactTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(cntime.Location()).Format(compactLayout)
}
