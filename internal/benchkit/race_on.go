//go:build race

package benchkit

// raceEnabled is true when the race detector is on: it adds allocations of
// its own, and not always the same number, so budgets get RaceSlack more.
const raceEnabled = true
