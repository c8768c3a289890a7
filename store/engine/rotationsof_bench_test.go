package engine

import (
	"context"
	"fmt"
	"testing"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// BenchmarkRotationsOf finds one person's rotations in a workspace of 50
// rotations of 40 people each, on both backends: from their memberships
// (RotationsOf, what a DM command does), and for comparison by reading
// every rotation's roster (what a DM command did before).
//
//	go test -run XXX -bench RotationsOf ./store/engine/
func BenchmarkRotationsOf(b *testing.B) {
	for _, name := range []string{"bbolt", "postgres"} {
		db := backends(b)[name](b)
		for r := range 50 {
			rot := fmt.Sprintf("C%04d", r)
			c := store.Change{Rotations: []pairing.Rotation{{ID: rot, Channel: rot, StartedAt: t0}}}
			for i := range 40 {
				c.People = append(c.People, pairing.NewPerson(fmt.Sprintf("U%04d", r*40+i), "P", "UTC", t0))
			}
			if _, err := db.Apply(store.WithRotation(context.Background(), rot), func(store.Reader) (store.Change, error) { return c, nil }); err != nil {
				b.Fatal(err)
			}
		}
		who := "U0123"
		b.Run(name+"/memberships", func(b *testing.B) {
			for b.Loop() {
				err := db.Snapshot(context.Background(), func(r store.Reader) error {
					mine, err := r.RotationsOf(who)
					if err == nil && len(mine) != 1 {
						err = fmt.Errorf("%s is in %v", who, mine)
					}
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/rosters", func(b *testing.B) {
			for b.Loop() {
				err := db.Snapshot(context.Background(), func(r store.Reader) error {
					rotations, err := r.Rotations()
					for _, rot := range rotations {
						if err != nil {
							return err
						}
						_, err = r.PeopleIn(rot.ID)
					}
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
