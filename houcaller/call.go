package houcaller

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/transport"
)

// Endpoints on the same gateway that Call reaches. Those not typed by this
// package are described by the vendor's own pages.
const (
	EndpointSellCard            = "sendMncardForSale"   // typed as SellCard
	EndpointListCouponsByMember = "listCpnItemByMember" // typed as MemberCoupons (a read)
	EndpointLastSentCoupons     = "getLastSendCpnItem"  // typed as LastSentCoupon (a read)
	EndpointGiftCoupon          = "cpnShiftGift"        // typed as GiftCoupons (an unsafe write without a key)
	EndpointListMemberCards     = "listMemberStcard"    // typed as MemberStoredValueCards (a read)
	EndpointRecordConsumption   = "recordMemberCons"    // typed as RecordConsumption
	EndpointRegisterByUnionID   = "registerByWxUnionid" // register a member by WeChat unionid
	EndpointUpdateMember        = "updateMemberInfo"    // update a member's profile
)

// Call sends params to the endpoint api (a name such as "cpnShiftGift",
// appended to the gateway), encrypted like every request, and decodes the
// answer's data into out (a pointer, or nil to ignore it). It returns the
// exchange's metadata.
//
// params is the business JSON: a json.RawMessage or []byte is sent as is
// (it must be valid JSON), nil sends {}, anything else is encoded with
// encoding/json (without HTML escaping).
//
// Without options Call is an Unsafe write: sent again only when it provably
// never left or was throttled, and an answer that may hide an applied write
// is an error matching couponkit.ErrUnknownOutcome. couponkit.Read() makes
// it a read (listCpnItemByMember, getLastSendCpnItem, listMemberStcard),
// retried on network failures, 5xx, throttling and unreadable answers.
// couponkit.Keyed(keyName, key) declares that the gateway de-duplicates the
// endpoint on the params field keyName: params must be a JSON object whose
// top-level field keyName is a JSON string or number equal to key (checked
// before sending); the call is retried with the same params and an unknown
// outcome carries key.
//
// A non-zero code is a *couponkit.Error. Data that does not decode into out
// after code 0 is a *couponkit.Error with Code "0" and FaultClient: the call
// took effect (it is not an unknown outcome); Meta.Raw holds the answer.
func (c *Client) Call(ctx context.Context, api string, params, out any, opts ...couponkit.CallOption) (couponkit.Meta, error) {
	if !validEndpoint(api) {
		return couponkit.Meta{}, couponkit.Invalid("api", "must be an endpoint name such as %q, got %q", EndpointGiftCoupon, api)
	}
	if out != nil {
		if v := reflect.ValueOf(out); v.Kind() != reflect.Pointer || v.IsNil() {
			return couponkit.Meta{}, couponkit.Invalid("out", "must be a non-nil pointer or nil, got %T", out)
		}
	}
	s := couponkit.ResolveCallOptions(opts...)
	plain, err := marshalParams(params)
	if err != nil {
		return couponkit.Meta{}, err
	}
	op := transport.GenericOp(api, api, s)
	if s.Class == couponkit.ClassKeyed {
		if err := checkKey(plain, s.KeyName, s.Key); err != nil {
			return couponkit.Meta{}, err
		}
	}
	var data []byte // the successful answer's data, as it stands in the body
	meta, err := c.ep.Invoke(ctx, op, s.Key, c.seal(plain), func(d []byte) error {
		data = d
		return nil
	})
	if err != nil || out == nil || len(data) == 0 {
		return meta, err
	}
	if err := json.Unmarshal(data, out); err != nil {
		return meta, &couponkit.Error{Vendor: Vendor, Operation: api, Code: CodeOK, HTTPStatus: meta.HTTPStatus, Fault: couponkit.FaultClient, Err: err,
			Message: fmt.Sprintf("the call took effect (code 0), but its data does not fit %T: %v", out, err)}
	}
	return meta, nil
}

// marshalParams returns the business JSON of params.
func marshalParams(params any) ([]byte, error) {
	var raw []byte
	switch p := params.(type) {
	case nil:
		return []byte("{}"), nil
	case json.RawMessage:
		raw = p
	case []byte:
		raw = p
	default:
		b, err := jsonx.Marshal(params)
		if err != nil {
			return nil, couponkit.Invalid("params", "does not encode: %v", err)
		}
		return b, nil
	}
	if !json.Valid(raw) {
		return nil, couponkit.Invalid("params", "is not valid JSON")
	}
	return raw, nil
}

// checkKey checks that a Keyed call's key travels in its params: the JSON
// object plain has the field keyName, a string or number equal to key.
func checkKey(plain []byte, keyName, key string) error {
	switch {
	case keyName == "":
		return couponkit.Invalid("keyName", "is required with couponkit.Keyed: the params field the gateway de-duplicates on")
	case key == "":
		return couponkit.Invalid("key", "is required with couponkit.Keyed (%s)", keyName)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(plain, &fields); err != nil {
		return couponkit.Invalid("params", "must be a JSON object holding %s for a Keyed call", keyName)
	}
	var got jsonx.Flex
	if v, ok := fields[keyName]; !ok || json.Unmarshal(v, &got) != nil || string(got) != key {
		return couponkit.Invalid("params", "must hold %s equal to the Keyed key, so every attempt carries it", keyName)
	}
	return nil
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
