package suning

import "maps"

// KnownNodes returns a copy of the business nodes of the typed calls'
// methods, by method, as the calls' files added them (knownNodes), for the
// tests outside the package.
func KnownNodes() map[string]string { return maps.Clone(knownNodes) }
