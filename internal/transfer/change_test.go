package transfer

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// roster is a store.Reader over a fixed roster: Change is a pure decision,
// so it is tested on the reads it makes. personErr, if set, is what
// reading any one person fails with. Change reads nothing else; any other
// read panics on the nil Reader (and fails the test).
type roster struct {
	store.Reader
	people    []pairing.Person
	personErr error
}

func (r roster) People() ([]pairing.Person, error)    { return r.people, nil }
func (r roster) Projects() ([]pairing.Project, error) { return nil, nil }
func (r roster) Person(id string) (pairing.Person, error) {
	if r.personErr != nil {
		return pairing.Person{}, r.personErr
	}
	for _, p := range r.people {
		if p.ID == id {
			return p, nil
		}
	}
	return pairing.Person{}, pairing.Errorf(pairing.CodeNotFound, "no person %q", id)
}

const changeFile = `kind,person,name,status
person,U0ANA,Ana,
person,U0BO,Bo,
person,U0CY,Cy,left
`

func TestChangeWelcomesOnlyPeopleNewToTheRoster(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	known := roster{people: []pairing.Person{pairing.NewPerson("U0ANA", "Ana", "UTC", now.AddDate(0, -1, 0))}}
	c, n, err := Change(known, "team.csv", strings.NewReader(changeFile), now)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.Welcome, []string{"U0BO"}) || !c.At.Equal(now) {
		t.Errorf("welcome %v at %v, want only Bo (Ana is known, Cy left) at %v", c.Welcome, c.At, now)
	}
	if n.People != 3 || len(c.People) != 3 {
		t.Errorf("counts %+v, %d people in the change; want 3", n, len(c.People))
	}
}

// A person who cannot be read is an error, not someone new to welcome.
func TestChangeFailsWhenAPersonCannotBeRead(t *testing.T) {
	damaged := errors.New("decode members/team/U0BO: unexpected end of JSON input")
	c, _, err := Change(roster{personErr: damaged}, "team.csv", strings.NewReader(changeFile), time.Now())
	if !errors.Is(err, damaged) || len(c.Welcome) != 0 {
		t.Errorf("Change = %+v, %v; want the read error and nothing to write", c, err)
	}
}

func TestChangeRefusesABadFile(t *testing.T) {
	_, _, err := Change(roster{}, "team.csv", strings.NewReader("kind,person,name\nperson,not-an-id,Ana\n"), time.Now())
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Errorf("Change of a bad file: %v, want a *ValidationError", err)
	}
}
