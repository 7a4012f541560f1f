// Package transport is the one request pipeline every vendor package uses:
// wait on the limiter, build and sign the body bytes (again for every attempt),
// send them through resty, read the response bytes, let the vendor classify
// them, and retry by the operation's class. resty's own retry and response
// parsing are off: the pipeline reads the bytes and vendors decode them.
package transport
