package couponkit

// Meta describes the HTTP exchange behind a typed result. Vendor result types
// carry it in a field named Meta.
type Meta struct {
	// RequestID is the vendor's request id, when the response carried one.
	RequestID string
	// HTTPStatus is the final attempt's HTTP status.
	HTTPStatus int
	// Attempts is how many times the request was sent.
	Attempts int
	// Raw is the final response body as received, for fields the typed result
	// does not model. Do not modify it.
	Raw []byte
}
