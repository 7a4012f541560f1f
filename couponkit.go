// Package couponkit holds what every couponkit vendor package shares and what a
// program may name: the error types ([Error], [ValidationError],
// [ErrUnknownOutcome]), the common client options ([Option]), the retry policy
// ([RetryPolicy]), the client-side rate limiter interface ([Limiter]) and exact
// money amounts ([Fen]).
//
// Each vendor lives in its own package (ebuy, taobaofilm, suning, houcaller,
// zvcms) with a Client built from a Config struct, and ships a stateful fake of
// its vendor (ebuy/ebuytest, …) for offline tests.
//
// # Errors
//
// Every vendor failure is a non-nil *Error carrying a [Fault] that says what a
// program can do about it. Bad input is a *ValidationError returned before
// anything is sent (NewClient joins one per invalid Config field with
// errors.Join). A write whose result cannot be known is reported as an
// *UnknownOutcomeError, for which errors.Is(err, ErrUnknownOutcome) holds;
// [IdempotencyKey] returns the key to check the outcome with, and errors.As
// still reaches the *Error of the last attempt. The caller's own cancellation
// or deadline always comes back wrapping context.Canceled or
// context.DeadlineExceeded, never as a retryable fault. Error texts and log
// lines never contain credentials, signatures or sessions, in any encoding.
//
// # Retries and outcomes
//
// Every operation has a [Class]. Reads ([ClassRead]) are retried on connection
// errors, 5xx, throttling, server faults and unreadable answers. Keyed writes
// ([ClassKeyed]: the vendor de-duplicates on a key the client sends and keeps
// across attempts) are retried the same way, re-signed every attempt. Other
// writes ([ClassUnsafe]) are sent again only when the request provably never
// left this process or the vendor throttled it. Once a write may have left,
// an answer that is not a definite vendor answer (empty, not JSON, a proxy's
// HTML page, malformed, truncated, missing its success flag, a signature that
// does not verify, an answer to another request) makes its outcome unknown; a
// definite rejection (a vendor error code, or an HTTP 4xx status that refuses
// the request) is a plain *Error. Backoff is full-jitter exponential, honours
// Retry-After, and waits for the vendor's window after a throttle, pausing
// every call of the client (and, with [WithPauser], of every client sharing
// the quota).
//
// Every vendor package has a generic call for APIs it has no typed call for,
// spelled the same everywhere: Call(ctx, api, params, out, opts...) returning
// [Meta]. It is [ClassUnsafe] unless [Read] or [Keyed] says otherwise.
package couponkit

// The call lists of README.md, cmd/couponkit/README.md and each vendor's
// doc.go are written from the vendor packages' APIs (see API).
//go:generate go run ./internal/gen/apidocs

// Version is the version of this module, sent in the default User-Agent.
const Version = "0.1.0"

// DefaultUserAgent is the User-Agent header sent unless [WithUserAgent] is given.
const DefaultUserAgent = "couponkit-go/" + Version
