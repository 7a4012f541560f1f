// Package couponkitotel reports couponkit calls to OpenTelemetry: a span for
// every logical call with a child span for every attempt, and metrics counting
// calls and attempts and timing them.
//
// Pass an [Observer] to any vendor client:
//
//	obs, err := couponkitotel.New(couponkitotel.Config{}) // the global providers
//	if err != nil {
//		return err
//	}
//	c, err := taobaofilm.NewClient(cfg, couponkit.WithObserver(obs))
//
// # Why not instrument the HTTP client
//
// An HTTP-level instrumentation (an instrumented http.RoundTripper) sees
// requests, not operations. The Taobao Open Platform and Suning send every
// API call to one URL (Taobao's /router/rest, Suning's /api/http/sopRequest)
// and name the method inside the request, so every span of a client would
// have the same name and every metric series would mix all its operations; a
// retried call would look like unrelated requests; and the vendor's own
// answer (an error code inside a 200, a request id, a throttle) would be
// invisible. This package is fed by the client's pipeline itself, so it
// names the operation (span "taobaofilm.taobao.film.fcode.export.query"),
// groups attempts under their logical call, and records what the client
// concluded: the fault, the vendor's code and request id, and whether a
// write's outcome is unknown. It never sees a body, a signature or a
// credential, and reports an idempotency key only when the vendor package
// marked it as not secret.
//
// Span attributes:
//
//	couponkit.vendor, couponkit.operation, couponkit.class      both spans
//	couponkit.idempotency_key.name, couponkit.idempotency_key   both spans, only when not secret
//	couponkit.attempt                                           attempt span, from 1
//	http.response.status_code                                   attempt span, when an answer arrived
//	couponkit.fault                                             on failure: client, auth, throttle, server, unknown
//	couponkit.vendor_code, couponkit.request_id                 attempt span, when the vendor sent them
//	couponkit.ambiguous                                         attempt span: the answer was not definite
//	couponkit.attempts, couponkit.outcome_unknown               call span
//
// A failed span has status Error with the error's text, which the core keeps
// free of secrets.
//
// Metrics, each with the attributes couponkit.vendor, couponkit.operation,
// couponkit.outcome (ok, error or unknown) and, unless ok, couponkit.fault:
//
//	couponkit.calls              counter, logical calls
//	couponkit.attempts           counter, attempts sent
//	couponkit.call.duration      histogram, seconds, a call's total time with its waits
//	couponkit.attempt.duration   histogram, seconds, one attempt's latency
//
// Keys and request ids never go on metrics, so their cardinality is bounded
// by the operations a program calls.
package couponkitotel
