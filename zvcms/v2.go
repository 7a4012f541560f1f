package zvcms

import (
	"strconv"

	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/transport"
)

// The V2 API: one endpoint for every call (POST Gateway + /api/v2, the
// vendor's pages of API 2.0 [known]), the call named by Action, in an
// envelope whose members are capitalised:
//
//	{"OpenId":…, "GrantCode":…, "Timestamp":"1547186244", "Nonce":"658965", "Token":…, "Action":"data.bi.financial-reconciliation", "Params":{…}}
//
// It answers as V3 does ({status, code, message, data}). Its token is V3's
// [likely]: the V2 pages refer to the same 《数字签名sign》 page, and their
// example's token is the V3 page's, for the same openId, grantCode,
// timestamp and nonce. Config.V2TokenFunc replaces it.

// v2Path is the V2 endpoint's path, appended to the gateway.
const v2Path = "/api/v2"

// frameV2 is one attempt of a V2 call: the envelope with op.Name as Action
// and a fresh timestamp, nonce and token, in the order of the vendor's
// example.
func (c *Client) frameV2(op *transport.Op, _ int, _ string, params []byte) (transport.Payload, error) {
	ts := strconv.FormatInt(c.clock.Now().Unix(), 10)
	nonce := c.nonce()
	token := c.v2token(c.openKey, c.openID, c.grantCode, ts, nonce)
	b := make([]byte, 0, 128+len(c.openID)+len(c.grantCode)+len(token)+len(op.Name)+len(params))
	b = append(b, `{"OpenId":`...)
	b = jsonx.AppendString(b, c.openID)
	b = append(b, `,"GrantCode":`...)
	b = jsonx.AppendString(b, c.grantCode)
	b = append(b, `,"Timestamp":`...)
	b = jsonx.AppendString(b, ts)
	b = append(b, `,"Nonce":`...)
	b = jsonx.AppendString(b, nonce)
	b = append(b, `,"Token":`...)
	b = jsonx.AppendString(b, token)
	b = append(b, `,"Action":`...)
	b = jsonx.AppendString(b, op.Name)
	b = append(b, `,"Params":`...)
	b = append(b, params...)
	b = append(b, '}')
	return transport.Payload{Body: b, ContentType: "application/json", Secrets: tokenSecrets(token)}, nil
}
