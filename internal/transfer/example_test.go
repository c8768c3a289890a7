package transfer_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/pollen-team/pollen/internal/transfer"
	"github.com/pollen-team/pollen/pairing"
)

// Read reports every problem of a file at once, with its line; references
// to what the database already has are fine.
func ExampleRead() {
	file := `kind,person,name,tz,hours,cadence,project,repo,owners,level
person,U024BE7LH,Ada Lovelace,Europe/Berlin,9-5,weekly,,,,
person,U0G9QF9C6,Grace Hopper,America/New_York,08:30-16:30,monthly,,,,
familiarity,U0G9QF9C6,,,,,churn-model,,,some
familiarity,U0G9QF9C6,,,,,fraud-model,,,lots
`
	known := transfer.NewKnown(nil, []pairing.Project{{Name: "churn-model"}})
	_, err := transfer.Read("team.csv", strings.NewReader(file), known)
	fmt.Println(err)
	// Output:
	// line 2: hours "9-5" is not a time range: use HH:MM-HH:MM, e.g. 09:00-17:00
	// line 3: cadence "monthly" is not a cadence: use weekly or biweekly
	// line 5: level "lots" is not a level: use expert, some, none or a number from 0 to 1
	// line 5: there is no project fraud-model: add a project row for it
}

// A valid batch becomes the records `pollen import` writes in one
// transaction.
func ExampleBatch_Records() {
	file := `people:
  - {id: U024BE7LH, name: Ada Lovelace, tz: Europe/Berlin}
  - {id: U0G9QF9C6, cadence: biweekly}
projects:
  - {name: churn-model, repo: "https://github.com/acme/churn", owners: [U024BE7LH]}
familiarity:
  - {person: U0G9QF9C6, project: churn-model, level: some}
`
	b, err := transfer.Read("team.yaml", strings.NewReader(file), transfer.Known{})
	if err != nil {
		fmt.Println(err)
		return
	}
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	newID := func() string { return uuid.Must(uuid.NewV7()).String() }
	people, projects, events := b.Records(pairing.DefaultModel(), now, newID, transfer.Known{})
	for _, p := range people {
		fmt.Println("person", p.ID, p.TZ, p.Hours, p.Cadence)
	}
	for _, p := range projects {
		fmt.Println("project", p.Name, p.Owners)
	}
	for _, e := range events {
		fmt.Println(e.Kind, e.Person, e.Project, e.Level)
	}
	// Output:
	// person U024BE7LH Europe/Berlin 09:00-17:00 weekly
	// person U0G9QF9C6 UTC 09:00-17:00 biweekly
	// project churn-model [U024BE7LH]
	// owner U024BE7LH churn-model 0
	// declared U0G9QF9C6 churn-model 0.4
}
