// Package taobaofilm is a client for the film-code APIs of the Taobao Open
// Platform (TOP, 淘宝开放平台): taobao.film.fcode.export.query (券码数据导出查询)
// as a typed, paged call, and any other TOP method (such as
// taobao.film.fcode.merchant.send) through [Client.Call]. Package
// taobaofilmtest is a fake gateway for tests.
//
// # Requests
//
// Every request is a POST of an application/x-www-form-urlencoded body to the
// router URL ([GatewayHTTPS] by default) holding the common parameters
// (method, app_key, session when set, timestamp, v=2.0, sign_method,
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
// The common parameters and a typed request's scalar fields are turned into
// parameters by github.com/google/go-querystring (`url` tags): the common
// ones once in NewClient, the export's for every page, and Call's struct
// params on every call.
//
// # Responses and errors
//
// Both JSON shapes decode whatever Config.Simplify says: the wrapped one
// ({"film_fcode_export_query_response":{…}}, lists as
// {"coupon_list":{"f_code_info":[…]}}) and the simplify=true one (no wrapper,
// lists as plain arrays). XML is not supported (format=json is always sent).
//
// A TOP error_response is a *couponkit.Error with Code, SubCode, Message (msg
// and sub_msg), RequestID and the Fault given by [FaultFor]: code 7 is
// FaultThrottle, and its window, when sub_msg says "This ban will last for N
// more seconds", is the error's RetryAfter (the client then holds every call
// back for min(N s, RetryPolicy.MaxDelay)); isp.* sub-codes are FaultServer
// and retried; 11/12/13 (permissions), 24-29 (signature, session, app key)
// and 30/31 (timestamp) are FaultAuth; isv.* sub-codes, 40/41 and the other
// request-format codes are FaultClient; 10 and 15 are FaultServer.
//
// A response that TOP accepted can still be a business failure: a result
// whose return_code is not "0" is a *couponkit.Error matching [ErrBusiness],
// with Code set to the return code and Message to return_message. TOP
// documents no return codes [open]: they are FaultClient unless
// Config.ReturnCodeFaults says otherwise.
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
// has_next without last_sequence stops with [ErrCursorMissing].
//
// The export is a read (retried on network failures, 5xx, throttling and
// server faults). Call is treated as a write unless [AsRead] is given:
// it is then retried only when the request provably never left or TOP
// throttled it, and an unknown outcome matches couponkit.ErrUnknownOutcome.
// TOP has no idempotency key for these calls.
//
// # Units and time
//
// Denomination is in fen ([couponkit.Fen]). Every time (bind_begin_time,
// coupon_expire_time, gmt_modified) is read as "yyyy-MM-dd HH:mm:ss" in
// Beijing time (UTC+8) and returned as a time.Time in that zone.
//
// Credentials (the app secret and the session) never appear in an error or a
// log line.
package taobaofilm
