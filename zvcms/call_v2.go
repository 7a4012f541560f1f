package zvcms

import (
	"context"
	"strings"
	"unicode"

	"github.com/couponkit/couponkit"
)

// CallV2 sends params to a V2 action, signed as the typed calls are, and
// decodes the response's data into out as [Client.Call] does, with the
// same rules; it returns the metadata of the exchange.
//
// V2 is the vendor's other API (its pages of API 2.0): one endpoint, POST
// Gateway + /api/v2, for every call, which action names in an envelope
// whose members are capitalised ({"OpenId", "GrantCode", "Timestamp",
// "Nonce", "Token", "Action", "Params"}; see the package doc). The token is
// Config.V2TokenFunc's (by default the V3 token [likely]); the answer is the
// V3 envelope. The V2 actions the vendor publishes that no typed call
// covers are, by the id of their page (doc2 id):
//
//   - communal.user.coupons-vertify (472; the page's spelling)
//   - user.coupon-new-status (492)
//   - coupon.off-coupon (500)
//   - communal.user.consume (620)
//   - coupon.coupon-exchange (645)
//   - coupon.user-coupon-list (150)
//   - user.cybuy-cards-canused (592)
//
// The shape of each action's params and data is the caller's to give: the
// package checks none of them. [Client.Reconciliation] is the typed V2 call
// (data.bi.financial-reconciliation).
//
// action must be non-empty and hold no space or control character;
// otherwise the error is a *couponkit.ValidationError naming "action", and
// nothing is sent. params is sent as Params: a json.RawMessage or []byte
// holding JSON as is, nil as {}, anything else encoded with encoding/json.
//
// Without options the call is a write the vendor is not known to
// de-duplicate (couponkit.ClassUnsafe): sent again only when the request
// provably never left, and an ambiguous answer once it may have left is an
// error matching couponkit.ErrUnknownOutcome. couponkit.Read() makes it a
// read, retried on network failures, 5xx, throttling and unreadable answers.
// couponkit.Keyed(name, key) makes it a write the vendor de-duplicates on
// the params field name: params must be a JSON object whose field name holds
// key, it is retried with the same params, and an unknown outcome reports
// the key. Errors, their faults and the redaction of credentials are those
// of Call, and name the action as the operation.
func (c *Client) CallV2(ctx context.Context, action string, params, out any, opts ...couponkit.CallOption) (couponkit.Meta, error) {
	if action == "" || strings.IndexFunc(action, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return couponkit.Meta{}, couponkit.Invalid("action", "must be a V2 action such as coupon.user-coupon-list, without spaces")
	}
	return c.call(ctx, c.v2.Endpoint, action, v2Path, params, out, opts)
}
