// Package ebuy is a client for e-Buy 电子券 4.1 (易百 e-coupons): activating,
// deactivating, freezing, voiding and delaying codes, making codes for a
// code merchant, reading products and a code's history, cancelling and
// reporting redemptions, and receiving e-Buy's notifications.
//
//	c, err := ebuy.NewClient(ebuy.Config{Gateway: ebuy.UATGateway, AppID: id, AppSecret: secret, BrandID: brand})
//	res, err := c.UpdateCodeStatus(ctx, &ebuy.UpdateCodeStatusRequest{Type: ebuy.UpdateFreeze, Codes: codes})
//
// Package ebuytest is a stateful fake e-Buy gateway for tests.
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
// exactly as received, or, failing that, its canonical text. A success
// answer with a missing or wrong sign is a *couponkit.Error with FaultAuth,
// never a success. A failure answer (success false) is always an error; an
// unsigned one is reported with its errorCode (gateways often do not sign
// their own refusals), one with a wrong sign as FaultAuth.
//
// Identifiers such as ticketId arrive as 16-digit JSON numbers or as strings:
// [TicketID] reads both without passing through a float. Money is in fen
// ([couponkit.Fen], int64). Times are Beijing time (UTC+8) whatever the
// host's zone.
//
// # Retries and idempotency keys
//
// Reads (ProductDetail, CodeHistory) are retried on network failures, 5xx
// and throttling. Writes are keyed: the uuid is fixed once per logical call
// (given in the request's UUID field, or generated as yyyyMMdd-<32 hex>) and
// sent unchanged, re-signed with a fresh timestamp, on every attempt, on the
// assumption that e-Buy de-duplicates requests by uuid. The idempotency key
// of each write:
//   - ActivateCodes, DeactivateCodes, ThirdBatchMake, CancelRedemption: uuid;
//   - UpdateCodeStatus: each chunk's uuid (UUID, or UUID-n when split);
//   - SyncRedemptions: cashierTransNo (e-Buy's documented key for the day),
//     with the uuid also kept across attempts.
//
// When a write's outcome cannot be known (the connection failed after the
// request left, or 5xx on the last attempt) the error matches
// couponkit.ErrUnknownOutcome and couponkit.IdempotencyKey returns the key.
// [Client.Do] reaches any other API with a class of its own (ClassUnsafe for a
// write that must never be repeated).
//
// # Assumptions and open points
//
// e-Buy's pages leave these open; each default can be changed:
//   - headers: sent and signed like any other field (Config.Headers:
//     HeadersUnsigned, HeadersOmitted; Config.PaasVersion).
//   - Empty values: a field that is sent is signed, even when empty; null
//     values in answers are left out of the signature.
//   - The answer's sign: computed like the request's, over the answer's own
//     top-level fields (e-Buy does not publish it).
//   - De-duplication by uuid for every write (not published).
//   - action: the API path, except verify-verifyCancel (verifyCancel) and
//     verify-syncVerifyNotify (codeVerifyNotify), as e-Buy's pages print them
//     (Config.Actions overrides any API's action).
//   - errorCode table: not published. errors.go classifies the 4.0 return
//     codes (10 not found, 91 status does not allow the operation, 02 and 32
//     serial numbers) and codes by keyword (SIGN, APPID → Auth; LIMIT →
//     Throttle; SYS, BUSY → Server; PARAM, INVALID, NOT_EXIST → Client); any
//     other code is FaultUnknown and not retried (Config.ErrorFaults adds codes).
//   - Code statuses 01 (used) and 02 (expired) are assumed values.
//   - Per-code resultCode in activeCodeDetails: "" or "00" is success.
//   - Time formats not printed by e-Buy: codeValidStart and codeValidEnd of
//     batchActivateCode and thirdBatchMake are sent as yyyyMMddHHmmss (the
//     format documented for batchUpdateCodeStatus), thirdBatchMake's
//     transDate and transTime as yyyyMMdd and HHmmss, originalVerifyDate as
//     yyyyMMdd. Times in answers are read from epoch milliseconds,
//     yyyyMMddHHmmss, yyyyMMdd or yyyy-MM-dd HH:mm:ss; any other text reads
//     as the zero time (the raw answer stays in Meta.Raw).
//   - brandId is a string in batchUnActivateCode and verify-syncVerifyNotify
//     but a number in batchUpdateCodeStatus, as e-Buy's pages type them.
//   - verify-syncVerifyNotify: codeList is an array of code strings; the
//     answer's per-code list is read from verifyCodeList.
//   - Zero amounts and empty optional fields are left out of requests.
//   - Notifications: verified like answers; the acknowledgement e-Buy expects
//     is not published (default: a signed success envelope; WithAck).
//
// Fields e-Buy sends beyond those modelled stay in each result's Meta.Raw.
package ebuy
