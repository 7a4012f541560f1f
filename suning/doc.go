// Package suning is a client for the Suning Open Platform (苏宁开放平台)
// online appointment activities (线上预约活动): suning.custom.appoint.create,
// which creates, modifies and stops an activity (Client.Create, Client.Modify,
// Client.Stop: operateType 01, 02, 03), and suning.custom.appoint.query
// (Client.Query); and the customer side: suning.custom.gotoappoint.create
// enrols a customer (Client.GotoAppoint) and suning.custom.bookinginfo.query
// reads a customer's booking (Client.BookingInfo). Client.Call reaches any
// other Suning method, signed the same way. A fake gateway for tests lives in
// suning/suningtest.
//
// # Calls
//
// The typed calls, as [APIs] lists them (go generate writes this section
// from it; the couponkit command runs each by its name):
//
//   - [Client.Create] (suning.custom.appoint.create, a keyed write on enrollInfoCode): creates an appointment activity (operateType 01); the vendor assigns its actionId.
//   - [Client.Modify] (suning.custom.appoint.create, a keyed write on enrollInfoCode): modifies an activity, sending it whole again (operateType 02).
//   - [Client.Stop] (suning.custom.appoint.create, a keyed write on enrollInfoCode): stops an activity (operateType 03).
//   - [Client.GotoAppoint] (suning.custom.gotoappoint.create, an unsafe write, key custNo): enrols a customer in an activity's goods.
//   - [Client.BookingInfo] (suning.custom.bookinginfo.query, a read): a customer's bookings in an activity.
//   - [Client.CreateToken] (oauth/token authorization_code, an unsafe write): an OAuth access token from an authorization code.
//   - [Client.RefreshToken] (oauth/token refresh_token, an unsafe write): a new OAuth access token from a refresh token.
//   - [Client.Query] (suning.custom.appoint.query, a read): an activity by its actionId, one of its goods and its merchant.
//
// # Protocol
//
// Every call is an HTTP POST of a JSON body
// {"sn_request":{"sn_body":{"<node>":{…}}}} to one gateway URL
// (ProductionGateway, TestGateway). The common parameters travel as
// headers (HTTP header names are case-insensitive; the client sets them
// under their canonical keys, such as "Signinfo"): AppMethod, AppRequestTime (Beijing time "yyyy-MM-dd HH:mm:ss",
// fresh for every attempt, whatever the host's time zone; the gateway allows
// 10 minutes of skew), Format "json", AppKey, VersionNo ("v1.2"), signInfo
// and, when Config.AccessToken is set, access_token. signInfo is the
// lowercase hex MD5 of appSecret + appMethod + appRequestTime + appKey +
// versionNo + Base64(body), over the exact body bytes sent. Every value in a
// business node is a JSON string.
//
// Points the vendor's documents leave open, with the choice made here:
//
//   - [known] URL: the bare sopRequest URL, as Suning's Python SDK posts;
//     Suning's PHP SDK and several other clients append "/<method>", which
//     Config.AppendMethodToPath turns on. The gateway accepts both.
//   - [likely] Content-Type: "application/json;charset=UTF-8", as the Python
//     SDK sends (the PHP SDK sends text/xml whatever the format).
//   - [open] Field lengths: the vendor documents a length-overlong error but
//     no lengths; DefaultMaxLengths lists the ones checked (18 for goods
//     codes, 11 for the phone, generous caps elsewhere) and
//     Config.MaxLengths changes them.
//   - [open] Prices are yuan on the wire, whole amounts without decimals as
//     in the vendor's sample ("3999"). The vendor's table types them as
//     strings and every sample is a whole number, so an amount with fen is
//     a *couponkit.ValidationError rather than risk the gateway reading
//     "3899.50" otherwise. In Go they are couponkit.Fen, never floats. The
//     fake (suningtest) agrees: it answers a price with decimals
//     ("3899.00") with CodeFormatError.
//   - [likely] goodsSubList (bundle parts) sits beside goodsList in the node,
//     as in the vendor's sample and SDKs, not inside each goods.
//   - [open] Modify and Stop with no goods omit goodsList; whether the vendor
//     then keeps the goods is not documented (the fake keeps them). Stop
//     sends the whole activity, because the vendor's table marks the fields
//     required for every operateType.
//   - [likely] versionNumber defaults to "1", the sample's value.
//   - [likely] NoticePhone is an 11-digit mainland mobile number; the share
//     links are absolute http(s) URLs; city codes hold no commas or spaces.
//   - [open] The timeline checked before sending: ActionStart ≤ ScheduleStart
//     < ScheduleEnd ≤ ActionEnd, ScheduleStart ≤ PurchaseStart < PurchaseEnd
//     ≤ ActionEnd, and SupervipPurchaseStart and TicketResaleStart within
//     [ActionStart, PurchaseEnd). The vendor states no order; these follow
//     from what the fields mean and reject nothing a sane activity needs.
//   - [likely] suning.custom.appoint.query takes actionId, partNumber and
//     vendorId, all required, and answers resultFlag, resultCode, resultMsg
//     and the activity's main fields, as the vendor's page for that method
//     (not among the pages this package was built from) and Suning's Python
//     SDK show; QueryResult.Node keeps the whole node.
//   - [likely] suning.custom.gotoappoint.create (node createGotoappoint)
//     takes actionId, custNo, partNumber, purchaseType, storeCode, telNo,
//     terminalFlag and vendorCode, all required but storeCode, and
//     suning.custom.bookinginfo.query (node queryBookinginfo) takes actionId
//     and snUnionId, both required: the request classes of Suning's Python
//     and PHP SDKs; the vendor's pages for them were not available.
//   - [open] The values of purchaseType and terminalFlag are not published:
//     GotoAppointRequest sends them as given and checks only that they are
//     present. Their lengths, and those of custNo, storeCode, telNo and
//     snUnionId, are generous caps in DefaultMaxLengths (Config.MaxLengths).
//   - [open] The answers of the two customer methods are not published.
//     GotoAppointResult and BookingInfoResult read resultCode and resultMsg
//     and keep the whole node (Node); success is judged as for Query:
//     resultFlag when present, else resultCode "0". A node with neither is
//     not a definite answer (see Successes below).
//   - [open] How snUnionId relates to custNo is not published; the fake
//     takes them to be the same value.
//
// # Successes
//
// A success must carry what the call exists for; otherwise the answer is not
// a definite answer (a write's outcome is unknown with its key, a read is
// retried):
//
//   - Create: resultCode "0" and the activity id (actionId) the vendor
//     assigned.
//   - Modify and Stop: resultCode "0"; an actionId, when the answer has one,
//     must be the request's (an answer about another activity is not this
//     call's).
//   - Query: a result field (resultFlag or resultCode) and the activity asked
//     for (actionId equal to the request's).
//   - GotoAppoint and BookingInfo: a result field (resultFlag or resultCode);
//     their other answer fields are not published [open], so the node is
//     kept whole (Node) and not checked further. A customer without a
//     booking is not an error.
//
// The generic Call keeps the rule of a node it does not know: a node with
// neither result field is a success.
//
// # Idempotency
//
// Create, Modify and Stop are keyed writes: the request's enrollInfoCode
// (报文唯一标识) is the key the vendor de-duplicates on. It is generated once
// per call (DefaultEnrollInfoCode: "SU", Beijing yyMMddHHmmss and 18 random
// digits, 32 characters — [open]: the vendor's sample has 20 and its maximum
// length is not documented; Config.NewKey or AppointRequest.EnrollInfoCode
// override it) unless the request sets it, the body is built once, and
// retries resend the same bytes signed again. An answer that is not a
// definite vendor answer (empty, not JSON, a proxy's page, no
// sn_responseContent, no createAppoint node or no resultCode in it, a
// success without what the call exists for, see Successes), a 5xx,
// a dropped connection or a timeout after the request left are retried
// with the same key; when the last attempt is still ambiguous, or a retry
// after such an attempt is refused (the refusal reachable with errors.As),
// the error matches couponkit.ErrUnknownOutcome and couponkit.IdempotencyKey
// returns the key: call again with AppointRequest.EnrollInfoCode set to it. Query
// is a read and is retried. Call is an unsafe write unless
// couponkit.Read() or couponkit.Keyed(name, key) says otherwise: without
// them it is sent again only when the request provably never left or the
// vendor throttled it. A Keyed Call
// must carry its key in params (Suning has no envelope key). Call's
// business node is set with Node, required except for the four methods
// above: the envelope cannot be built without it, and it does not follow
// from the method name.
//
// # Errors
//
// Bad input is a *couponkit.ValidationError naming the Go field with its path
// ("Goods[1].DefaultFlag") and the vendor code the gateway would answer
// ("biz.custom.createappoint.missing-parameter:partName"); nothing is sent.
// A vendor error envelope {"sn_error":{"error_code","error_msg"}} is a
// *couponkit.Error whose Code is the full code with its field suffix, and
// whose Fault comes from FaultFor (Config.CodeFaults overrides it). A
// createAppoint node whose resultCode is not "0" is a *couponkit.Error with
// Code "1" (the resultCode), the resultMsg as Message, and Fault Client.
// The same holds for a node that reports a failure to Query, GotoAppoint,
// BookingInfo or Call (a resultFlag other than "true", or without one a
// resultCode other than "0"): Code is the resultCode ("1" when only the
// flag was sent).
// Responses that are not a definite vendor answer are errors too (for a
// write, an unknown outcome); a vendor failure is never a success.
//
// [open] How the vendor refuses to modify or stop an activity that does not
// exist or is already stopped is not documented. The fake (suningtest)
// answers biz.handler.data-get:no-result (CodeNoResult) for an unknown
// activity and biz.handler.data-get:fail (CodeDataGetFail) for a stopped
// one, the codes of the vendor's table that fit; both are Client faults, as
// would be a resultCode "1" if that is how the vendor answers.
//
// `couponkit probe suning` checks against a gateway the clock skew it
// allows, both URL forms, how a bad signature is classified, the query's
// answer shape and, with --writes on a test gateway (each activity it
// creates is stopped), whether a repeated enrollInfoCode is answered as the
// first and how a stop of an activity that does not exist is refused
// (suningtest.Config's MaxSkew and IgnoreEnrollInfoCode serve each other
// answer).
//
// # Access tokens
//
// Apps authorized through OAuth send an access token as the access_token
// header. Config.AccessToken is a fixed one; Config.TokenSource gives each
// call its own, taken with the call's context before anything is sent. A
// token.Refreshing source (package github.com/couponkit/couponkit/token)
// keeps it in a token.Store and refreshes it a margin before it expires,
// once per process at a time and, with a token.Locker (the Redis module's
// TokenStore), once per fleet, with [Client.Refresher]: the refresh_token
// grant of a client without an access token.
//
// [Client.CreateToken] (grant_type=authorization_code) and
// [Client.RefreshToken] (grant_type=refresh_token) post a form of the grant,
// client_id (AppKey), client_secret (AppSecret) and, when set, redirect_uri
// (Config.OAuthRedirectURL) to Config.OAuthTokenURL (DefaultOAuthTokenURL
// [likely]), and read RFC 6749's answer: access_token, token_type,
// expires_in (seconds [likely]: the Expiry is the client's clock plus it),
// refresh_token, with Suning's suning_user_name, custnum and vendorCode.
// Suning does not publish the endpoint's failures [open]: an "error"
// member is a *couponkit.Error with that Code (invalid_grant and
// invalid_client are FaultAuth), an sn_error is read as the gateway's.
// Whether Suning rotates the refresh token is not published [open]: the
// answer's is kept, else the one sent. Both are Unsafe writes without a
// key: a code works once and a refresh may consume its refresh token, so
// an answer that may have been applied is an unknown outcome at once.
//
// They are typed calls on the pipeline, not golang.org/x/oauth2's Config
// (whose Token and TokenSource they use): its refresh grant sends no
// redirect_uri, which Suning's public clients send with both grants; it
// reads a JSON answer under a text/plain Content-Type as a form; it takes
// the Expiry from the host's clock; and it would skip the pipeline's retry
// classes, unknown outcomes, redaction and observers.
//
// A call refused with sys.check.user-permission:overdue (CodeUserOverdue:
// 访问令牌已过期, "use the refresh token" [known], the vendor's table)
// renews the token once, one refresh however many calls were refused with
// it, and is sent once more with the same body (enrollInfoCode included)
// and the new token. This holds for every class, Unsafe writes included:
// the gateway checks the token before the API acts, and a write ends in a
// plain refusal only when none of its attempts may have been applied. A
// write whose outcome is unknown is never sent again this way, a call
// refused with the renewed token is not sent a third time, and
// Config.AccessToken, which cannot be renewed, is refused as it is. A
// source that cannot give a token fails the call before it is sent
// (couponkit.FaultAuth, matching token.ErrUnavailable).
//
// # Time and money
//
// Times are time.Time values, sent and read as Beijing time (UTC+8) with
// one-second precision: sent as "yyyy-MM-dd HH:mm:ss", read in that form or
// any other the vendors print (unpadded, a date alone, compact digits, epoch
// seconds or milliseconds); a value that is none of them makes the answer
// unreadable. Money is couponkit.Fen; prices go on the wire as whole yuan.
//
// # Wire
//
// Each business node is a private struct with json tags, encoded and
// decoded by encoding/json, and the answer's node is found in place in the
// body, which is checked once. No call keeps a hand-written encoder or
// decoder: the request bodies are a few kilobytes at most, and the paired
// benchmarks (bench_test.go) measure the calls against hand-written
// encoding/json calls.
package suning
