package wall

// Limits are the caps of a drill's own work, derived from the open-file
// limit so that no part of the drill can run out of descriptors: beyond
// them work waits (its lateness is measured) or is shed and counted.
type Limits struct {
	// ConnsPerHost caps the load generator's connections to each host
	// (the router, each mock's pay pages), and the reference router's
	// connections to each provider in an in-process drill.
	ConnsPerHost int
	// InFlight caps orders in flight: an arrival beyond it is not sent
	// (counted, and the run is invalid past a bound).
	InFlight int
	// NotifyConns caps each mock provider's connections for notifications.
	NotifyConns int
	// RouterInFlight caps the reference router's orders being checked
	// out at once; beyond it the router answers 503 (counted).
	RouterInFlight int
}

// Bounds are the caps for an open-file limit (-1: unknown, taken as
// 1024). An in-process drill opens both ends of every connection: with
// four providers the caps below stay under half the limit.
func Bounds(fileLimit int64) Limits {
	if fileLimit <= 0 {
		fileLimit = 1024
	}
	c := int(min(max(fileLimit/40, 8), 512))
	return Limits{ConnsPerHost: c, InFlight: 16 * c, NotifyConns: max(c/4, 4), RouterInFlight: 8 * c}
}
