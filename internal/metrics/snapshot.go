package metrics

import (
	"time"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// StoreSnapshot reads the gauges' state from the database in one read
// transaction, with the knowledge model replayed as of now.
func StoreSnapshot(db *store.DB, now func() time.Time) func() (Snapshot, error) {
	return func() (Snapshot, error) {
		s := Snapshot{SessionsByState: map[string]int{}}
		var people []pairing.Person
		var projects []pairing.Project
		var events []pairing.Event
		err := db.View(func(tx *store.Tx) error {
			sessions, err := tx.Sessions()
			if err != nil {
				return err
			}
			for _, st := range pairing.States {
				s.SessionsByState[string(st)] = 0
			}
			for _, x := range sessions {
				s.SessionsByState[string(x.State)]++
			}
			s.OutboxDepth = tx.OutboxDepth()
			if people, err = tx.People(); err != nil {
				return err
			}
			if projects, err = tx.Projects(); err != nil {
				return err
			}
			events, err = tx.Events()
			return err
		})
		if err != nil {
			return s, err
		}
		at := now()
		k := pairing.Replay(pairing.DefaultModel(), events)
		sum := 0
		for _, p := range projects {
			if p.Retired {
				continue
			}
			bf := k.BusFactor(p.Name, people, at)
			sum += bf
			s.Projects++
			if bf <= 1 {
				s.ProjectsAtBFOne++
			}
		}
		if s.Projects > 0 {
			s.MeanBusFactor = float64(sum) / float64(s.Projects)
		}
		s.TeamTruckFactor = k.TruckFactor(projects, people, at)
		for _, p := range people {
			if p.ActiveAt(at) {
				s.PeopleInRotation++
			}
		}
		return s, nil
	}
}
