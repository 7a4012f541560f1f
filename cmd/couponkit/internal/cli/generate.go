package cli

// The help and single-call golden files under testdata are the command's
// own output, written by its tests with -update. go generate rewrites them,
// so that a call added to a vendor's registry updates couponkit --help with
// the READMEs' lists, and CI (which fails when go generate changes the
// tree) finds a stale one; the tests compare against them without -update.
//go:generate go test -count=1 -run Golden . -update
