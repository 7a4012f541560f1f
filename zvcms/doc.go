// Package zvcms is a client for the coupon API of the zvcms (智迈, Anhui
// Zhimai) CRM open platform: list a customer's coupons (getCustomerCoupons)
// and redeem them (writeOffCoupon), plus a signed generic [Client.Call] for
// any other V3 endpoint. Package zvcms/zvcmstest is a stateful fake of the
// gateway for tests.
//
// # Requests
//
// Every call is an HTTP POST of a JSON body to Gateway + "/v3/crm/coupon/<api>":
//
//	{"openId":…, "grantCode":…, "timestamp":"1547186244", "nonce":"658965", "token":…, "params":{…}}
//
// params (the business object) is encoded once per logical call; each
// attempt gets a fresh 10-digit timestamp in seconds (from the client's
// clock, couponkit.WithClock), a fresh nonce and a fresh token. timestamp and
// nonce are sent as strings, as on the vendor's page.
//
// Protocol points that are assumptions, with the default chosen and how to
// change it:
//
//   - token [likely]: URL-escape(Base64(HMAC-SHA1(key = OpenKey,
//     "grantCode=…&nonce=…&openId=…&timestamp=…"))), params not signed
//     ([DefaultToken]). The vendor's page on it is not public. Replace it
//     with Config.TokenFunc.
//   - nonce [likely]: a random integer in [1, 2^31-1] ([DefaultNonce]), within
//     a Java int as the vendor's 6-digit example suggests. Replace it with
//     Config.NonceFunc. With 31 bits, two nonces of one client collide with
//     even odds only after some 55,000 requests within the gateway's replay
//     window, which is not published [open].
//   - timestamp window and nonce replay rules [open]: keep the host's clock
//     right; the fake allows 5 minutes each way.
//   - useStatus filter [likely]: sent as a JSON number (the page's table says
//     int) and left out when not filtering (the page's example sends "").
//   - writeOffCoupon params: bizId, channel, customerId, couponsCardList and
//     ext{channelType, orderNo} are the vendor's names; couponsCardList as an
//     array of cardId strings is [likely]; useCount, orderAmount, amount and
//     ext.storeCode are [open] (see [WriteOffRequest]). Client.Call sends any
//     other shape.
//
// # Responses
//
// Every response is {status, code, message, data}. status and code arrive as
// strings ("true", "0", as on the vendor's page) or as a bool and a number
// (as on the vendor's sibling platform); both decode. Success is status true
// with code 0 and nothing else: any other envelope is a *couponkit.Error with
// the vendor's code and message. getCustomerCoupons' data is one object on
// the vendor's page; an object and an array both decode.
//
// # Errors
//
// The vendor's global error codes are not public [open]. A failure is
// classified by its envelope, unless Config.CodeFaults names its code:
// status true with a non-zero code is a business refusal (couponkit.FaultClient,
// such as 查询的信息不存在); status false is a system failure, couponkit.FaultAuth
// when its message is about the token, signature, credentials, authorisation,
// timestamp or nonce, couponkit.FaultThrottle when about request frequency,
// couponkit.FaultServer when the system is busy, else couponkit.FaultUnknown
// (not retried). HTTP 5xx and 429 are Server and Throttle faults.
//
// # Writes and idempotency
//
// getCustomerCoupons is a read. writeOffCoupon is a keyed write: bizId is its
// idempotency key (and the key of a later reversal). A redemption is retried
// with the same bizId, re-signed; when its outcome cannot be known, the error
// matches couponkit.ErrUnknownOutcome and couponkit.IdempotencyKey returns
// the bizId. An empty WriteOffRequest.BizID is generated (32 hex digits).
//
// # Units and time
//
// Money is integer fen (couponkit.Fen). Times are Beijing time (UTC+8,
// whatever the host's zone): coupon times read "yyyy-MM-dd HH:mm:ss", with
// or without zero padding (the vendor's own example has "17:10:2").
package zvcms
