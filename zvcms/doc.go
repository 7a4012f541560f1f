// Package zvcms is a client for the coupon API of the zvcms (智迈, Anhui
// Zhimai) CRM open platform: list a customer's coupons (getCustomerCoupons,
// and page by page with [Client.CustomerCouponList]), redeem them
// (writeOffCoupon), reverse a redemption ([Client.ReverseWriteOff]), issue
// coupons ([Client.IssueCoupons]), plus a signed generic [Client.Call] for
// any other V3 endpoint. Package zvcms/zvcmstest is a stateful fake of the
// gateway for tests.
//
// # Gateway
//
// Config.Gateway is required. The only gateway the vendor publishes,
// [ProductionGateway], is plain HTTP, so the grantCode and every token
// travel in clear over it; whether the vendor serves HTTPS is not published
// [open]. The client has no default, so that it never sends credentials to
// production over plain HTTP unless the caller names that URL. There is no
// published test gateway.
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
//   - couponReverse, getCustomerCouponList and issueCouponsToCustomer
//     [likely]: not on the vendor's public pages; their paths
//     ([DefaultReversePath], [DefaultCouponListPath], [DefaultIssuePath]) and
//     params are those of the vendor family's public CLI (Qmai, which shares
//     the envelope and token). Config.ReversePath, Config.CouponListPath and
//     Config.IssuePath replace the paths.
//   - couponReverse params [open]: bizId identifies the redemption;
//     customerId and couponsCardList (a partial reversal) are sent only when
//     given.
//   - issueCouponsToCustomer params: bizId, couponId, customerId, num and
//     thirdChannel [likely]; the answer {cardId, cardIdList, num} [likely].
//     Whether the gateway de-duplicates on bizId is [open] (see Writes).
//   - getCustomerCouponList [likely]: pageNum counts from 1; the answer is
//     {list, total}; the largest pageSize is [open] (default
//     [DefaultPageSize], 20).
//   - HTTPS [open]: see Gateway above.
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
// The vendor's global error codes are not public [open], so [FaultFor] (the
// package's code table) knows none. A failure is classified by its envelope,
// unless Config.CodeFaults names its code:
// status true with a non-zero code is a business refusal (couponkit.FaultClient,
// such as 查询的信息不存在); status false is a system failure, couponkit.FaultAuth
// when its message is about the token, signature, credentials, authorisation,
// timestamp or nonce, couponkit.FaultThrottle when about request frequency,
// couponkit.FaultServer when the system is busy, else couponkit.FaultUnknown
// (not retried). HTTP 5xx and 429 are Server and Throttle faults.
//
// An answer that is not a definite vendor answer (an empty body, a proxy's
// HTML page, JSON that does not parse or is cut short, an envelope without a
// status, with a status neither true nor false, or with status true and no
// code) is treated as unreadable: a read is retried, and a write that may
// have been applied has an unknown outcome (see below). An HTTP 4xx other
// than 408 and 429 (a wrong gateway path, say) is a definite refusal,
// couponkit.FaultClient unless the body says more.
//
// # Writes and idempotency
//
// getCustomerCoupons and getCustomerCouponList are reads. writeOffCoupon is a
// keyed write: bizId is its idempotency key (and the key of a later
// reversal). couponReverse is a keyed write on the redemption's bizId: the
// vendor ties a reversal to that bizId and a redemption is reversed once, so
// the same reversal sent again cannot act twice. issueCouponsToCustomer
// carries a bizId (given, or generated by Config.NewKey) but is an unsafe
// write by default, since no public page says the gateway applies a bizId
// once [open]: it is not sent again once it may have left, and an unknown
// outcome reports its bizId; Config.IssueDeduplicates makes it keyed. A redemption is retried
// with the same bizId, re-signed; when its outcome cannot be known, the error
// matches couponkit.ErrUnknownOutcome and couponkit.IdempotencyKey returns
// the bizId. An empty WriteOffRequest.BizID is generated by Config.NewKey
// (default: 32 hex digits).
//
// [Client.Call] is a write the vendor is not known to de-duplicate unless
// told otherwise: it is sent once when it may have left, and an ambiguous
// answer is an unknown outcome at once. couponkit.Read() makes it a read;
// couponkit.Keyed("bizId", id) a keyed write whose params carry bizId = id.
//
// # Units and time
//
// Money is integer fen (couponkit.Fen). Times are Beijing time (UTC+8,
// whatever the host's zone): coupon times read "yyyy-MM-dd HH:mm:ss", with
// or without zero padding (the vendor's own example has "17:10:2").
package zvcms
