// Package sign holds the signing and cipher primitives shared by the vendor
// packages: e-Buy SHA-256 request signatures, Taobao Open Platform (TOP)
// signatures, the zvcms HMAC-SHA1 token, the Suning signInfo digest, DES in
// ECB and CBC modes with hex transport encoding (Houcaller), and a
// case-insensitive constant-time comparison for hex signatures.
//
// Every function is pure and safe for concurrent use. No function returns an
// error whose text contains a secret, a key or an IV.
//
// Each vendor's algorithm is documented on the function that implements it,
// together with what is an assumption rather than a published fact.
package sign
