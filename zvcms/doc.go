// Package zvcms is a client for the coupon API of the zvcms (智迈, Anhui
// Zhimai) CRM open platform: list a customer's coupons (getCustomerCoupons,
// and page by page with [Client.CustomerCouponList]), look a coupon or a
// template up ([Client.GetCouponDetail], [Client.GetTemplateDetail]), redeem
// coupons (writeOffCoupon), reverse a redemption ([Client.ReverseWriteOff]),
// issue and revoke coupons ([Client.IssueCoupons], [Client.RecycleCoupons],
// [Client.RecoverGrantedCoupons]), ask a code's state
// ([Client.GetCouponStatus]), hand out, void and look up redemption codes
// (兑换码), and list the stores' daily reconciliation
// ([Client.Reconciliation], a V2 call), plus a signed generic [Client.Call]
// for any other V3 endpoint and [Client.CallV2] for any other V2 action.
// Package zvcms/zvcmstest is a stateful fake of the gateway for tests.
//
// # Calls
//
// The typed calls, as [APIs] lists them (go generate writes this section
// from it; the couponkit command runs each by its name):
//
//   - [Client.GetCustomerCoupons] (getCustomerCoupons, a read): a customer's coupons, in one state or with one code.
//   - [Client.GetCouponDetail] (getCouponDetail, a read): one coupon by its code, with its owner, its use and its template.
//     Path /v3/coupon/getCouponDetail. [likely]: path, params {userCouponCode} (a cardId [likely]) and data (as [CouponDetail] lists it) are the vendor family's public CLI's; what its status numbers is [open].
//   - [Client.GetExchangeCodeStatus] (queryCodeStatus, a read): a redemption code's state and exchange activity.
//     Path /v3/coupon/exchange/queryCodeStatus. [likely]: path, params {code} and data {activityCode, activityName, exchangeStatus} are the vendor family's public CLI's; what exchangeStatus numbers is [open].
//   - [Client.DispatchExchangeCodes] (codeDispatch, an unsafe write): hands out redemption codes of an exchange activity.
//     Path /v3/coupon/exchange/codeDispatch. [likely]: path and answer (a list of {code}) are the vendor family's public CLI's. Its params are [open] (the CLI sends a file it does not describe): activityCode and num are this package's reading. No key field is published, so it is an unsafe write without a key, and the largest num is [open].
//   - [Client.DisableExchangeCodes] (codeDisableBatch, an unsafe write): voids redemption codes; each code's result.
//     Path /v3/coupon/exchange/codeDisableBatch. [likely]: path and answer (a list of {code, disabled, failReason}) are the vendor family's public CLI's. Its params are [open]: codes (and activityCode when given) are this package's reading. No key field is published, so it is an unsafe write without a key; the most codes per request is [open] (sent as given).
//   - [Client.ReverseWriteOff] (couponReverse, a keyed write on bizId): reverses a redemption by the bizId the vendor returned for it.
//     Path /v3/crm/coupon/couponReverse. [likely]: not on the vendor's public pages; path and params are the vendor family's public CLI's (Qmai, which shares the envelope and token). bizId is the one the write-off returned, sent as a string; customerId and couponsCardList (a partial reversal) are sent only when given [open]. Whether the gateway also takes the bizId the write-off was sent with is [open] (the fake does, unless zvcmstest.Config.ReverseByVendorBizID).
//   - [Client.IssueCoupons] (issueCouponsToCustomer, an unsafe write, key bizId): issues coupons of one kind to a customer.
//     Path /v3/coupon/issueCouponsToCustomer. [likely]: params bizId, couponId, customerId, num and thirdChannel, and the answer {cardId, cardIdList, num}, as the vendor family's public clients have them. Whether the gateway de-duplicates on bizId is [open] (see Writes).
//   - [Client.CustomerCouponList] (getCustomerCouponList, a read): a customer's coupons, page by page (an iterator; run by name, it collects them all).
//     Path /v3/crm/coupon/getCustomerCouponList. [likely]: the vendor family's public CLI's path and params; pageNum counts from 1 and the answer is {list, total}. The largest pageSize is [open] (default [DefaultPageSize], 20), and so is whether a gateway that caps it pages by the capped size: the iterator pages on to the total and stops with an error rather than lose or repeat coupons.
//   - [Client.GetCustomerAssets] (allCustomerInfo, a read): a member's points and stored value, by its id, phone, card or WeChat or Alipay id.
//     Path /v3/crm/customer/allCustomerInfo. [known]: path, params and the points and balances of data (doc3 id=476); that they are data's own members, amounts in yuan, and in every member's answer (one without totalPoints is unreadable) is [likely]. The rest of data (the member's details and coupon list, which the params takeTime…, usefulTime…, title, useStatus, pageNum and pageSize filter; updatedAt's unit) is not published where it was read [open]: Meta.Raw keeps it.
//   - [Client.Reconciliation] (data.bi.financial-reconciliation, a read): the stores' daily takings, refunds, discounts and income, page by page (a V2 call; an iterator, run by name it collects them all).
//     Path /api/v2. [known] (doc2 id=718): the V2 envelope (Action), params startDate, endData (the page's spelling, twice), multiMark and perPage (at most 100), data {itemList, total, perPage, lastPage, currentPage}, amounts in yuan. [likely]: the page number goes as page (Config.V2PageParam; the page names none, and its answer is Laravel's paginator's, which reads page); itemList is a list (the page's example prints one object, which decodes too); the token is V3's (Config.V2TokenFunc). [open]: whether the gateway reads endData as printed, whether the end date is included, what orderSource numbers.
//   - [Client.RecycleCoupons] (recycleCoupons, an unsafe write): revokes coupons issued to a customer.
//     Path /v3/coupon/recycleCoupons. [likely]: the path is the vendor family's public CLI's, which sends a file it does not describe and reads no answer: the params customerId and couponsCardList (cardIds, as writeOffCoupon names them) are [open], and so is the answer (its success flag is the whole of it). No key field is published, so it is an unsafe write without a key.
//   - [Client.RecoverGrantedCoupons] (couponRecovery, an unsafe write, key orderNo): revokes the coupons an order granted; which were revoked.
//     Path /v3/crm/marketing/couponRecovery. [likely]: path and answer {couponIds, recoveryIds, recoveryStatus} are the vendor family's public CLI's; its params are [open] (the CLI's notes name activityId, channelId, orderNo and the member for grants and their revocation): orderNo, activityId and customerId are this package's reading. What recoveryStatus numbers is [open]. No key field is published, so it is an unsafe write; an unknown outcome reports the orderNo.
//   - [Client.GetCouponStatus] (status, a read): the state of a coupon's code or a redemption code, and where and when it was used.
//     Path /v3/coupon/status. [likely]: path, params {id, type} and data {status, useOrderCode, useStoreId, useStoreName, useStoreNo, useTime} are the vendor family's public CLI's; what status numbers is [open].
//   - [Client.GetTemplateDetail] (getTemplateDetail, a read): one coupon template by its id.
//     Path /v3/coupon/getTemplateDetail. [likely]: path, params {id} and data {id, name, sellerId, status, type, thirdBizCode} are the vendor family's public CLI's; what status and type number is [open].
//   - [Client.WriteOffCoupon] (writeOffCoupon, a keyed write on bizId): redeems coupons; returns the vendor's bizId, which a reversal takes.
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
// Every call is an HTTP POST of a JSON body to Gateway + its path (such as
// /v3/crm/coupon/getCustomerCoupons; each call's is listed in Calls):
//
//	{"openId":…, "grantCode":…, "timestamp":"1547186244", "nonce":"658965", "token":…, "params":{…}}
//
// A V2 call ([Client.Reconciliation]) goes to the one V2 endpoint,
// Gateway + /api/v2, named by Action, in the same envelope with its
// members capitalised (the vendor's API 2.0 pages):
//
//	{"OpenId":…, "GrantCode":…, "Timestamp":"1547186244", "Nonce":"658965", "Token":…, "Action":"data.bi.financial-reconciliation", "Params":{…}}
//
// Its token is the V3 token [likely] (Config.V2TokenFunc replaces it), and
// its answer the V3 envelope. [Client.CallV2] sends any other V2 action in
// it, such as those the vendor publishes without a typed call here
// (coupon.user-coupon-list, communal.user.consume; its doc lists them).
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
//   - writeOffCoupon params [known] (doc3 id=472): bizId, channel,
//     customerId, groupId, couponsCardList, type, ext{channelType,
//     multiStoreId, multiStoreMark, orderNo, reason}, useCount, tradeMarks,
//     amount and orderAmount (integers, fen), thirdOrderNo (see
//     [WriteOffRequest]). The store goes as ext.multiStoreMark (its code) or
//     ext.multiStoreId, not ext.storeCode as this package once guessed.
//     customerId and ext.channelType, ints on the page, are sent as JSON
//     numbers when they are decimal integers, as given otherwise.
//     couponsCardList as an array of cardId strings is [likely]. Client.Call
//     sends any other shape.
//   - writeOffCoupon answer [known]: data {bizId (int), cardIdList,
//     userInfo}. A reversal goes by the returned bizId, not the one sent
//     (冲正时以返回参数中的bizId为准): [WriteOffResult].VendorBizID, and
//     [WriteOffResult.ReverseRequest].
//   - the calls not on the vendor's public pages [likely]: each one's path,
//     params and answer, and what of them is [open], are listed under it in
//     Calls. Config.Paths moves any call to another path by its API name.
//   - a bizId sent again with other params (other coupons after a
//     reversal, say) [open]: the vendor's page does not say whether it is
//     refused, answered from the first write or applied. This package sends a
//     bizId only with the params it was first sent with; the fake refuses
//     the other case (zvcmstest.CodeBizIDReused) and redeems nothing. A live
//     probe checks it: redeem a coupon with a bizId, reverse it, send the
//     same bizId with another coupon, and see that the answer is a refusal
//     and the other coupon is still unused.
//   - HTTPS [open]: see Gateway above.
//
// `couponkit probe zvcms` checks these against a gateway and reports each
// known, contradicted or still open: the timestamp window, the largest
// pageSize, the spelling of status and code, whether a reversal takes the
// bizId sent (with --writes, on a test gateway; the write-off is reversed)
// and how a bad token is classified (zvcmstest.Config's Window,
// MaxPageSize, NativeTypes and ReverseByVendorBizID serve each other
// answer). Issue de-duplication stays open: an issue cannot be taken back,
// so the probe never repeats one.
//
// # Responses
//
// Every response is {status, code, message, data}. status and code arrive as
// strings ("true", "0", as on the vendor's page) or as a bool and a number
// (as on the vendor's sibling platform); both decode. Success is status true
// with code 0 and nothing else: any other envelope is a *couponkit.Error with
// the vendor's code and message. getCustomerCoupons' data is one object on
// the vendor's page and {list, total} (templateName, endTime, couponNo) as
// the vendor family's public CLI reads it; an object, an array and the list
// both decode.
//
// A success that lacks what the call exists for is not an answer: the
// coupons asked for (getCustomerCoupons, getCustomerCouponList: data absent,
// null or "", a coupon without a cardId, a list shorter than its total, a
// coupon other than the cardId asked for), the coupon's or the template's
// id (getCouponDetail, getTemplateDetail), the vendor's bizId of a
// redemption (writeOffCoupon), the codes issued (issueCouponsToCustomer:
// none, or another number of them than its num). It is unreadable (see
// Errors): a read is retried, and a write's outcome is unknown. A
// reversal's answer is not published, so its success flag is the whole of
// it.
//
// Every typed call's data is decoded by encoding/json into the call's wire
// answer (internal/wiretype's lenient integers, texts and times); the
// package keeps no hand decoder and no hand encoder. The one piece of JSON
// it writes itself is the members of WriteOffExt.Extra, after ext's typed
// fields: encoding/json cannot put a map's members beside a struct's, and
// FuzzWriteOffParams holds the result to encoding/json.
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
// status, with a status neither true nor false, with status true and no
// code, or a success without what the call exists for) is treated as
// unreadable: a read is retried, and a write that may have been applied has
// an unknown outcome (see below). An HTTP 4xx other than 408 and 429 (a
// wrong gateway path, say) is a definite refusal, couponkit.FaultClient
// unless the body says more.
//
// # Writes and idempotency
//
// Each call's class is in Calls. The lookups are reads. writeOffCoupon is
// a keyed write: the bizId
// it is sent with is its idempotency key; the vendor returns a bizId of its
// own, the key of a later reversal. couponReverse is
// a keyed write on that returned bizId: the vendor ties a reversal to it and
// a redemption is reversed once, so the same reversal sent again cannot act
// twice. issueCouponsToCustomer
// carries a bizId (given, or generated by Config.NewKey) but is an unsafe
// write by default, since no public page says the gateway applies a bizId
// once [open]: it is not sent again once it may have left, and an unknown
// outcome reports its bizId; Config.IssueDeduplicates makes it keyed. A redemption is retried
// with the same bizId, re-signed; when its outcome cannot be known, the error
// matches couponkit.ErrUnknownOutcome and couponkit.IdempotencyKey returns
// the bizId. An empty WriteOffRequest.BizID is generated by Config.NewKey
// (default: 32 hex digits).
//
// The revocations (recycleCoupons, couponRecovery) and the redemption-code
// writes (codeDispatch, codeDisableBatch) carry no field that any public
// page or client names as a key [open]: they are unsafe writes, sent once
// when they may have left. Their unknown outcome reports couponRecovery's
// orderNo, and no key for the others: ask the coupons' or the codes' state
// (GetCustomerCoupons, GetExchangeCodeStatus) before sending again.
//
// [Client.Call] and [Client.CallV2] are writes the vendor is not known to
// de-duplicate unless told otherwise: each is sent once when it may have
// left, and an ambiguous answer is an unknown outcome at once.
// couponkit.Read() makes one a read; couponkit.Keyed("bizId", id) a keyed
// write whose params carry bizId = id.
//
// # Units and time
//
// Money is integer fen (couponkit.Fen). Times are Beijing time (UTC+8,
// whatever the host's zone): coupon times read "yyyy-MM-dd HH:mm:ss", with
// or without zero padding (the vendor's own example has "17:10:2").
package zvcms
