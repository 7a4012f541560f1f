// Package taobaofilm is a client for the film-code APIs of the Taobao Open
// Platform (TOP, 淘宝开放平台): taobao.film.fcode.export.query (券码数据导出查询)
// as a typed, paged call; the issue side of the same batch,
// taobao.film.lottery.sendcode (淘票票外部直发券, [Client.SendCodes]) and
// taobao.film.fcode.merchant.send (外部商家发码, [Client.MerchantSendCodes]);
// TOP's message service (TMC, 消息服务) pulled and confirmed
// ([Client.HandleMessages]); and any other TOP method through [Client.Call].
//
// The taobaofilmtest subpackage is a stateful fake of the TOP gateway
// (on loopback, or in memory with its Config.InMemory) for tests and
// examples that must run without Taobao.
//
// # Requests
//
// Every request is a POST of an application/x-www-form-urlencoded body to the
// router URL ([ProductionGateway] by default; [TestGateway] is the sandbox)
// holding the common parameters (method, app_key, session when set, timestamp, v=2.0, sign_method,
// format=json, simplify, partner_id, target_app_key) and the business
// parameters, all of them signed: the parameters but sign, sorted by name,
// concatenated as k1v1k2v2… with raw UTF-8 values, hashed with md5
// (MD5(secret+s+secret)), hmac (HMAC-MD5) or hmac-sha256 (the default; see
// Config.SignMethod), in upper-case hex. The timestamp is Beijing time
// (UTC+8) whatever the host's zone, and it and the signature are made again
// for every attempt. Values with Chinese text, spaces, '+' and '&' are signed
// raw and form-encoded on the wire.
//
// Business parameters with an empty value are left out of both the body and
// the signature, as TOP's official SDKs do [likely]; Config.KeepEmptyParams
// sends and signs them instead.
//
// A typed call's wire params are a struct with json tags, encoded once by
// encoding/json; each top-level member is one parameter: a string as its
// value, a number or a bool as written, an object (such as
// param_f_code_merchant_send_code_request) as its compact JSON text, null
// left out. The parameters are sorted and form-encoded once a call; an
// attempt adds its timestamp and signature. Call's struct params go
// through github.com/google/go-querystring (`url` tags).
//
// # Responses and errors
//
// Both JSON shapes decode whatever Config.Simplify says: the wrapped one
// ({"film_fcode_export_query_response":{…}}, lists as
// {"coupon_list":{"f_code_info":[…]}}) and the simplify=true one (no wrapper,
// lists as plain arrays). Without simplify, an unwrapped answer is read as
// the simplified shape when it holds a payload's return code (result or
// return_code). XML is not supported (format=json is always sent).
//
// A TOP error_response is a *couponkit.Error with Code, SubCode, Message (msg
// and sub_msg), RequestID and the Fault given by Config.CodeFaults and
// [FaultFor]: the call-quota codes (7, app call limited, and 4, 5, 6, 8) and
// the flow-control sub_codes (accesscontrol.limited-by-…, isv.* and isp.*
// access or call limits) are FaultThrottle, and the window, when sub_msg
// says "This ban will last for N more seconds", is the error's RetryAfter
// (the client then holds every call back for min(N s,
// RetryPolicy.MaxDelay)); isp.* sub-codes are FaultServer and retried;
// 11/12/13 (permissions), 24-29 (signature, session, app key) and 30/31
// (timestamp) are FaultAuth; isv.* sub-codes, 40/41 and the other
// request-format codes are FaultClient; 10 and 15 are FaultServer.
//
// A response that TOP accepted can still be a business failure: a payload
// whose return_code is not "0" is a *couponkit.Error matching [ErrBusiness],
// with Code set to the return code and Message to return_message. TOP puts
// it in two places: in "result" (the export; taobao.film.lottery.sendcode,
// apiId 37323) and directly in the response object
// (taobao.film.fcode.merchant.send, apiId 24722); both are checked. TOP
// documents no return codes [open]: they are FaultClient unless
// Config.CodeFaults says otherwise.
//
// An answer that is not a definite TOP answer is unreadable: empty, not
// JSON, a proxy's HTML page, malformed, truncated, an error_response without
// a code, or an object with neither "<method>_response", error_response nor
// a return code (without simplify; with simplify=true any non-empty object
// is the payload [likely]). So is a success without what the call exists
// for (each typed answer's Complete, the one rule of typed calls): an export
// page from which nothing is read (no return_value, or no basic, no code and
// no next page; current_rows is not checked, as the page's own example says
// 100 beside one code), and an issue answer without return_code "0", without
// its codes, with a code without its text, or with another number of codes
// than the request's number. A read retries it; a write's outcome is then
// unknown.
//
// # Exports and paging
//
// [Client.ExportCodes] fetches one page; [Client.Pages] and [Client.Codes]
// iterate over a whole export, one page in memory at a time, checking the
// context between pages. A page returns has_next, last_sequence and
// current_rows, but TOP documents no request field for the cursor [open]. By
// default the previous page's last_sequence is sent as a JSON number in the
// "params" extension JSON ({"last_sequence":100}), and pages are fetched while
// has_next is true; Config.Cursor (CursorParameter: a top-level parameter)
// and Config.CursorName change where and under which name it goes. All of it
// is in one place (paging.go). An export whose cursor repeats (a gateway that
// ignores it) stops with an error matching [ErrCursorRepeated]; a page that
// has_next without last_sequence stops with [ErrCursorMissing]. A whole
// export (from the first page to the last) whose count of codes disagrees
// with the last page's basic.total_count ends, after its codes, with an
// error matching [ErrTotalMismatch]: fewer with OperateAll (codes lost), or
// more (codes repeated).
//
// The export page is the one answer read by a hand codec instead of
// encoding/json: its wire answer is declared with json tags like every
// other, and encoding/json's reading of them is the reference, but the
// page is read in one pass of the codec's own over the answer the envelope
// check has already walked, and a whole export reads its pages into the
// same memory. A page is mostly its code list, which encoding/json reads
// slowly (it cannot tell the two list shapes apart without reading the
// list twice more): on pages of 10, 100 and 1,000 codes, reading the
// declared answer with encoding/json cost 1.6 to 1.9 times plain
// encoding/json into a struct declared for one shape, and the codec costs
// about 0.5 times (BenchmarkDecodePage). Anything the codec does not read
// exactly as encoding/json would (a member named in another case, one given
// twice, a value of another type) is left to encoding/json, and a
// differential fuzz test (FuzzExportCodec) holds its results to
// encoding/json's.
//
// # Retries and idempotency
//
// The export is a read (retried on network failures, 5xx, throttling, isp.*
// errors and unreadable answers). [Client.Call] is a write TOP is not known
// to de-duplicate (couponkit.ClassUnsafe) unless couponkit.Read() or
// couponkit.Keyed(name, key) says otherwise: it is then sent again only when
// the request provably never left or TOP throttled it, and once it may have
// left, an ambiguous answer is an error matching couponkit.ErrUnknownOutcome.
// TOP's envelope has no idempotency key; the issue calls carry theirs,
// ext_order_id, inside param_f_code_merchant_send_code_request (sent as JSON
// text, members in name order, empty ones left out). [Client.SendCodes] is
// Keyed on it [likely]: the page requires it as the caller's order number,
// but states no de-duplication in words; Config.SendCodesUnsafe makes it an
// Unsafe write. [Client.MerchantSendCodes] is Unsafe: its page (apiId 24722)
// documents no de-duplication, so an ambiguous answer is an unknown outcome
// at once, reporting the ext_order_id to look up before sending again. A
// call without ext_order_id gets one from Config.NewKey (the client's
// clock; default the Beijing time as yyyyMMddHHmmss and 16 hex digits: TOP
// publishes no format or length [open]), returned in the result.
// MerchantSendRequest.SinglePrice is sent in fen [open]; order_time is sent
// as "yyyy-MM-dd HH:mm:ss" ([known]: the examples of apiId 37323 and 24722)
// in Beijing time ([likely]: TOP's zone, as for the timestamp). sendcode
// always sends each_num, which apiId 37323 marks required (1 unless
// SendCodesRequest.EachCount says otherwise); merchant.send sends no
// user_id_type, which apiId 24722 does not list.
//
// The issued codes are read in both answer shapes: sendcode's
// f_code_merchant_info_list of FCodeMerchantVo (wrapped in
// f_code_merchant_vo without simplify), and merchant.send's list of
// Fcodemerchantinfolist, each holding its code in fcode_merchant_info
// (wrapped in fcodemerchantinfolist without simplify). The stored copy of
// page 24722 prints FCodeMerchantInfo's members as far as gmt_expire and
// cost_price; code and gen_task_id are read under FCodeMerchantVo's names
// [likely].
//
// taobaofilmtest issues codes for both methods: they are appended to the
// batch (mix_id for sendcode, product_mix_id for merchant.send) as bound
// codes and appear in its export; sendcode requires each_num and answers a
// repeated ext_order_id with its first answer, merchant.send issues again
// and answers in the 24722 shape.
//
// # Sessions
//
// APIs that act for a user take a session (access token, sent as the
// signed "session" parameter). Config.Session is a fixed one;
// Config.TokenSource gives each call its own, taken with the call's
// context before anything is sent. A token.Refreshing source (package
// github.com/couponkit/couponkit/token) keeps it in a token.Store and
// refreshes it a margin before it expires, once per process at a time and,
// with a token.Locker (the Redis module's TokenStore), once per fleet, with
// [Client.Refresher]: taobao.top.auth.token.refresh sent by a client
// without a session.
//
// [Client.CreateToken] (taobao.top.auth.token.create) exchanges the
// authorization code of TOP's OAuth page for the first session;
// [Client.RefreshToken] (taobao.top.auth.token.refresh) gets a new one and
// a new refresh token: TOP rotates it [known: its token pages], and a
// Refreshing source saves the new one before it hands out the new session. Both are sent without a
// session and are Unsafe writes without a key: a code and a refresh token
// each work once, so an answer that may have been applied is an unknown
// outcome at once. Both read token_result, a JSON object TOP sends as a
// string; the session's Expiry is its expire_time (epoch milliseconds), or
// the client's clock plus expires_in seconds. Only apps sold on TOP's
// service market may refresh [likely]; others get a session of fixed
// length, no refresh_token, and a Refreshing source fails once it expires.
//
// A call refused because its session expired, an error_response whose code
// or sub_code is one of Config.SessionExpiredCodes (default: code 27, sub_codes
// invalid-sessionkey and session-expired [likely]), renews the session
// once, one refresh however many calls were refused with it, and is sent
// once more with the same params and key and the new session. This holds
// for every class, Unsafe writes included: TOP checks the session before
// the API acts, and a write ends in a plain refusal only when none of its
// attempts may have been applied. A write whose outcome is unknown (an
// attempt that may have been applied, then the refusal) is never sent
// again this way, a call refused with the renewed session is not sent a
// third time, and Config.Session, which cannot be renewed, is refused as it
// is. A source that cannot give a session fails the call before it is sent
// (couponkit.FaultAuth, matching token.ErrUnavailable).
//
// # Units and time
//
// Denomination is in fen ([couponkit.Fen]). Every time (bind_begin_time,
// coupon_expire_time, gmt_modified) is read as "yyyy-MM-dd HH:mm:ss" in
// Beijing time (UTC+8) and returned as a time.Time in that zone.
//
// # Messages (TMC)
//
// TOP's message service is pulled over HTTP (tmc.go, tmc_loop.go):
// [Client.PermitUser] (taobao.tmc.user.permit) gives the session's user the
// app's topics, [Client.ConsumeMessages] (taobao.tmc.messages.consume)
// takes a batch of a group's messages, which are then in flight, and
// [Client.ConfirmMessages] (taobao.tmc.messages.confirm) confirms those
// handled. [Client.HandleMessages] loops over the last two: each message is
// handed to the caller's function under a claim of its id (a
// couponkit.ClaimStore, as e-Buy's notification handler claims a uuid), and
// only those it returned nil for are confirmed, one confirm a batch. A
// message not confirmed is handed out again by TMC [likely: its pages and
// official clients say so; the delay is not published, open], so delivery
// is at least once and the claims de-duplicate it. f_message_ids, which
// the API's metadata marks deprecated, is never sent [likely]. Whether TMC
// carries film-code topics at all is [open]: this package names none, and
// taobaofilmtest's topics (TopicCodesSent, TopicCodeRedeemed) are the
// fake's own. The session is sent with consume and confirm when the Config
// has one; TOP's examples send none for them, and it is ignored [likely].
//
// `couponkit probe taobaofilm` checks against a gateway which sign methods
// it accepts, how far the timestamp may be off, whether the export cursor
// is read where it is sent, how a bad signature is classified and the
// export's answer shape (taobaofilmtest.Config's SignMethods, MaxSkew and
// CursorName serve each other answer). sendcode's de-duplication of
// ext_order_id stays [likely]: issued codes cannot be taken back, so the
// probe never repeats an issue.
//
// Credentials (the app secret and the session, in every escaping, each
// attempt's signature, and a token call's code, refresh token and answer)
// never appear in an error or a log line.
//
// # Calls
//
// The typed calls, as [APIs] lists them (go generate writes this section
// from it; the couponkit command runs each by its name):
//
//   - [Client.AccountsByPhone] (taobao.film.account.phone.query, a read): the accounts (open id, masked nick) a mobile number matches.
//     [likely]: phone in, result's return_code and account_list of mix_user_id and user_nick out (the API's metadata as generated SDKs carry it, not the vendor's page). [open]: whether it needs a session (the Config's is sent when set); what its return codes mean.
//   - [Client.ExportCodes] (taobao.film.fcode.export.query, a read): one page of a batch's codes, the first or the one after a cursor (Pages and Codes iterate over all of them).
//   - [Client.SendCodes] (taobao.film.lottery.sendcode, a keyed write on ext_order_id): issues codes of a batch for an order of the caller's (Unsafe with Config.SendCodesUnsafe).
//   - [Client.MerchantSendCodes] (taobao.film.fcode.merchant.send, an unsafe write, key ext_order_id): issues codes of an activity's product for an order of the caller's (the older merchant call).
//   - [Client.PermitUser] (taobao.tmc.user.permit, a keyed write on topics): permits the session's user TMC messages on the topics given, replacing the user's topics.
//     Needs the user's session. [known]: the topics replace the user's list (its page's note). [likely]: is_success is the answer's flag (the API's metadata as generated SDKs carry it).
//   - [Client.ConsumeMessages] (taobao.tmc.messages.consume, a read): takes a batch of a TMC group's messages, in flight until confirmed (HandleMessages loops over it).
//     [likely]: a message handed out and not confirmed is handed out again, after a delay TMC does not publish [open]; the Config's session, when set, is sent too and ignored (the page's example sends none). [open]: outgoing_time, which the stored page does not print, is read when present.
//   - [Client.ConfirmMessages] (taobao.tmc.messages.confirm, a keyed write on s_message_ids): confirms TMC messages handled, so that they are not handed out again.
//     [likely]: f_message_ids (failed ids) is deprecated (the API's metadata as generated SDKs carry it), so it is never sent. [open]: what TOP answers an id it no longer holds.
//   - [Client.CreateToken] (taobao.top.auth.token.create, an unsafe write): a session (access token) from an authorization code.
//   - [Client.RefreshToken] (taobao.top.auth.token.refresh, an unsafe write): a new session from a refresh token, which TOP rotates.
package taobaofilm
