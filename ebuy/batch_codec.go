package ebuy

import (
	"strconv"

	"github.com/couponkit/couponkit/internal/jsonx"
	"github.com/couponkit/couponkit/internal/transport"
	"github.com/couponkit/couponkit/internal/wiretype"
)

// The package's one hand codec: the content of batchActivateCode and
// batchUnActivateCode, which carry every code of a call in one request
// unless Config.MaxCodesPerActivation splits it (10,000 codes are some
// 230 KB of codeArray). Through encoding/json, whose buffer grows and whose
// text transport.Send copies once more, a call of 10,000 codes takes 1.3
// (loopback) to 1.5 times (in memory) as long as with these encoders, the
// median of BenchmarkActivateContent, which pairs the two through the whole
// call. At 20 codes (a status update's chunk) and 200 the two are within 7%,
// in the noise, so every other call's params, UpdateCodeStatus's chunks
// included, go through encoding/json. FuzzBatchContentMatchesEncodingJSON
// holds these encoders to encoding/json's bytes for the same wire params, so
// the content signed is the content encoding/json would have written.

// encoded returns p as batchActivateCode's content: the text encoding/json
// writes for p (compact, no HTML escaping, fields in declaration order,
// omitempty and omitzero as tagged).
func (p *activateParams) encoded() (transport.EncodedParams, error) {
	b := make([]byte, 0, 192+stringsLen(p.CodeArray))
	b = append(b, '{')
	if p.ActivateInfo != nil {
		info, err := jsonx.Marshal(p.ActivateInfo)
		if err != nil {
			return nil, err
		}
		b = append(b, `"activateInfo":`...)
		b = append(b, info...)
		b = append(b, ',')
	}
	b = append(b, `"codeArray":`...)
	b = appendStrings(b, p.CodeArray)
	if p.CodeValidDays != 0 {
		b = append(b, `,"codeValidDays":`...)
		b = strconv.AppendInt(b, int64(p.CodeValidDays), 10)
	}
	var err error
	if b, err = appendTime(b, `,"codeValidEnd":`, p.CodeValidEnd); err != nil {
		return nil, err
	}
	if b, err = appendTime(b, `,"codeValidStart":`, p.CodeValidStart); err != nil {
		return nil, err
	}
	if p.MakeFundsChannel != nil {
		funds, err := jsonx.Marshal(p.MakeFundsChannel)
		if err != nil {
			return nil, err
		}
		b = append(b, `,"makeFundsChannel":`...)
		b = append(b, funds...)
	}
	return append(b, '}'), nil
}

// encoded returns p as batchUnActivateCode's content, as encoding/json
// writes it.
func (p *deactivateParams) encoded() transport.EncodedParams {
	b := make([]byte, 0, 32+len(p.BrandID)+stringsLen(p.CodeArray))
	b = append(b, `{"brandId":`...)
	b = jsonx.AppendString(b, p.BrandID)
	b = append(b, `,"codeArray":`...)
	b = appendStrings(b, p.CodeArray)
	return append(b, '}')
}

// appendTime appends key and t as a JSON string, or nothing for the zero
// time (omitzero).
func appendTime(b []byte, key string, t wiretype.CompactTime) ([]byte, error) {
	if t.IsZero() {
		return b, nil
	}
	b = append(b, key...)
	b = append(b, '"')
	b, err := t.AppendText(b)
	if err != nil {
		return nil, err
	}
	return append(b, '"'), nil
}

// appendStrings appends ss as a JSON array of strings (null when nil, as
// encoding/json writes a nil slice).
func appendStrings(b []byte, ss []string) []byte {
	if ss == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonx.AppendString(b, s)
	}
	return append(b, ']')
}

// stringsLen is the room ss takes as a JSON array of unescaped strings.
func stringsLen(ss []string) int {
	n := 2
	for _, s := range ss {
		n += len(s) + 3
	}
	return n
}
