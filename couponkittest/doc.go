// Package couponkittest helps test programs that use couponkit: a manual
// clock ([Clock]) that makes retries and throttle waits take no real time, a
// RoundTripper that serves any http.Handler in this process
// ([HandlerTransport]) so that tests need no sockets and run under
// testing/synctest, and the control surface every vendor fake shares
// ([Fake], [Request]): [Controls], which every fake's Server embeds, and
// with which a fake of your own starts ([NewControls]); what the fakes that
// issue access tokens did with them ([TokenStats]); and the spellings a
// secret may leak in ([SecretSpellings]: raw, URL- and JSON-escaped as
// common encoders write it, hex, Base64), with [AssertNoSecret] to check
// that what a program prints, logs or stores shows none of them.
//
// The fakes themselves live beside their vendors (ebuy/ebuytest,
// zvcms/zvcmstest, taobaofilm/taobaofilmtest, houcaller/houcallertest,
// suning/suningtest).
package couponkittest
