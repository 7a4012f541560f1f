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

// CallOption adjusts one [Client.Call].
type CallOption func(*callOptions)

type callOptions struct{ class transport.Class }

// AsRead declares the method a read (a query that changes nothing), so that
// it is retried like ExportCodes: on network failures, 5xx, throttling and
// isp.* errors. Without it a Call is a write, retried only when the request
// provably never left or TOP throttled it; when its outcome is unknown the
// error matches couponkit.ErrUnknownOutcome.
func AsRead() CallOption { return func(o *callOptions) { o.class = transport.Safe } }

// Call invokes any TOP method (such as "taobao.film.fcode.merchant.send"),
// with the common parameters, timestamp and signature of every request.
//
// params holds the method's business parameters: nil, a map[string]string, a
// url.Values with one value a name, a map[string]any (strings as they are,
// numbers and bools in decimal, other values as JSON), or a struct (or a
// pointer to one) encoded by go-querystring with its `url` tags. time.Time
// fields are formatted by go-querystring as tagged; format them in Beijing
// time. Names the client sets itself (method, app_key, sign, timestamp, …)
// are rejected.
//
// out receives the response: the object inside "<method>_response" (the
// method without its "taobao." prefix, dots as underscores), or the whole body
// with simplify=true. out may be nil, a *json.RawMessage, or anything
// encoding/json decodes into. An error_response, and a "result" whose
// "return_code" is not "0" (see [ErrBusiness]), are errors.
func (c *Client) Call(ctx context.Context, method string, params, out any, opts ...CallOption) error {
	o := callOptions{class: transport.Unsafe}
	for _, f := range opts {
		if f != nil {
			f(&o)
		}
	}
	if method == "" || strings.ContainsAny(method, " \t\r\n&=") {
		return couponkit.Invalid("method", "want a TOP method name such as taobao.film.fcode.merchant.send")
	}
	if out != nil {
		if v := reflect.ValueOf(out); v.Kind() != reflect.Pointer || v.IsNil() {
			return couponkit.Invalid("out", "want a non-nil pointer, got %T", out)
		}
	}
	biz, err := paramsOf(params)
	if err != nil {
		return err
	}
	if err := checkParams("params", biz); err != nil {
		return err
	}
	key := ResponseKey(method)
	_, err = c.do(ctx, method, o.class, c.newRequest(method, biz), func(resp *transport.Response) error {
		return c.decodeCall(resp, key, out)
	})
	return err
}

// ResponseKey returns the member that wraps method's response without
// simplify: "taobao.film.fcode.export.query" → "film_fcode_export_query_response".
func ResponseKey(method string) string {
	return strings.ReplaceAll(strings.TrimPrefix(method, "taobao."), ".", "_") + "_response"
}

// paramsOf turns Call's params into name/value pairs.
func paramsOf(params any) ([]sign.Param, error) {
	var out []sign.Param
	switch p := params.(type) {
	case nil:
		return nil, nil
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

// decodeCall checks a generic response and decodes its payload into out.
func (c *Client) decodeCall(resp *transport.Response, key string, out any) error {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(resp.Body, &top); err != nil {
		return transport.DecodeError(err, resp.Body)
	}
	if raw, ok := top["error_response"]; ok {
		var e topError
		if err := json.Unmarshal(raw, &e); err != nil {
			return transport.DecodeError(err, resp.Body)
		}
		resp.RequestID = e.RequestID
		return apiError(&e)
	}
	if e, ok := flatError(top); ok {
		resp.RequestID = e.RequestID
		return apiError(e)
	}
	payload, ok := top[key]
	if !ok {
		payload = resp.Body // simplify=true: no wrapper
	}
	var head struct {
		Result *struct {
			ReturnCode    *jsonx.Flex `json:"return_code"`
			ReturnMessage string      `json:"return_message"`
		} `json:"result"`
		RequestID string `json:"request_id"`
	}
	if err := json.Unmarshal(payload, &head); err == nil {
		resp.RequestID = head.RequestID
		if r := head.Result; r != nil && r.ReturnCode != nil && *r.ReturnCode != ReturnCodeOK {
			return c.businessError(string(*r.ReturnCode), r.ReturnMessage, head.RequestID)
		}
	}
	switch o := out.(type) {
	case nil:
		return nil
	case *json.RawMessage:
		*o = append((*o)[:0], payload...)
		return nil
	}
	if err := json.Unmarshal(payload, out); err != nil {
		return transport.DecodeError(err, payload)
	}
	return nil
}

// flatError reads a bare {"code":…,"msg":…} error (no error_response
// wrapper): an object holding code and nothing but the error members.
func flatError(top map[string]json.RawMessage) (*topError, bool) {
	if _, ok := top["code"]; !ok {
		return nil, false
	}
	for k := range top {
		switch k {
		case "code", "msg", "sub_code", "sub_msg", "request_id":
		default:
			return nil, false
		}
	}
	var e topError
	b, _ := json.Marshal(top)
	if err := json.Unmarshal(b, &e); err != nil {
		return nil, false
	}
	return &e, true
}
