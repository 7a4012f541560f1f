// Package houcaller is a client for the Houcaller (豪客来) CRM open API: the
// sale of 名牛卡 member cards (sendMncardForSale, typed as [Client.SellCard]),
// a member's coupons (listCpnItemByMember, [Client.MemberCoupons]), the
// coupon of an item a member received last with its sale and use orders
// (getLastSendCpnItem, [Client.LastSentCoupon]), the record of a member's
// spending (recordMemberCons, [Client.RecordConsumption]), gifts of coupons
// to a phone number (cpnShiftGift, [Client.GiftCoupons]), a member's 豪礼卡
// (listMemberStcard, [Client.MemberStoredValueCards]), the coupons of a 豪礼卡
// promotion (listCpnForStcPro, [Client.PromotionCoupons]), a member's points
// ledger by month, paged (queryMemberScoRecordForShop,
// [Client.PointsLedgerPage], and the iterator [Client.PointsLedger]) and,
// through [Client.Call], the gateway's other endpoints. The
// houcallertest subpackage is a stateful fake of the gateway for tests: on a
// loopback port, or in memory with its Config.InMemory.
//
// # Calls
//
// The typed calls, as [APIs] lists them (go generate writes this section
// from it; the couponkit command runs each by its name):
//
//   - [Client.ChildCards] (listHbsChildInfo, a read): the children's club cards a member holds and once held.
//     Path listHbsChildInfo. [open]: the values of state and sex; an absent unbindList is read as none.
//   - [Client.RecordConsumption] (recordMemberCons, an unsafe write, key serialCode): records a member's spending, which earns 豪币.
//   - [Client.GiftCoupons] (cpnShiftGift, an unsafe write): gives a member's coupons to the holder of a phone number; no key is published, so an unknown outcome carries none.
//   - [Client.LastSentCoupon] (getLastSendCpnItem, a read): the coupon of an item a member received last, with the orders that sold and used it.
//   - [Client.MemberCoupons] (listCpnItemByMember, a read): a member's coupons, with their codes and statuses.
//   - [Client.PointsLedgerPage] (queryMemberScoRecordForShop, a read): one page of a member's points ledger in one month, with the month's totals (PointsLedger iterates over months and pages).
//   - [Client.PromotionCoupons] (listCpnForStcPro, a read): the coupon items that come with buying a 豪礼卡 of one kind.
//   - [Client.SellCard] (sendMncardForSale, an unsafe write, key saleNo): sells a 名牛卡 to a member; returns the coupon codes issued and the member card.
//   - [Client.MemberStoredValueCards] (listMemberStcard, a read): a member's usable 豪礼卡 (stored-value cards), with their balances.
//
// # Classes and keys
//
//   - SellCard is an Unsafe write keyed by saleNo (Keyed with
//     Config.SaleNoDedup); see the open points below.
//   - RecordConsumption is an Unsafe write keyed by serialCode (Keyed with
//     Config.SerialCodeDedup): the vendor calls serialCode unique (唯一业务号)
//     but does not document that a repeat is refused or answered as the
//     first, so a record whose outcome is unknown is never sent again on its
//     own; the error carries the serialCode to check with.
//   - GiftCoupons is an Unsafe write without a key: cpnShiftGift's page
//     publishes no field the gateway could de-duplicate on, so a gift whose
//     outcome is unknown carries no key (couponkit.IdempotencyKey returns
//     ""); check the coupons (LastSentCoupon shows status 7 while one is
//     being given) before giving them again.
//   - MemberCoupons, LastSentCoupon, MemberStoredValueCards,
//     PromotionCoupons and PointsLedgerPage are reads, retried on network
//     failures, 5xx, throttling and unreadable answers.
//
// # Protocol
//
// Every request is a JSON POST to Gateway + "/" + endpoint:
//
//	{"param":"<UPPERCASE HEX>","channel":"<channel>","timestamp":"<13-digit epoch ms>"}
//
// (keys in the order of the vendor's example), where param is the compact
// business JSON encrypted with the channel's DES key. There is no signature.
// The business JSON is serialized and encrypted once per call; each attempt
// carries a fresh timestamp and the same param.
// Responses are {"msg": …, "code": 0, "data": …}: code 0 is success and any
// other code a *couponkit.Error with the vendor's message ("msg", or "smg" as
// one vendor example spells it); code may be a number or a string. An answer
// that is not such an envelope (empty, a proxy's HTML page, malformed JSON,
// no code) is not a definite answer: a read is retried, and a write whose
// request may have arrived reports an unknown outcome.
//
// Points the vendor leaves open, with the default chosen and how to change it:
//
//   - [likely] DES in ECB mode with PKCS5 padding, hex in upper case: the
//     vendor's ciphertexts are multiples of 8 bytes and equal plaintext
//     prefixes would give equal first blocks, so there is no random IV.
//     Config.CipherMode (CBC with Config.IV) and Config.Padding change it.
//     The key is the 8 bytes of Config.DESKey as given (not hex decoded).
//   - [open] The production gateway is not published: Config.Gateway is
//     required and has no default, so a set-up that forgets it fails in
//     NewClient instead of reaching a real gateway; [TestGateway] is the
//     vendor's test gateway.
//   - [open] [TestGateway] is plain HTTP, as the vendor publishes it; whether
//     Houcaller also serves HTTPS is not documented. channel and timestamp
//     travel in clear and param only under single DES (a 56-bit key; ECB
//     shows repeated blocks), so use an https:// gateway wherever Houcaller
//     offers one.
//   - [open] No error code other than 0 is documented: every other code has
//     couponkit.FaultUnknown ([FaultFor]; not retried) unless
//     Config.CodeFaults says otherwise. HTTP 5xx, 429, 401 and 403 are
//     classified by status.
//   - [open] De-duplication by saleNo is not documented. saleNo is the sale's
//     idempotency key, given or made by Config.NewKey; a sale is sent again
//     only when the request provably never left or was throttled, and a sale
//     whose outcome cannot be known returns an error matching
//     couponkit.ErrUnknownOutcome with the saleNo ([couponkit.IdempotencyKey]),
//     never a second request. Config.SaleNoDedup retries such sales with the
//     same saleNo once the vendor confirms it de-duplicates.
//   - [likely] payAmt and num are JSON strings ("11.22", "3") as in the
//     vendor's request example, though its field table says payAmt is a
//     float: amounts are [couponkit.Fen] in Go, exact, never float64, and an
//     amount with more than 16 integer digits in yuan, or negative, is
//     refused before sending.
//   - [open] De-duplication of consumption records by serialCode is not
//     documented either: Config.SerialCodeDedup makes RecordConsumption a
//     Keyed write once Houcaller confirms it; by default it is Unsafe.
//   - [open] The format of recordMemberCons's bizDate (业务日期, a string) is
//     not stated: Config.BizDateLayout, default [DefaultBizDateLayout]
//     ("yyyy-MM-dd 00:00:00", the form the response example echoes).
//   - [likely] recordMemberCons's amounts (amount, scoreAmt, consAmt) are
//     strings in the field table with no unit: they are sent in yuan with
//     two decimals ("30.00"), like the sale's payAmt, and read back in yuan.
//   - [open] What getLastSendCpnItem answers when the member holds no coupon
//     of the item is not documented: code 0 with data null, absent or {} is
//     read as SentCoupon.Found false; an error code is returned as an error.
//   - [known] listCpnItemByMember's example carries the coupon item in
//     "cpnid" and an empty "cpnId": cpnid is read, cpnId when cpnid is
//     empty. Its days (begDate, endDate, "yyyy-MM-dd") are midnight in
//     Beijing time.
//   - [likely] The sale's response is read in both documented shapes: the
//     coupon list of the response example (data.list[]{cpnId, cpnCodes}) and
//     the member-card record of the field table, whose integer times are read
//     as epoch milliseconds (13 digits; 10 digits as seconds).
//   - [open] Where cpnShiftGift's gift records stand: its page lists one
//     record's fields (id, pid, status, cpnId, cpnCode, …) without data;
//     data is read as an array of records, an object with a list, or one
//     record. A code asked for that no record names is returned in
//     GiftResult.Unconfirmed.
//   - [open] The format of queryMemberScoRecordForShop's month (查询月份, a
//     string): Config.MonthLayout, default [DefaultMonthLayout] ("yyyy-MM").
//     page.offset is read as a record offset (起始位置) [likely], and the
//     next page asks for the offset after the records the gateway sent.
//   - [likely] The points ledger's records are recordMemberCons's records:
//     besides the fields of its table, their id, mmbId, srcId (the order),
//     scoType, hbsBusiType and ctime are read when sent. Its amounts (int,
//     no unit) are read in yuan, like recordMemberCons's; its totals
//     (BigDecimal) must be whole points.
//   - [likely] listMemberStcard's amounts (amt, balance) are yuan: its
//     example has amt 1000 for a card sold as 1000元. The card's password
//     (pwd) and QR id (fid) are not read.
//   - [likely] The business JSON's keys are written in the order of the
//     vendor's examples and field tables (the sale's: cardInfoId, saleTime,
//     saleUser, num, saleOrgCode, payAmt, saleNo, memberId), so that a sale
//     like the example encrypts to the example's plaintext byte for byte.
//     The order of a JSON object's keys should not matter to the gateway;
//     keeping the example's costs nothing and rules it out.
//
// `couponkit probe houcaller` checks against a gateway the cipher (DES,
// ECB, PKCS5), the spelling of code, the code a param the gateway cannot
// decrypt gets, and listCpnItemByMember's answer shape. De-duplication by
// saleNo and serialCode stays open: a sale and a consumption record cannot
// be taken back, so the probe never repeats one.
//
// The envelope of an answer (code, msg) is read in place, and a vendor error
// code is reported whatever its data holds; the data of a success is then
// decoded with encoding/json into the call's wire answer (a listing of a
// member's coupons by a decoder of its own, in one pass, which reads it as
// encoding/json does and leaves anything unusual to encoding/json). Answers
// are read leniently where the vendor's pages differ (identifiers and
// counters as strings or numbers; times as "yyyy-MM-dd HH:mm:ss",
// "yyyy-MM-dd" or epoch numbers) and strictly where a wrong value would pass
// unnoticed: an amount with more than two decimals, an empty amount, or a
// time or a number that is none of these makes the answer unreadable.
//
// # Successes
//
// Code 0 is a success only when its data holds what the call exists for;
// otherwise the answer is unreadable (a write's outcome is unknown, with its
// key; a read is retried):
//
//   - SellCard: a coupon code issued (data.list[].cpnCodes, the response
//     example) or the member card sold (the field table's record). An empty
//     list, or items without codes, are not a sale.
//   - RecordConsumption: the id of the record stored (data.id, the response
//     example).
//   - MemberCoupons: data.list, empty for a member without coupons, each
//     coupon with its code (cpnCode).
//   - LastSentCoupon: no coupon (data null, absent or {}) is Found false; a
//     coupon's fields without its code (cpnCode) are unreadable.
//   - GiftCoupons: at least one gift record, each with the code it gave
//     (cpnCode).
//   - MemberStoredValueCards: data.list, empty for a member without cards,
//     each card with its number (cardNo).
//   - PromotionCoupons: data.cpnList, empty for a card kind without a
//     promotion, each coupon with its id.
//   - PointsLedgerPage: data.records, empty for a month without records.
//
// # Points ledger
//
// [Client.PointsLedger] lists a member's ledger from one month to another,
// page by page, and never silently loses or repeats a record: a page the
// gateway repeats (every record already listed: it ignores page.offset)
// ends the listing with couponkit.ErrPageRepeated, and a month that ends
// short of the gateway's own count (page.total, or page.pages) with
// couponkit.ErrListShort, instead of that month's last page.
//
// # Units and time
//
// Money is [couponkit.Fen] (1122 is 11.22 yuan); the wire writes yuan. Times
// sent (saleTime, "yyyy-MM-dd HH:mm:ss") are Beijing time (UTC+8) whatever
// the host's zone, and must fall in the years 0000–9999; times received are
// returned in Beijing time.
package houcaller
