// Package ebuy is a client for e-Buy 电子券 4.1 (易百 e-coupons): activating,
// deactivating, freezing, voiding and delaying codes, making codes for a
// code merchant (ThirdBatchMake) and issuing them to a sales channel's order
// (MakeCodes), reading products and a code's history, cancelling, reporting
// and taking back redemptions (CancelRedemption, SyncRedemptions,
// CancelSyncedRedemptions, VoidMerchantRedemption), and receiving e-Buy's
// notifications (redemptions, their cancellations, status changes, codes
// made).
//
//	c, err := ebuy.NewClient(ebuy.Config{Gateway: ebuy.TestGateway, AppID: id, AppSecret: secret, BrandID: brand})
//	res, err := c.UpdateCodeStatus(ctx, &ebuy.UpdateCodeStatusRequest{Type: ebuy.UpdateFreeze, Codes: codes})
//
// e-Buy publishes only its test (UAT) gateway, [TestGateway]; Config.Gateway
// is always required. The ebuytest subpackage is a stateful fake of e-Buy for
// tests.
//
// # Calls
//
// The typed calls, as [APIs] lists them (go generate writes this section
// from it; the couponkit command runs each by its name):
//
//   - [Client.ActivateCodes] (batchActivateCode, a keyed write on uuid): activates made codes (03 → 00).
//   - [Client.DeactivateCodes] (batchUnActivateCode, a keyed write on uuid): deactivates active codes (00 → 03).
//   - [Client.MakeCodes] (makeCode, an unsafe write, key outerOrderId): issues codes to a sales channel's order.
//   - [Client.ThirdBatchMake] (thirdBatchMake, a keyed write on uuid): makes codes for a code merchant's order.
//   - [Client.ProductDetail] (_getBrandProductDetailDirect, a read): one coupon product.
//   - [Client.CodeHistory] (_queryCodeDetailList, a read): a code's operation records.
//   - [Client.CancelRedemption] (verify-verifyCancel, a keyed write on uuid): cancels a redemption: its codes become usable again.
//   - [Client.SyncRedemptions] (verify-syncVerifyNotify, a keyed write on cashierTransNo): reports codes redeemed at a till outside e-Buy.
//   - [Client.UpdateCodeStatus] (batchUpdateCodeStatus, a keyed write on uuid): voids, freezes, unfreezes or delays codes, 20 a request.
//   - [Client.CancelSyncedRedemptions] (verify-syncVerifyVoidNotify, a keyed write on uuid): takes back redemptions reported with SyncRedemptions.
//   - [Client.VoidMerchantRedemption] (verify-codeVerifyVoidNotify, a keyed write on requestId): reports a code merchant's voided redemption of one code.
//
// # What the 4.1 book publishes
//
// e-Buy's book "e-Buy 电子券4.1" (book.e-buy.com/books/e-buy-41; page ids
// below) publishes no table of contents; from the pages found:
//   - Typed calls (above): batchUnActivateCode (eecca),
//     batchUpdateCodeStatus (577ef-q0F), thirdBatchMake (b3e3e),
//     _getBrandProductDetailDirect (82cec), verify-verifyCancel (cfa08),
//     verify-syncVerifyNotify (9872e-Axn), verify-syncVerifyVoidNotify
//     (9de6d), verify-codeVerifyVoidNotify (6c988); batchActivateCode and
//     makeCode, whose pages were not found (makeCode's content is the
//     signing page's example, ad61a); _queryCodeDetailList, from e-Buy's
//     other book (c20ad, 34ed0).
//   - Typed notifications ([EventKind]): 核销通知 verifyCodeNotify (66f04,
//     EventVerify), 核销撤销通知 verifyVoidNotify (be83a, 31fef-pMS,
//     EventVerifyVoid), 券码状态变更通知 (6ea9a, EventCodeStatus) and 制码通知
//     makeNotify (a516a, EventMake, with its order in Event.Make).
//   - Generic only: the code merchant's report of a single redemption,
//     which the chapter 码商通知下发 lists beside
//     verify-codeVerifyVoidNotify. No copy of its page has been found: its
//     path, fields, answer and key are unknown, so it is not typed, nor
//     guessed. [Client.Call] reaches it once the page is at hand; as a
//     write it is Unsafe (sent once) unless couponkit.Keyed names its key.
//   - A notification of any other kind, such as e-Buy 4.0's make-order
//     void (MakeVoidNotify, which no 4.1 page prints), is EventUnknown,
//     with its body in Event.Raw.
//
// # Wire protocol
//
// Every API is an HTTPS POST of JSON to Config.Gateway +
// "/paas/micro/ecoupon/" + API. The body is an envelope: appId, action,
// signType "sha256", lang (Config.Lang, default zh_CN), uuid, timestamp
// (epoch milliseconds, a JSON number, fresh on every attempt), content (the
// business object), headers {"paas-version":"1.1.0"} and sign. The sign is
// the lowercase hex SHA-256 of the top-level fields but sign, sorted by key,
// joined as k=v with '&' (content is its compact JSON text), followed by '&'
// and the app secret. content is written canonical (keys sorted at every
// level, compact, no HTML escaping, UTF-8 as is), and the bytes signed are the
// bytes sent, so the signature holds whether the gateway hashes the bytes it
// received or re-serializes the object with sorted keys.
//
// Every answer's sign is verified with the same rule: all top-level fields
// of the answer but sign (string values unquoted, numbers and booleans as
// written, null values left out), content as the raw text of its value
// exactly as received, or, failing that, its canonical text. Only a definite
// answer to this request counts as one: an answer with no success flag, a
// success answer with a missing or wrong sign, a signed answer whose uuid is
// not the request's, a failure answer with a wrong sign or another uuid, and
// a signed answer with '&' or '=' in a top-level key or string value (the
// sign joins k=v pairs with '&' unescaped, so such an answer's signed text
// can equal that of another answer) are unreadable: a read is retried, and a
// write's outcome is unknown (couponkit.ErrUnknownOutcome). An unsigned
// failure answer is reported with its errorCode (gateways often do not sign
// their own refusals). The one exception is verify-syncVerifyVoidNotify,
// whose page prints an answer without success and uuid: there a verified
// answer without success succeeded when its errorCode is empty and failed
// with its errorCode otherwise, and its uuid may be absent (a uuid that is
// present must still be the request's).
//
// A verified success must also carry what its call exists for: the codes
// handled, made or issued, the product asked for, the history's record list
// (which may be empty), the per-code results of a report or its take-back,
// the outcome of a void (each call's doc says what it needs). A success
// without it is unreadable like the answers above: never a success with
// nothing in it. So is a success about something else than the request
// asked for: another productId (_getBrandProductDetailDirect), another
// outerOrderId (makeCode), or, in verify-syncVerifyVoidNotify's answer,
// which carries no uuid, a code the request did not name.
//
// Identifiers such as ticketId arrive as 16-digit JSON numbers or as strings:
// [TicketID] reads both without passing through a float. Money is in fen
// ([couponkit.Fen], int64); a negative amount is a
// *couponkit.ValidationError, found before anything is sent. Times are
// Beijing time (UTC+8) whatever the host's zone; a time outside the years
// 0000–9999, which e-Buy's yyyyMMdd… formats cannot carry, is a
// *couponkit.ValidationError too.
//
// # Retries and idempotency keys
//
// Reads (the calls listed as reads under Calls) are retried on network
// failures, 5xx, throttling and unreadable answers. The typed writes are
// keyed: the uuid is fixed once per logical call (given in the request's
// UUID field, or generated by Config.NewKey, default yyyyMMdd-<32 hex>) and
// sent unchanged, re-signed with a fresh timestamp, on every attempt, on the
// assumption that e-Buy de-duplicates a request repeated with the same uuid
// (not published; see below). A write's idempotency key is its uuid unless
// its line under Calls names another field; where it does, the uuid is kept
// across attempts too. In particular:
//   - ActivateCodes, DeactivateCodes, UpdateCodeStatus: each chunk's uuid
//     (UUID, or UUID-n for chunk n when split; a fresh uuid per chunk when
//     UUID is empty);
//   - SyncRedemptions: cashierTransNo, which e-Buy documents as
//     de-duplicated on the same day;
//   - CancelSyncedRedemptions: its uuid (e-Buy's page names no key of the
//     void itself; its originalUuid names the report taken back, not the
//     request);
//   - VoidMerchantRedemption: requestId, the void's serial number (e-Buy
//     refuses a repeated serial number);
//   - MakeCodes: outerOrderId, Unsafe unless Config.MakeCodesDeduplicates
//     (see below).
//
// MakeCodes is Unsafe, sent once: e-Buy 4.1 publishes no de-duplication of
// makeCode (by uuid or by outerOrderId; its 4.0 MakeCode has one) and no
// query of a make order, so a repeat could issue codes twice. Should the
// uuid assumption be wrong, a repeat of the other writes is at worst
// refused, so nothing happens twice: a status change, activation or
// cancellation by the code's new state, ThirdBatchMake by its
// saleChannelOrderId, which e-Buy documents as unique. MakeCodes' unknown
// outcome reports outerOrderId as the key, to look the order up before
// sending it again. e-Buy's 4.0 MakeCode answers a repeated order number
// with the earlier success; where e-Buy confirms 4.1 does the same,
// Config.MakeCodesDeduplicates makes MakeCodes a Keyed write on
// outerOrderId.
//
// When a write's outcome cannot be known (the request may have left and
// then the connection failed, the answer was unreadable, or the last
// attempt got a 5xx; or, after such an attempt, a retry was refused, as
// with 32 or 91 when that attempt had been applied) the error matches
// couponkit.ErrUnknownOutcome, couponkit.IdempotencyKey returns the key, and
// errors.As reaches the refusal. VoidMerchantRedemption reports 32 on its
// requestId as couponkit.AlreadyApplied. [Client.Call] reaches any API;
// it is Unsafe (sent once) unless couponkit.Read() or couponkit.Keyed says
// otherwise, so a program that does not trust the uuid de-duplication can
// make any write through it without retries.
//
// # Batches
//
// e-Buy caps batchUpdateCodeStatus at 20 codes ([MaxCodesPerUpdate]);
// UpdateCodeStatus takes any number and sends them in chunks of 20. e-Buy's
// pages give batchActivateCode and batchUnActivateCode no limit
// (batchUnActivateCode's codeArray is an array without a maximum;
// batchActivateCode's page is not public), so ActivateCodes and
// DeactivateCodes send every code in one request unless
// Config.MaxCodesPerActivation sets a chunk size. Chunks run with at most
// Config.MaxBatchConcurrency in flight (default 4). A split call returns one
// result per requested code, in the order given, and a *[BatchError]
// naming every code that failed, whether e-Buy refused the code or its whole
// chunk failed: no code is dropped. Chunks not yet sent when the context
// ends fail with the context's error.
//
// Every call's content is written by encoding/json from the call's wire
// params but one: the content of batchActivateCode and batchUnActivateCode,
// which carry every code in one request by default, is written by hand. A
// paired benchmark of the whole call (BenchmarkActivateContent) shows
// encoding/json taking 1.3 to 1.5 times as long at 10,000 codes, and a
// differential fuzz test holds the hand encoder to encoding/json's bytes.
// At the 20 codes of a status update's chunk the difference is in the
// noise, so UpdateCodeStatus stays on encoding/json.
//
// # Errors
//
// Bad input is a *couponkit.ValidationError, returned before anything is
// sent (NewClient joins one per invalid Config field). A failure e-Buy
// reports, and a network or answer failure, is a *couponkit.Error with a
// Fault (FaultFor and Config.CodeFaults classify errorCodes). A write whose
// outcome is unknown matches couponkit.ErrUnknownOutcome and unwraps to the
// last attempt's *couponkit.Error. A batch call (ActivateCodes,
// DeactivateCodes, UpdateCodeStatus) in which some codes failed returns its
// result and a *[BatchError], which lists each failed code and unwraps to
// their causes, so errors.As and errors.Is reach the *couponkit.Error and
// couponkit.ErrUnknownOutcome inside. The caller's own cancellation or
// deadline comes back wrapping context.Canceled or
// context.DeadlineExceeded.
//
// # Notifications
//
// [NewNotifyHandler] serves e-Buy's notifications (redemptions, cancelled
// redemptions, status changes, codes made) at the URL registered with
// e-Buy: it checks
// each body's shape and sign, handles each uuid once (WithClaimStore),
// calls your function, and acknowledges (200) only when it returns nil;
// otherwise it answers 503, so that e-Buy sends the notification again.
// e-Buy's pages print some notifications without a sign: WithUnsigned
// chooses what the handler does with them (RefuseUnsigned(), the default;
// ConfirmUnsigned; AcceptUnsigned()).
//
// To read a body yourself, [ReadNotification] returns the event of a
// notification whose sign verifies, and refuses an unsigned one; with
// [AllowUnsigned] it returns an unsigned one too, with Event.Signed false,
// and whether to trust it is yours to decide. [VerifyNotificationSign] only
// checks that a body is signed and its sign verifies.
//
// In tests, the fake's Notifier (ebuytest.Server.Notifier) sends the
// notification of a code's redemption, void or status change, or of an
// order's codes made, in every layout e-Buy prints, signed or not, to a
// URL or, with
// ebuytest.NotifierConfig.Handler, to your handler in this process with no
// socket; ebuytest.NotificationBody builds a body, signed by the same signer,
// to serve through httptest.NewRecorder.
//
// # Assumptions and open points
//
// e-Buy's pages leave these open; each default can be changed:
//   - A limit of codes per batchActivateCode or batchUnActivateCode: none
//     published; default one request for every code
//     (Config.MaxCodesPerActivation splits).
//   - headers: sent and signed like any other field (Config.Headers:
//     HeadersUnsigned, HeadersOmitted; Config.PaasVersion).
//   - Empty values: a field that is sent is signed, even when empty; null
//     values in answers are left out of the signature.
//   - The answer's sign: computed like the request's, over the answer's own
//     top-level fields (e-Buy does not publish it).
//   - De-duplication by uuid for every write (not published): the typed
//     writes are Keyed on it; Client.Call is Unsafe unless told.
//   - The uuid of an answer: the request's own, always, even when e-Buy
//     answers a repeated cashierTransNo from its de-duplication (not
//     published). An answer carrying another uuid is not taken as this
//     call's answer.
//   - action: the API path, except verify-verifyCancel (verifyCancel),
//     verify-syncVerifyNotify (codeVerifyNotify), verify-syncVerifyVoidNotify
//     and verify-codeVerifyVoidNotify (both codeVerifyVoidNotify), as
//     e-Buy's pages print them (Config.Actions overrides any API's action;
//     the Action option one Call's).
//   - makeCode's path [likely]: no page prints it, but e-Buy shows makeCode
//     as an action and its signing page (ad61a) defines the action as "业务
//     请求接口路径", the API's path; default /paas/micro/ecoupon/makeCode
//     (Config.MakeCodesPath).
//   - makeCode's answer: not published for 4.1. Codes are read in two
//     namings: content.item.codeDetail[]{code, codeSearch, password}, where
//     e-Buy's 4.0 make answer puts them, and content.items[].codeDetails[]
//     {code, searchCode, codeMask, codeH5Url, codePicUrl, status,
//     statusDesc, useTimes}, the 4.1 make notification's naming (page
//     a516a); validStart/validEnd as text or epoch milliseconds. A success
//     without a code is an unknown outcome (Meta.Raw keeps the whole answer).
//   - makeCode's de-duplication of outerOrderId: not published for 4.1; the
//     4.0 MakeCode returns the earlier success for a repeated order number.
//     Default Unsafe; Config.MakeCodesDeduplicates opts in to Keyed.
//   - verify-syncVerifyVoidNotify's brand key: "branId", as its page prints
//     it (Config.SyncVoidBrandKey; "brandId" is the spelling of the sibling
//     verify-syncVerifyNotify). Its per-code answer is read from
//     content.voidNotifyResultBOList, and outerOrderId and createTime from
//     beside content, where the page lists them, or from content.
//   - verify-syncVerifyVoidNotify's answer (page 9de6d) has no success and
//     no uuid: a verified answer without success is read by its errorCode
//     (empty: success), the page's own logic; an unsigned one stays
//     unreadable. A missing uuid is accepted there only; a success must list
//     only codes the request named, when it named codes, since no uuid ties
//     the answer to the request.
//   - verify-verifyCancel's outerOrderId and createTime: read from beside
//     content, where page cfa08 lists them first, or from content.
//   - verify-codeVerifyVoidNotify: requestId is sent always (the page marks
//     it optional; it is the key), voidTime as yyyyMMddHHmmss (format not
//     printed; default the time of the call).
//   - errorCode table: not published. errors.go classifies the 4.0 return
//     codes (10 not found, 91 status does not allow the operation, 02 and 32
//     serial numbers) and codes by keyword (SIGN, APPID → Auth; LIMIT →
//     Throttle; SYS, BUSY → Server; PARAM, INVALID, NOT_EXIST → Client); any
//     other code is FaultUnknown and not retried (Config.CodeFaults adds
//     codes; FaultFor is the default table).
//   - Code statuses 01 (redeemed) and 02 (expired) are assumed values.
//   - Per-code resultCode in activeCodeDetails: "" or "00" is success.
//   - Time formats not printed by e-Buy: codeValidStart and codeValidEnd of
//     batchActivateCode and thirdBatchMake are sent as yyyyMMddHHmmss (the
//     format documented for batchUpdateCodeStatus), thirdBatchMake's
//     transDate and transTime as yyyyMMdd and HHmmss, originalVerifyDate as
//     yyyyMMdd. Times in answers are read from epoch milliseconds or
//     seconds, yyyyMMddHHmmss, yyyyMMdd or yyyy-MM-dd HH:mm:ss; a time in
//     any other form makes the answer unreadable (a read is retried, a
//     write's outcome is unknown), never a zero time taken for e-Buy's. A
//     notification's times still read such text as the zero time.
//   - brandId is a string in batchUnActivateCode and verify-syncVerifyNotify
//     but a number in batchUpdateCodeStatus, as e-Buy's pages type them.
//   - verify-syncVerifyNotify: codeList is an array of code strings; the
//     answer's per-code list is read from verifyCodeList, or from the first
//     array in content whose name begins with "verifyCode" (page 9872e-Axn
//     prints the name only that far). A success without a per-code entry is
//     an unknown outcome.
//   - What a success must carry, where the pages mark little as required:
//     codeNum above 0 or activeCodeDetails (activation, deactivation),
//     codeStatusList (status updates; empty only with supportPartial),
//     thirdCodeFamilySet (thirdBatchMake: the 4.0 asynchronous make answers
//     "00" with an empty set, which here is an unknown outcome, not a make
//     of nothing), productId, returnData, outerOrderId or createTime
//     (verify-verifyCancel), status (verify-codeVerifyVoidNotify).
//   - Zero amounts and empty optional fields are left out of requests.
//   - Notifications: verified like answers (ReadNotification,
//     NewNotifyHandler). Open points:
//   - History record types (CodeRecord.Type) are not published. A
//     redemption is type "2", from e-Buy's example; no void type is known,
//     so for a void any successful record of another type after the last
//     redemption counts (ConfirmUnsigned; ConfirmRecordTypes changes both).
//   - The flat notification layout has no timestamp: its createDate stands
//     in for it (Event.Timestamp). The status-change page (6ea9a) and the
//     void page's revision 4837 (31fef-pMS, verifyScene in place of
//     createDate) print neither: such a notification is read with a zero
//     Timestamp, and the replay window checks its latest item time
//     (verifyDate, updateTime), or nothing when it has none.
//   - [likely] The kind of a flat notification without an action: the void
//     page prints the redemption's VerifyCodeNotify and Verify in its
//     channelInfoList, so the fields only one page prints decide first (a
//     status change's operationType, updateTime or updateDate; a void's
//     top-level createDate or verifyScene), then the channels. No page
//     prints a redemption in the flat layout.
//   - The make notification (makeNotify, page a516a): the page prints its
//     fields but no values and no sign. Its kind is read from an action
//     naming makeNotify or MakeCode (e-Buy 4.0's MakeCodeNotify and
//     notifyType MakeCode, assumed for 4.1's channels), or from its
//     items' codeDetails, which only that page prints; the redemption
//     page's example action makeEcoupon does not make one. brandSalePrice
//     is read in fen [likely] (no unit printed; every other 4.1 amount is
//     in fen), as 0 when it is not a whole number. Whose uuid
//     notifyParam.uuid is [open] (MakeNotice.UUID). ConfirmUnsigned's
//     default rule confirms no make (no history type for it is published):
//     an unsigned one is answered 403 unless ConfirmWith says otherwise.
//   - [known] The Content-Type of a notification is application/json: every
//     notification page (66f04, be83a, 31fef-pMS, 6ea9a, a516a) lists it as
//     a required header. A notification without one, or with one that is
//     not JSON, gets 415.
//   - A notification with "sign": "" or "sign": null is treated as unsigned
//     (Event.Signed false; WithUnsigned decides), not as a bad sign.
//   - If the claim store cannot complete a notification's claim after fn
//     returned nil, e-Buy is still acknowledged (fn's effect happened), and
//     a copy delivered after the lease ends calls fn again: make fn
//     idempotent by uuid, or complete the claim in fn's own transaction
//     (the PostgreSQL module's CompleteTx) for an effect applied once.
//   - The acknowledgement body e-Buy expects is not published (default: a
//     signed success envelope echoing action, appId and uuid; WithAck
//     replaces it).
//   - Handlers in several processes behind one URL call fn once per uuid
//     only when they share a claim store (WithClaimStore: the Redis or
//     PostgreSQL module's); the default store is per handler.
//
// `couponkit probe ebuy` checks some of these against a gateway and
// reports each known, contradicted or still open, with the exchanges as
// evidence: the answer's sign, the classification of a bad signature, the
// answer shapes of the reads, and (with --writes, on a test gateway; the
// activation is taken back) whether a repeated uuid is answered as the first
// or run again (ebuytest.Config.IgnoreUUID serves the other answer).
// makeCode's de-duplication stays open: a make cannot be taken back, so the
// probe never repeats one.
//
// Fields e-Buy sends beyond those modelled stay in each result's Meta.Raw.
package ebuy
