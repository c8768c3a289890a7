package engine

import (
	"slices"
	"sync"
)

// groups queues calls that share one piece of work (a commit, batch.go;
// a statement, pg_preload.go) by arrival, with no timer: the first call
// is taken at once, alone; those that arrive while its work runs form the
// next group, and so on. Idle, a call costs what it did alone; under load
// the work is shared.
type groups[T comparable] struct {
	mu      sync.Mutex
	pending []T
	running bool // a goroutine is taking groups
}

// add queues c and reports whether the caller must start the goroutine
// that takes the groups (none is running).
func (q *groups[T]) add(c T) (start bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.pending = append(q.pending, c)
	start = !q.running
	q.running = true
	return start
}

// next takes the next group, at most max calls in arrival order; when
// none is pending it returns nil and the taking goroutine must stop (a
// later add starts another).
func (q *groups[T]) next(max int) []T {
	q.mu.Lock()
	defer q.mu.Unlock()
	calls := q.pending
	if len(calls) > max {
		calls = calls[:max:max]
	}
	q.pending = q.pending[len(calls):]
	if len(calls) == 0 {
		q.pending, q.running = nil, false
		return nil
	}
	return calls
}

// pendingLen is how many calls wait for a group (tests).
func (q *groups[T]) pendingLen() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.pending)
}

// remove takes c out of the queue if no group has taken it yet, and
// reports whether it did.
func (q *groups[T]) remove(c T) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	for i, p := range q.pending {
		if p == c {
			q.pending = slices.Delete(q.pending, i, i+1)
			return true
		}
	}
	return false
}
