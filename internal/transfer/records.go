package transfer

import (
	"slices"
	"time"

	"github.com/pollen-team/pollen/pairing"
)

// SourceImport is the Source of the declared events an import writes, so
// the knowledge log says where a level came from.
const SourceImport = "import"

// Records turns a valid batch into the records to write, all in one
// transaction: people and projects to put, and knowledge events to append.
// Call it only with a batch that Read (or Parse and Validate) accepted,
// against the same known.
//
// A person or project already in known is updated: given fields replace
// theirs, empty ones keep them; a person keeps their join date, and their
// status (active, paused or left) unless the row gives one. A new person
// joins with the row's status, or active, and the defaults for what the
// row leaves out. A project is retired exactly when its row says so, so a
// row without retired brings a retired project back. Each owner who was not already an owner gets an owner
// event (f = 1, as with /pair project add); each familiarity row becomes
// a declared event with the row's level under m and Source "import".
// Every event happens at now, so a familiarity row for an owner wins over
// the owner event (declarations apply after owners at the same instant).
func (b Batch) Records(m pairing.Model, now time.Time, newID func() string, known Known) (people []pairing.Person, projects []pairing.Project, events []pairing.Event) {
	for _, r := range b.People {
		p, ok := known.People[r.ID]
		if !ok {
			p = pairing.NewPerson(r.ID, r.Name, "UTC", now)
		}
		if r.Name != "" {
			p.Name = r.Name
		}
		if r.TZ != "" {
			p.TZ = r.TZ
		}
		if r.Hours != (pairing.WorkingHours{}) {
			p.Hours = r.Hours
		}
		if r.Cadence != "" {
			p.Cadence = r.Cadence
		}
		if r.Status != "" {
			p.Status, p.PausedUntil = r.Status, r.PausedUntil
		}
		people = append(people, p)
	}
	for _, r := range b.Projects {
		p := known.Projects[r.Name]
		was := p.Owners
		p.Name, p.Retired, p.Owners = r.Name, r.Retired, slices.Clone(p.Owners)
		if r.Repo != "" {
			p.RepoURL = r.Repo
		}
		if len(r.Owners) > 0 {
			p.Owners = slices.Clone(r.Owners)
		}
		for _, o := range p.Owners {
			if !slices.Contains(was, o) {
				events = append(events, pairing.Event{ID: newID(), At: now, Kind: pairing.EventOwner, Project: p.Name, Person: o})
			}
		}
		projects = append(projects, p)
	}
	for _, r := range b.Familiarity {
		events = append(events, pairing.Event{
			ID: newID(), At: now, Kind: pairing.EventDeclared, Project: r.Project,
			Person: r.Person, Level: r.Level(m), Source: SourceImport,
		})
	}
	return people, projects, events
}
