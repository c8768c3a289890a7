// Package leakcheck helps tests check that goroutines end: it waits for
// the goroutine count to settle instead of sleeping a fixed time.
package leakcheck

import (
	"runtime"
	"time"
)

// Settled waits up to timeout for the goroutine count to fall to want (or,
// when want is 0, to stay the same for five looks in a row) and returns it.
func Settled(want int, timeout time.Duration) int {
	deadline := time.Now().Add(timeout)
	last, stable := runtime.NumGoroutine(), 0
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for time.Now().Before(deadline) {
		<-tick.C
		n := runtime.NumGoroutine()
		switch {
		case want > 0 && n <= want:
			return n
		case want == 0 && n == last:
			if stable++; stable == 5 {
				return n
			}
		default:
			stable = 0
		}
		last = n
	}
	return runtime.NumGoroutine()
}
