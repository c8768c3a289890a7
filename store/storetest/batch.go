package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// Applies made at the same time may share one transaction and its commit
// (group commit, issue 21): each caller must still get what it would get
// alone.
var batchCases = []testCase{
	{"concurrent Applies: a failing decision or write costs only its own caller", testBatchFailuresStayOwn},
	{"concurrent Applies: a panicking decision panics its caller and writes nothing", testBatchPanic},
	{"concurrent Applies: reads that depend on earlier reads see the stored values", testBatchDependentReads},
}

// batchers is how many Applies run at once in the batch cases: enough that
// several arrive while a commit is under way.
const batchers = 48

var errDeclined = errors.New("declined")

// testBatchFailuresStayOwn: among concurrent Applies, one in three
// declines (its own error), one in three writes a record that does not
// validate (fails half-way through its writes), the rest write a setting
// each. Every writer's setting is there, no failing one left a trace, and
// each caller got its own result.
func testBatchFailuresStayOwn(t *testing.T, s Store) {
	errs := make([]error, batchers)
	var wg sync.WaitGroup
	for i := range batchers {
		wg.Go(func() {
			_, errs[i] = s.Apply(context.Background(), func(r store.Reader) (store.Change, error) {
				key := fmt.Sprintf("batch-%02d", i)
				switch i % 3 {
				case 1:
					return store.Change{}, fmt.Errorf("%w: %d", errDeclined, i)
				case 2: // a person written, then one with no ID: the write fails half-way
					return store.Change{Values: map[string]any{key: i}, People: []pairing.Person{person(fmt.Sprintf("UB%02d", i), "half"), {}}}, nil
				}
				return store.Change{Values: map[string]any{key: i}}, nil
			})
		})
	}
	wg.Wait()
	for i, err := range errs {
		switch i % 3 {
		case 0:
			if err != nil {
				t.Errorf("writer %d: %v", i, err)
			}
		case 1:
			if !errors.Is(err, errDeclined) || err.Error() != fmt.Sprintf("declined: %d", i) {
				t.Errorf("decliner %d got %v, want its own error", i, err)
			}
		case 2:
			if err == nil || errors.Is(err, errDeclined) {
				t.Errorf("invalid writer %d got %v, want the validation error", i, err)
			}
		}
	}
	read(t, s, func(r store.Reader) error {
		for i := range batchers {
			var n int
			ok, err := r.Setting(fmt.Sprintf("batch-%02d", i), &n)
			if err != nil {
				return err
			}
			if want := i%3 == 0; ok != want || ok && n != i {
				t.Errorf("setting batch-%02d: present %v (%d), want present %v", i, ok, n, want)
			}
			if _, err := r.Person(fmt.Sprintf("UB%02d", i)); !errors.Is(err, pairing.ErrNotFound) {
				t.Errorf("person UB%02d of a failed write: %v, want not found", i, err)
			}
		}
		return nil
	})
}

// testBatchPanic: one of many concurrent Applies panics in its decision;
// its caller sees the panic, the others commit.
func testBatchPanic(t *testing.T, s Store) {
	var wg sync.WaitGroup
	panicked := make([]any, batchers)
	errs := make([]error, batchers)
	for i := range batchers {
		wg.Go(func() {
			defer func() { panicked[i] = recover() }()
			_, errs[i] = s.Apply(context.Background(), func(r store.Reader) (store.Change, error) {
				if i == batchers/2 {
					panic("decision bug")
				}
				return store.Change{Values: map[string]any{fmt.Sprintf("p-%02d", i): i}}, nil
			})
		})
	}
	wg.Wait()
	read(t, s, func(r store.Reader) error {
		for i := range batchers {
			var n int
			ok, err := r.Setting(fmt.Sprintf("p-%02d", i), &n)
			if err != nil {
				return err
			}
			want := i != batchers/2
			if ok != want || errs[i] != nil || (panicked[i] != nil) == want {
				t.Errorf("Apply %d: written %v, error %v, panic %v", i, ok, errs[i], panicked[i])
			}
		}
		return nil
	})
}

// testBatchDependentReads: each of many concurrent Applies reads a setting
// that names another, reads that one and raises it. A store that reads
// ahead for a batch (PostgreSQL) must not answer the second read from
// what it did not know yet.
func testBatchDependentReads(t *testing.T, s Store) {
	seed := store.Change{Values: map[string]any{}}
	for i := range batchers {
		seed.Values[fmt.Sprintf("ptr-%02d", i)] = fmt.Sprintf("val-%02d", i)
		seed.Values[fmt.Sprintf("val-%02d", i)] = i
	}
	write(t, s, seed)
	race(t, func(i int) error {
		_, err := s.Apply(context.Background(), func(r store.Reader) (store.Change, error) {
			var key string
			var n int
			if ok, err := r.Setting(fmt.Sprintf("ptr-%02d", i), &key); err != nil || !ok {
				return store.Change{}, fmt.Errorf("ptr-%02d: found %v, %v", i, ok, err)
			}
			if ok, err := r.Setting(key, &n); err != nil || !ok {
				return store.Change{}, fmt.Errorf("%s: found %v, %v", key, ok, err)
			}
			return store.Change{Values: map[string]any{key: n + 1000}}, nil
		})
		return err
	})
	read(t, s, func(r store.Reader) error {
		for i := range racers {
			var n int
			if _, err := r.Setting(fmt.Sprintf("val-%02d", i), &n); err != nil {
				return err
			}
			if n != i+1000 {
				t.Errorf("val-%02d = %d, want %d", i, n, i+1000)
			}
		}
		return nil
	})
}
