package taobaofilm

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/google/go-querystring/query"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/sign"
	"github.com/couponkit/couponkit/internal/transport"
)

// Call invokes any TOP method (such as "taobao.film.fcode.merchant.send"),
// with the common parameters, timestamp and signature of every request, and
// returns the metadata of the final exchange.
//
// Call is a write TOP is not known to de-duplicate (couponkit.ClassUnsafe)
// unless an option says otherwise: it is sent again only when the request
// provably never left or TOP throttled it, and once it may have left, an
// answer that is not a definite TOP answer is an error matching
// couponkit.ErrUnknownOutcome. couponkit.Read() declares a read (retried on
// network failures, 5xx, throttling, isp.* errors and unreadable answers).
// couponkit.Keyed(name, key) declares a write the API de-duplicates on a
// key the params carry (such as the ext_order_id inside
// param_f_code_merchant_send_code_request): it is retried with the same
// params, re-signed, and an unknown outcome reports name and key. TOP
// publishes no such de-duplication for the film APIs [open]: use Keyed only
// where the API's page promises it. The key must travel in params: as the
// parameter name itself, or inside another parameter's value; otherwise the
// call is a *couponkit.ValidationError and nothing is sent.
//
// params holds the method's business parameters: nil (none); a
// json.RawMessage or []byte holding a JSON object, whose members become
// parameters (strings as they are, numbers and bools as written, objects
// and arrays as compact JSON, null left out); a map[string]string; a
// url.Values with one value a name; a map[string]any (strings as they are,
// numbers and bools in decimal, other values as JSON); or a struct (or a
// pointer to one) encoded by go-querystring with its `url` tags. time.Time
// fields are formatted by go-querystring as tagged; format them in Beijing
// time. Names the client sets itself (method, app_key, sign, timestamp, …)
// are rejected.
//
// The answer is read once: an error_response is a *couponkit.Error; the
// payload (the object inside "<method>_response", the method without its
// "taobao." prefix and dots as underscores; or the whole body with
// simplify=true) is a business failure (see [ErrBusiness]) when its
// return_code, or its result.return_code, is not "0". out receives the
// payload: it may be nil, a *json.RawMessage, or anything encoding/json
// decodes into. A payload that does not decode into out is a
// *couponkit.Error with FaultClient: the call took effect.
func (c *Client) Call(ctx context.Context, api string, params, out any, opts ...couponkit.CallOption) (couponkit.Meta, error) {
	s := couponkit.ResolveCallOptions(opts...)
	if api == "" || strings.ContainsAny(api, " \t\r\n&=") {
		return couponkit.Meta{}, couponkit.Invalid("api", "want a TOP method name such as taobao.film.fcode.merchant.send")
	}
	if out != nil {
		if v := reflect.ValueOf(out); v.Kind() != reflect.Pointer || v.IsNil() {
			return couponkit.Meta{}, couponkit.Invalid("out", "want a non-nil pointer, got %T", out)
		}
	}
	biz, err := paramsOf(params)
	if err != nil {
		return couponkit.Meta{}, err
	}
	if err := checkParams("params", biz); err != nil {
		return couponkit.Meta{}, err
	}
	op := transport.GenericOp(api, "", s)
	key, err := c.ep.Key(op, "key", s.Key)
	if err != nil {
		return couponkit.Meta{}, err
	}
	if op.Class == transport.Keyed {
		if err := keyCarried(biz, s.KeyName, key); err != nil {
			return couponkit.Meta{}, err
		}
	}
	return c.ep.Invoke(ctx, op, key, c.newRequest(api, biz), func(data []byte) error {
		return decodeOut(api, data, out)
	})
}

// keyCarried checks that a Keyed call's key travels in its params: as the
// parameter named keyName, or inside another parameter's value.
func keyCarried(biz []sign.Param, keyName, key string) error {
	for _, p := range biz {
		if p.Key == keyName {
			if p.Value != key {
				return couponkit.Invalid("params", "%s is %q, but the Keyed key is %q", keyName, p.Value, key)
			}
			return nil
		}
	}
	for _, p := range biz {
		if strings.Contains(p.Value, key) {
			return nil
		}
	}
	return couponkit.Invalid("params", "the Keyed key (%s) is in no parameter: TOP has no envelope key, so the params must carry it", keyName)
}

// decodeOut decodes a success payload into out. A payload that does not fit
// out is a definite answer that took effect: FaultClient, not an unknown
// outcome.
func decodeOut(api string, data []byte, out any) error {
	switch o := out.(type) {
	case nil:
		return nil
	case *json.RawMessage:
		*o = append((*o)[:0], data...)
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return &couponkit.Error{Vendor: Vendor, Operation: api, Fault: couponkit.FaultClient, Err: err,
			Message: fmt.Sprintf("the call took effect, but its answer does not decode into %T: %v", out, err)}
	}
	return nil
}

// ResponseKey returns the member that wraps method's response without
// simplify: "taobao.film.fcode.export.query" → "film_fcode_export_query_response".
func ResponseKey(method string) string {
	m := strings.TrimPrefix(method, "taobao.")
	var b strings.Builder
	b.Grow(len(m) + len("_response"))
	for i := 0; i < len(m); i++ {
		if c := m[i]; c == '.' {
			b.WriteByte('_')
		} else {
			b.WriteByte(c)
		}
	}
	b.WriteString("_response")
	return b.String()
}

// paramsOf turns Call's params into name/value pairs.
func paramsOf(params any) ([]sign.Param, error) {
	var out []sign.Param
	switch p := params.(type) {
	case nil:
		return nil, nil
	case json.RawMessage:
		return jsonParams(p)
	case []byte:
		return jsonParams(p)
	case map[string]string:
		for _, k := range slices.Sorted(maps.Keys(p)) {
			out = append(out, sign.Param{Key: k, Value: p[k]})
		}
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(p)) {
			v, err := paramValue(p[k])
			if err != nil {
				return nil, couponkit.Invalid("params", "%s: %v", k, err)
			}
			out = append(out, sign.Param{Key: k, Value: v})
		}
	case url.Values:
		return valuesParams(p)
	default:
		v, err := query.Values(params)
		if err != nil {
			return nil, couponkit.Invalid("params", "want a map or a struct: %v", err)
		}
		return valuesParams(v)
	}
	return out, nil
}

func valuesParams(v url.Values) ([]sign.Param, error) {
	out := make([]sign.Param, 0, len(v))
	for _, k := range slices.Sorted(maps.Keys(v)) {
		if len(v[k]) != 1 {
			return nil, couponkit.Invalid("params", "%q has %d values; TOP takes one (use the `comma` option for lists)", k, len(v[k]))
		}
		out = append(out, sign.Param{Key: k, Value: v[k][0]})
	}
	return out, nil
}

// paramValue formats one map[string]any value.
func paramValue(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "", nil
	case string:
		return x, nil
	case bool:
		return strconv.FormatBool(x), nil
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return fmt.Sprint(x), nil
	case json.Number:
		return string(x), nil
	case couponkit.Fen:
		return strconv.FormatInt(int64(x), 10), nil
	case fmt.Stringer:
		return x.String(), nil
	}
	b, err := jsonx.Marshal(v)
	return string(b), err
}

// jsonParams turns a JSON object's members into parameters (see
// formParams).
func jsonParams(b []byte) ([]sign.Param, error) {
	if err := jsonx.Check(b); err != nil {
		return nil, couponkit.Invalid("params", "want a JSON object: %v", err)
	}
	out, err := formParams(b)
	if err != nil {
		return nil, couponkit.Invalid("params", "want a JSON object: %v", err)
	}
	return out, nil
}
