// Package fakekit is what the vendor fakes (ebuytest, zvcmstest,
// taobaofilmtest, houcallertest, suningtest) share beside their public
// controls: a replay store that de-duplicates keyed writes per API
// ([Replay]), a route table from API name to handler ([Routes]), a table of
// the answers of reads of one thing ([Lookups]), the
// authorization codes, access tokens and refresh tokens of the fakes that
// act for a user ([Tokens]: taobaofilmtest, suningtest), and the names the
// fakes build their controls with ([New], [Start], [Options]).
//
// The control surface itself, with fault injection, a request log, a clock
// and an in-process transport, is public: [couponkittest.Controls], so that
// godoc shows it beside every fake. [Controls] and [Options] are aliases of
// it and of [couponkittest.ControlOptions].
//
// # Converting a fake
//
// A fake embeds *couponkittest.Controls, so that it offers the methods of
// [couponkittest.Fake] with the same signatures as every other fake:
// URL, Transport, Client, FailNext(code, message string),
// FailNextHTTP(status int, body string), ThrottleNext, DelayNext, DropNext,
// DropNextAfterWrite, Requests, RequestCount, WaitRequests and Close (plus
// Inject, ClientOption and Clock). Drop the fake's own copies of those
// methods, its own Request type and its URL string field: the field would
// hide the URL method.
//
//	type Server struct {
//		*couponkittest.Controls
//		cfg    Config
//		replay fakekit.Replay
//		// … the fake's state
//	}
//
// Build the fake's state first, then its Controls, handing over what only
// the fake knows:
//
//   - Options.Fail renders the vendor's failure envelope for FailNext
//     (code and message as the vendor spells them; a fake whose codes are
//     numbers formats them). Its handler must not act on the request.
//   - Options.Throttle renders the vendor's throttle answer for ThrottleNext
//     (TOP's code 7 with its "ban will last" window, say); without it
//     ThrottleNext answers HTTP 429 with Retry-After.
//   - Options.API names the operation of a request (a path element, a form
//     field, a header) for Request.API. It runs on arrival, faulted requests
//     included, and must not read r.Body: use the body it is given.
//   - Options.Clock is the fake's clock: give the fake's Config a
//     Clock couponkit.Clock field and pass [ClockFrom](cfg.Clock, cfg.Now)
//     while the older Now field remains. The handler reads the time through
//     s.Clock().Now(), and DelayNext waits on the same clock, so a fake on a
//     [couponkittest.Clock] delays without real time.
//   - Options.InMemory and Options.Host start the fake without a listener,
//     at http://Host (such as "ebuy.fake.invalid"); offer it as a
//     NewInMemory(cfg) constructor or a Config field. Clients reach it
//     through Transport, Client or ClientOption.
//
// Offer both constructors: NewServer(cfg) with [New], and a testing.TB one,
// Start(tb, cfg), with [Start], which closes the fake when the test ends.
//
//	func NewServer(cfg Config) *Server {
//		// … defaults, state
//		s := &Server{cfg: cfg}
//		s.Controls = fakekit.New(http.HandlerFunc(s.serve), fakekit.Options{
//			Fail:     s.failure,  // func(code, message string) http.HandlerFunc
//			Throttle: s.throttle, // optional
//			API:      func(r *http.Request, _ []byte) string { return path.Base(r.URL.Path) },
//			Clock:    fakekit.ClockFrom(cfg.Clock, cfg.Now),
//		})
//		return s
//	}
//
// A fake with more to close (a notification client, say) defines its own
// Close that calls s.Controls.Close first. Vendor-specific faults
// (FailNextSystem, TamperNextSign, IgnoreCursorNext …) stay on the fake and
// queue a [Fault] with Inject.
//
// # Routes
//
// A fake's handler finds each API in a [Routes] table built once in
// NewServer, keyed by the API's name (what Request.API says, and what the
// vendor package's registry calls the Operation) and by its path, resolved
// from the fake's Config by name: the Config's paths by API name (or a
// path field per movable API), spelled as the client's Config spells them,
// so that ClientConfig hands them over, else the vendor registry's default:
//
//	type handler = func(*Server, http.ResponseWriter, json.RawMessage)
//	s.routes = fakekit.NewRoutes(
//		fakekit.Route[handler]{API: "getCustomerCoupons", Path: apiPrefix + "getCustomerCoupons", Handler: (*Server).query},
//		fakekit.Route[handler]{API: "couponReverse", Path: pathOf(cfg, "couponReverse"), Handler: (*Server).reverse},
//	)
//	// in serve:
//	rt, ok := s.routes.ByPath(r.URL.Path)
//	if !ok { /* the vendor's "no such API" answer */ }
//	rt.Handler(s, w, params)
//
// A new API is one more Route; ControlOptions.API can be s.routes.PathAPI.
//
// # Reads served from a table
//
// A read of one thing named by a param, whose answer the fake does not
// derive from other calls, is served from a [Lookups] in the fake's
// Server: the fake's lookup helper makes its route (it reads the name from
// the request in the vendor's wire, refuses a request that names nothing,
// and answers what [Lookups.Find] returns, or the route's answer for an
// unknown name), and a control stores each thing's answer with
// [Lookups.Keep], or [Lookups.Add] for a list. Such a read costs its fake a
// route line and the control.
//
// # Replaying keyed writes
//
// A repeated idempotency key is answered from a [Replay], scoped to its
// API: call [Replay.DoAPI] with the same name the fake gives Request.API,
// so the same key sent to two APIs is two writes.
//
// # Closing
//
// Close drops delayed requests, waits for every handler, over loopback and
// in process, and leaves no goroutine behind; after it Transport refuses
// every request as a closed port would. The older [Server] and [NewServer]
// run on the same machinery, for the pipeline's own tests.
package fakekit
