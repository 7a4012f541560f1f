package transport

import (
	"net/url"
	"strings"

	"github.com/couponkit/couponkit"
)

// Gateway checks a Config's Gateway field: empty means fallback, or, when
// there is no fallback, a *couponkit.ValidationError saying it is required;
// otherwise it must be an absolute http or https URL with a host and no query
// or fragment. example is named in the error. The result has no trailing slash.
func Gateway(raw, fallback, example string) (string, error) {
	if raw == "" {
		if fallback == "" {
			return "", couponkit.Invalid("Gateway", "is required (such as %s); there is no default", example)
		}
		raw = fallback
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", couponkit.Invalid("Gateway", "must be an absolute http or https URL such as %s", example)
	}
	return strings.TrimRight(raw, "/"), nil
}
