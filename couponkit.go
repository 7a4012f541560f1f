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
// anything is sent. A write whose result cannot be known (a timeout or a 5xx
// after the request left) is reported as an error for which
// errors.Is(err, ErrUnknownOutcome) holds; [IdempotencyKey] returns the key to
// check the outcome with. Error texts and log lines never contain credentials,
// keys, signatures or sessions.
//
// # Retries
//
// Every operation has a class. Reads are retried on connection errors, 5xx,
// throttling and server faults; keyed writes (the vendor de-duplicates on a key
// the client sends and keeps across attempts) are retried the same way; other
// writes are retried only when the request provably never left this process.
// Backoff is full-jitter exponential, honours Retry-After, and waits for the
// vendor's window after a throttle.
package couponkit

// Version is the version of this module, sent in the default User-Agent.
const Version = "0.1.0"

// DefaultUserAgent is the User-Agent header sent unless [WithUserAgent] is given.
const DefaultUserAgent = "couponkit-go/" + Version
