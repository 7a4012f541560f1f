// Package faulttest holds what the vendor packages' outcome tests share: the
// answers that leave a write's outcome unknown whatever the vendor, and the
// checks of the error a write under one of them returns. Test code only.
package faulttest

import (
	"io"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/couponkit/couponkit"
	"github.com/couponkit/couponkit/couponkittest"
)

// Named is an answer to inject into a fake's next request.
type Named struct {
	Name  string
	Fault couponkittest.Fault
	// Loopback is set where the answer needs a real connection: a body cut
	// short of its Content-Length.
	Loopback bool
	// Do, when set, injects the answer through the fake's own controls
	// instead of Fault (a vendor failure envelope: FailNext).
	Do func(couponkittest.Fake)
}

// Into injects the answer into fake's next request.
func (n Named) Into(fake couponkittest.Fake) {
	if n.Do != nil {
		n.Do(fake)
		return
	}
	fake.Inject(n.Fault)
}

// HTMLPage is the 200 page of a proxy answering in the vendor's place.
const HTMLPage = "<html><body><h1>Welcome to nginx!</h1></body></html>"

// BadGateway is a proxy's 502 page.
const BadGateway = "<html>502 Bad Gateway</html>"

// Ambiguous returns the answers that leave a write's outcome unknown whatever
// the vendor, followed by the vendor's own:
//   - "empty 200";
//   - "html 200": HTMLPage, as text/html;
//   - "malformed json 200": malformed, the vendor's envelope cut short;
//   - "truncated": truncated sent as JSON with a Content-Length longer than
//     it (Loopback);
//   - "5xx": BadGateway with status 502;
//   - "dropped after the write": the fake acts on the request, then drops
//     the connection;
//   - "timeout after the write": the fake holds the request an hour.
func Ambiguous(malformed, truncated string, vendor ...Named) []Named {
	return append([]Named{
		{Name: "empty 200", Fault: couponkittest.Fault{Status: http.StatusOK, Body: []byte{}}},
		{Name: "html 200", Fault: couponkittest.Fault{Status: http.StatusOK, Header: http.Header{"Content-Type": {"text/html"}}, Body: []byte(HTMLPage)}},
		{Name: "malformed json 200", Fault: couponkittest.Fault{Status: http.StatusOK, Body: []byte(malformed)}},
		{Name: "truncated", Fault: couponkittest.Fault{Respond: Truncated(truncated)}, Loopback: true},
		{Name: "5xx", Fault: couponkittest.Fault{Status: http.StatusBadGateway, Body: []byte(BadGateway)}},
		{Name: "dropped after the write", Fault: couponkittest.Fault{Drop: true, AfterHandler: true}},
		{Name: "timeout after the write", Fault: couponkittest.Fault{Delay: time.Hour}},
	}, vendor...)
}

// Answer is a 200 answer with body, for a vendor's own entries in Ambiguous.
func Answer(name, body string) Named {
	return Named{Name: name, Fault: couponkittest.Fault{Status: http.StatusOK, Body: []byte(body)}}
}

// Truncated answers 200 with start as JSON, after declaring a Content-Length
// 100 bytes longer: the body ends early.
func Truncated(start string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(start)+100))
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, start)
	}
}

// Sends is how many requests a write makes when every attempt meets an
// ambiguous answer: every attempt when it is keyed, one otherwise.
func Sends(keyed bool, attempts int) int {
	if keyed {
		return attempts
	}
	return 1
}

// Unknown checks that err reports an unknown outcome carrying key, and that
// the last attempt's *couponkit.Error, of vendor's operation op, stays
// reachable; it returns both.
func Unknown(t testing.TB, err error, vendor, op, key string) (*couponkit.UnknownOutcomeError, *couponkit.Error) {
	t.Helper()
	require.ErrorIs(t, err, couponkit.ErrUnknownOutcome)
	got, ok := couponkit.IdempotencyKey(err)
	require.True(t, ok, "an unknown outcome reports its key")
	assert.Equal(t, key, got)
	var u *couponkit.UnknownOutcomeError
	require.ErrorAs(t, err, &u)
	assert.Equal(t, vendor, u.Vendor)
	assert.Equal(t, op, u.Operation)
	var ce *couponkit.Error
	require.ErrorAs(t, err, &ce, "the last attempt's error stays reachable")
	assert.Equal(t, vendor, ce.Vendor)
	assert.Equal(t, op, ce.Operation)
	return u, ce
}
