package zvcms

import (
	"strings"

	"github.com/couponkit/couponkit"
)

// FaultFor returns the fault of a vendor error code from the package's own
// table. The vendor's global error codes (全局返回编码) are not public [open],
// so the table is empty and FaultFor returns couponkit.FaultUnknown for every
// code; a failure is then classified by its envelope and the words of its
// message, as the package documentation's "Errors" section describes.
// Config.CodeFaults takes precedence over it.
func FaultFor(code string) couponkit.Fault { return couponkit.FaultUnknown }

// A failure whose code neither Config.CodeFaults nor FaultFor classifies is
// classified by its envelope, and for system failures by words of its message:
//
//   - status true with a code other than 0 is a business refusal (the request
//     was understood and refused, such as "查询的信息不存在"): FaultClient.
//   - status false is a system failure (系统错误). A message about the token,
//     signature, credentials, authorisation, timestamp or nonce is FaultAuth;
//     one about request frequency or rate limits is FaultThrottle; one saying
//     the system is busy is FaultServer; anything else is FaultUnknown (not
//     retried).
var (
	authWords     = []string{"token", "sign", "签名", "授权", "鉴权", "认证", "密钥", "openid", "openkey", "grantcode", "timestamp", "时间戳", "nonce", "随机数", "permission", "权限"}
	throttleWords = []string{"频繁", "限流", "rate limit", "too many", "流量"}
	serverWords   = []string{"繁忙", "busy"}
)

// classify returns the Fault of a failed envelope.
func classify(statusTrue bool, message string) couponkit.Fault {
	if statusTrue {
		return couponkit.FaultClient
	}
	m := strings.ToLower(message)
	switch {
	case containsAny(m, throttleWords):
		return couponkit.FaultThrottle
	case containsAny(m, authWords):
		return couponkit.FaultAuth
	case containsAny(m, serverWords):
		return couponkit.FaultServer
	default:
		return couponkit.FaultUnknown
	}
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
