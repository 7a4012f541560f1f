package zvcms

// A reference decoder of the envelope that FuzzOpen compares the package's
// (members found in place, see parseEnvelope) with: encoding/json into
// jsonx.Flex fields.

import (
	"encoding/json"
	"errors"
	"strings"

	"github.com/couponkit/couponkit/internal/jsonx"
)

type refEnvelope struct {
	Status  jsonx.Flex      `json:"status"`
	Code    jsonx.Flex      `json:"code"`
	Message jsonx.Flex      `json:"message"`
	Data    json.RawMessage `json:"data"`
}

// refParseEnvelope decodes a body that is a definite vendor answer, or says why
// it is not one.
func refParseEnvelope(body []byte) (*refEnvelope, error) {
	var env refEnvelope
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, err
	}
	switch strings.ToLower(string(env.Status)) {
	case "true", "1":
		if env.Code == "" {
			return nil, errors.New("status true without a code")
		}
	case "false", "0":
	case "":
		return nil, errors.New("no status")
	default:
		return nil, errors.New("status is neither true nor false")
	}
	return &env, nil
}

// ok reports a status true: "true" in any case, or 1.
func (e *refEnvelope) ok() bool {
	s := strings.ToLower(string(e.Status))
	return s == "true" || s == "1"
}
