package transport

import (
	"net/url"
	"strings"

	"github.com/couponkit/couponkit"
)

// invalidHost returns a *couponkit.ValidationError naming Gateway when base's
// host is under .invalid and the client would reach it through the network:
// such a name never resolves (RFC 6761), so every attempt would fail with
// "no such host" and be retried with real waits. The in-memory fakes live at
// such hosts (zvcms.fake.invalid); the usual cause is a client built without
// the fake's ClientOption. A client with a transport of its own
// (couponkit.WithTransport, or an http.Client with a Transport) may serve
// any name, and passes.
func (c *Client) invalidHost(base string) error {
	if !strings.Contains(base, ".invalid") && !strings.Contains(base, ".INVALID") {
		return nil // the usual case, without parsing
	}
	if c.opts.Transport != nil || (c.opts.HTTPClient != nil && c.opts.HTTPClient.Transport != nil) {
		return nil
	}
	u, err := url.Parse(base)
	if err != nil {
		return nil
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if host != "invalid" && !strings.HasSuffix(host, ".invalid") {
		return nil
	}
	hint := "a name under .invalid never resolves"
	if host == "fake.invalid" || strings.HasSuffix(host, ".fake.invalid") {
		hint = "it is an in-memory fake's address, which only the fake's transport reaches"
	}
	return couponkit.Invalid("Gateway", "%s cannot be reached over the network (%s): give NewClient the fake's ClientOption(), or couponkit.WithTransport(fake.Transport())", host, hint)
}
