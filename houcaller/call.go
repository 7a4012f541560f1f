package houcaller

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/transport"
)

// Endpoints on the same gateway that Call and Query reach. Their parameters
// and data are not typed by this package; the vendor's own pages describe them.
const (
	EndpointSellCard            = "sendMncardForSale"   // typed as SellCard
	EndpointListCouponsByMember = "listCpnItemByMember" // coupons of a member
	EndpointLastSentCoupons     = "getLastSendCpnItem"  // coupons sent last
	EndpointGiftCoupon          = "cpnShiftGift"        // give a coupon to another member
	EndpointListMemberCards     = "listMemberStcard"    // a member's cards
	EndpointRecordConsumption   = "recordMemberCons"    // record a member's spending
	EndpointRegisterByUnionID   = "registerByWxUnionid" // register a member by WeChat unionid
	EndpointUpdateMember        = "updateMemberInfo"    // update a member's profile
)

// Call sends params to endpoint (a name such as "cpnShiftGift", appended to
// the gateway) encrypted like every request, and decodes the response's data
// into out (a pointer, or nil to ignore it). params is marshaled compactly
// once; a json.RawMessage is sent as is (compacted).
//
// Call treats the endpoint as a write without de-duplication: it is sent
// again only when it provably never left or was throttled, and an unknown
// outcome is an error matching couponkit.ErrUnknownOutcome. Use Query for
// endpoints that only read. A non-zero code is a *couponkit.Error.
func (c *Client) Call(ctx context.Context, endpoint string, params, out any) error {
	return c.call(ctx, endpoint, transport.Unsafe, params, out)
}

// Query is Call for endpoints that only read (listCpnItemByMember,
// getLastSendCpnItem, listMemberStcard): it is retried on network failures,
// 5xx and throttling like any read.
func (c *Client) Query(ctx context.Context, endpoint string, params, out any) error {
	return c.call(ctx, endpoint, transport.Safe, params, out)
}

func (c *Client) call(ctx context.Context, endpoint string, class transport.Class, params, out any) error {
	if !validEndpoint(endpoint) {
		return couponkit.Invalid("endpoint", "must be an endpoint name such as %q, got %q", EndpointGiftCoupon, endpoint)
	}
	plain, err := marshalParams(params)
	if err != nil {
		return err
	}
	env := new(envelope[json.RawMessage])
	_, err = c.post(ctx, endpoint, c.base+endpoint, class, "", "", plain, func(r *transport.Response) error {
		return decode(c, r.Body, env)
	})
	data := env.Data
	if err != nil || out == nil || len(data) == 0 {
		return err
	}
	if err := json.Unmarshal(data, out); err != nil {
		return &couponkit.Error{Vendor: Vendor, Operation: endpoint, Code: CodeOK,
			Message: fmt.Sprintf("accepted (code 0) but data does not fit %T: %v", out, err), Fault: couponkit.FaultUnknown, Err: err}
	}
	return nil
}

func marshalParams(params any) ([]byte, error) {
	switch p := params.(type) {
	case nil:
		return []byte("{}"), nil
	case json.RawMessage:
		var buf bytes.Buffer
		if err := json.Compact(&buf, p); err != nil {
			return nil, couponkit.Invalid("params", "is not valid JSON: %v", err)
		}
		return buf.Bytes(), nil
	default:
		b, err := jsonx.Marshal(params)
		if err != nil {
			return nil, couponkit.Invalid("params", "does not marshal: %v", err)
		}
		return b, nil
	}
}

// validEndpoint accepts a bare endpoint name: letters, digits, '_', '-', '.'.
func validEndpoint(s string) bool {
	if s == "" || s == "." || s == ".." {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}
