package taobaofilm

import (
	"strconv"

	"github.com/couponkit/couponkit/internal/wiretype"
)

// OperateType selects which codes an export returns (operate_type).
type OperateType string

const (
	// OperateAll exports every code of the batch (ALL, 全量拉取).
	OperateAll OperateType = "ALL"
	// OperateConsume exports the redeemed codes (CONSUME, 核销拉取).
	OperateConsume OperateType = "CONSUME"
)

// String returns the wire value.
func (o OperateType) String() string { return string(o) }

// ValidDurationType says how a batch's validity is expressed
// (valid_duration_type).
type ValidDurationType string

const (
	// DurationGeneral is a fixed date range (GENERAL, 固定日期).
	DurationGeneral ValidDurationType = "GENERAL"
	// DurationDay is a number of days after binding (DAY, 有效天数): see
	// Basic.ValidDays.
	DurationDay ValidDurationType = "DAY"
)

// String returns the wire value.
func (v ValidDurationType) String() string { return string(v) }

// CodeStatus is a code's state (code_status). Values TOP does not document
// are kept as they came.
type CodeStatus int

const (
	// StatusInvalid is an invalidated code (-2, 已失效).
	StatusInvalid CodeStatus = -2
	// StatusExpired is an expired code (-1, 过期).
	StatusExpired CodeStatus = -1
	// StatusNormal is a usable code (0, 正常).
	StatusNormal CodeStatus = 0
	// StatusRedeemed is a redeemed code (2, 核销).
	StatusRedeemed CodeStatus = 2
)

// String returns "invalid", "expired", "normal", "redeemed", or
// "CodeStatus(n)" for an undocumented value.
func (s CodeStatus) String() string {
	switch s {
	case StatusInvalid:
		return "invalid"
	case StatusExpired:
		return "expired"
	case StatusNormal:
		return "normal"
	case StatusRedeemed:
		return "redeemed"
	}
	return "CodeStatus(" + strconv.Itoa(int(s)) + ")"
}

// UnmarshalJSON reads a JSON number or a string holding one ("" is 0);
// null leaves s as it is.
func (s *CodeStatus) UnmarshalJSON(b []byte) error {
	n, err := readInt(b, int64(*s))
	*s = CodeStatus(n)
	return err
}

// BindStatus says whether a code is bound to a user (bind_status).
type BindStatus int

const (
	// BindUnbound is a code no user has bound (-1, 未绑定).
	BindUnbound BindStatus = -1
	// BindBound is a code bound to a user (0, 已绑定).
	BindBound BindStatus = 0
)

// String returns "unbound", "bound", or "BindStatus(n)" for an undocumented value.
func (s BindStatus) String() string {
	switch s {
	case BindUnbound:
		return "unbound"
	case BindBound:
		return "bound"
	}
	return "BindStatus(" + strconv.Itoa(int(s)) + ")"
}

// UnmarshalJSON reads a JSON number or a string holding one ("" is 0);
// null leaves s as it is.
func (s *BindStatus) UnmarshalJSON(b []byte) error {
	n, err := readInt(b, int64(*s))
	*s = BindStatus(n)
	return err
}

// readInt reads an integer as wiretype.Int does; it returns cur for null
// and on error.
func readInt(b []byte, cur int64) (int64, error) {
	n := wiretype.Int(cur)
	if err := n.UnmarshalJSON(b); err != nil {
		return cur, err
	}
	return int64(n), nil
}
