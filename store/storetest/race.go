package storetest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

var raceCases = []testCase{
	{"operations racing on one record are all counted", testRacingApply},
	{"UpdateMember racing on one person keeps every change", testRacingUpdateMember},
}

// racers is how many operations race in each case.
const racers = 16

// race runs op racers times at once and fails the test on any error.
func race(t *testing.T, op func(i int) error) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, racers)
	for i := range racers {
		wg.Go(func() {
			if err := op(i); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// testRacingApply: each Apply reads a counter and writes it plus one; a
// store whose decisions do not see the writes committed before theirs
// loses increments.
func testRacingApply(t *testing.T, s Store) {
	race(t, func(int) error {
		_, err := s.Apply(context.Background(), func(r store.Reader) (store.Change, error) {
			var n int
			if _, err := r.Setting("counter", &n); err != nil {
				return store.Change{}, err
			}
			return store.Change{Values: map[string]any{"counter": n + 1}}, nil
		})
		return err
	})
	read(t, s, func(r store.Reader) error {
		var n int
		if _, err := r.Setting("counter", &n); err != nil {
			return err
		}
		if n != racers {
			t.Errorf("counter = %d after %d racing increments", n, racers)
		}
		return nil
	})
}

// testRacingUpdateMember: each UpdateMember adds one round to skip to the
// same person; every one must be there.
func testRacingUpdateMember(t *testing.T, s Store) {
	write(t, s, store.Change{People: []pairing.Person{person("U1", "Ada")}})
	race(t, func(i int) error {
		_, err := s.UpdateMember(context.Background(), "U1", func(p *pairing.Person, _ store.Reader) (store.Change, error) {
			p.SkipRounds = append(p.SkipRounds, fmt.Sprintf("2027-W%02d", i+1))
			return store.Change{}, nil
		})
		return err
	})
	p, err := s.Person(context.Background(), "U1")
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(p.SkipRounds)
	var want []string
	for i := range racers {
		want = append(want, fmt.Sprintf("2027-W%02d", i+1))
	}
	if !slices.Equal(p.SkipRounds, want) {
		t.Errorf("skipped rounds after %d racing updates: %v, want all of %v", racers, p.SkipRounds, want)
	}
}
