// Package wiretype holds the small wire types that typed calls declare their
// request and answer structs with, so that a call is its structs with json
// tags and encoding/json does the rest: money (fen as a number, yuan with two
// decimals as a string or a number, whole yuan as a string), Beijing-time layouts (yyyy-MM-dd
// HH:mm:ss, yyyyMMddHHmmss, epoch milliseconds, 10-digit epoch seconds),
// digit strings sent as JSON numbers where a vendor's page types a field int,
// and lenient scalars for answers (a bool or an integer a vendor writes as
// "true"/true or "0"/0, text a vendor writes as a string or a number).
//
// Every type implements json.Marshaler and json.Unmarshaler (and
// encoding.TextMarshaler and TextUnmarshaler, for form parameters and map
// keys; WholeYuan is written through TextMarshaler only, see there), and converts to and from the Go type of the public API by a plain
// conversion: couponkit.Fen(w), time.Time(w), string(w), bool(w), int64(w).
// The public request and answer types of a vendor package never use these
// types: a call's private wire structs do (see CONTRIBUTING.md, "Add an
// API").
//
// Decoding is lenient where vendors differ and strict where a wrong value
// would pass unnoticed: every time type reads every time spelling the vendors
// print (see [ParseTime]), but a value that is none of them is an error, so
// that an answer that cannot be read is reported as unreadable rather than
// decoded to a zero value. JSON null always leaves the value as it is (zero
// in a freshly decoded answer), as encoding/json does for its own types.
//
// Encoding is exact: amounts never pass through a float, times are written
// in Beijing time (UTC+8) whatever the host's zone, and a value a layout
// cannot carry (a year outside 0000–9999, a digit string that is not one) is
// an error from Marshal. A request's validate method should refuse such
// values first, naming the Go field: see [CheckYear] and [CheckDigits].
package wiretype
