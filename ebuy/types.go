package ebuy

import (
	"bytes"
	"strconv"
	"time"

	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/wiretype"
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
	var n wiretype.Int
	err := n.UnmarshalJSON(b)
	*t = TicketID(n)
	return err
}

// count is an integer e-Buy may send as a number or a string (a
// notification's codeCount).
type count = wiretype.Int

// wireTime is a time in a notification, which e-Buy sends as epoch
// milliseconds (number or string) or as text (yyyyMMddHHmmss, yyyy-MM-dd
// HH:mm:ss, yyyyMMdd), read in Beijing time. Unlike the wiretype times of
// the typed calls' answers, a value it cannot read is the zero time rather
// than an error: a notification is not refused for a time nobody reads
// (the raw body stays available).
type wireTime time.Time

func (w *wireTime) UnmarshalJSON(b []byte) error {
	*w = wireTime(parseWireTime(b))
	return nil
}

// parseWireTime reads the JSON value b as wireTime does.
func parseWireTime(b []byte) time.Time {
	text, ok := jsonx.Scalar(bytes.TrimSpace(b))
	if !ok {
		return time.Time{}
	}
	t, err := wiretype.ParseTime(text)
	if err != nil {
		return time.Time{}
	}
	return t
}
