package ebuy

// Redact returns s without the client's secrets (the app secret) and without
// extra (the values of one exchange that must not be kept either, such as
// its signature), in every spelling the client's errors and logs are
// cleaned of: raw, URL-escaped and JSON-escaped as common encoders write
// them. For tools that keep what went over the wire, such as a transcript
// of requests and answers.
func (c *Client) Redact(s string, extra ...string) string { return c.ep.Client.Redact(s, extra...) }
