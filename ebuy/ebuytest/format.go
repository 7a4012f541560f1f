package ebuytest

import (
	"time"

	"github.com/couponkit/couponkit/ebuy"
	"github.com/couponkit/couponkit/internal/cntime"
)

const compactLayout = "20060102150405"

func parseCompact(field, s string) (time.Time, *apiError) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation(compactLayout, s, cntime.Location())
	if err != nil {
		return time.Time{}, fail(ebuy.ErrCodeParamInvalid, "%s must be yyyyMMddHHmmss", field)
	}
	return t, nil
}

func compact(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(cntime.Location()).Format(compactLayout)
}

func statusDesc(st ebuy.CodeStatus) string {
	switch st {
	case ebuy.StatusUnused:
		return "未使用"
	case ebuy.StatusRedeemed:
		return "已使用"
	case ebuy.StatusExpired:
		return "已过期"
	case ebuy.StatusNotActivated:
		return "未激活"
	case ebuy.StatusFrozen:
		return "已冻结"
	case ebuy.StatusVoided:
		return "已作废"
	}
	return string(st)
}
