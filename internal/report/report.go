// Package report assembles the team knowledge report from the database:
// the summary figures and the four charts as PNG files. The bot uploads
// it for /pair stats and the digest; pollen chart writes it to a folder.
package report

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/pollen-team/pollen/charts"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// File is one rendered chart or table.
type File struct {
	Name  string // e.g. "bus-factor.png", "sessions.csv"
	Title string
	Data  []byte
}

// Summary are the report's headline figures.
type Summary struct {
	Projects         int
	MeanBusFactor    float64
	AtRisk           int // projects at bus factor 1 or less
	TruckFactor      int
	Target           int
	Riskiest         []ProjectRisk // riskiest first, at most five
	SessionsDone     int
	PeopleInRotation int
	// Outcome is the share of done sessions followed by the learner's
	// first commit to the project within 30 days, over all projects;
	// Outcomes per project (pairing.Outcomes).
	Outcome  pairing.Outcome
	Outcomes map[string]pairing.Outcome
}

// ProjectRisk is a project and its bus factor.
type ProjectRisk struct {
	Name      string
	BusFactor int
}

// Data is what the charts are drawn from, read in one transaction.
type Data struct {
	People   []pairing.Person
	Projects []pairing.Project
	Sessions []pairing.Session
	Events   []pairing.Event
	Settings pairing.TeamSettings
	// Rotations and Members (each rotation's people, by rotation ID) are
	// set by LoadAll only: the export then covers every rotation.
	Rotations []pairing.Rotation
	Members   map[string][]pairing.Person
}

// Store is what the report reads the database through.
type Store interface {
	Snapshot(ctx context.Context, read func(store.Reader) error) error
}

// Load reads the report's data in one consistent read.
func Load(ctx context.Context, db Store) (Data, error) {
	var d Data
	err := db.Snapshot(ctx, func(r store.Reader) (err error) {
		d, err = Read(r)
		return err
	})
	return d, err
}

// Read is Load through a read already open.
func Read(r store.Reader) (Data, error) {
	var d Data
	var err error
	if d.People, err = r.People(); err != nil {
		return Data{}, err
	}
	if err := d.readWorkspace(r); err != nil {
		return Data{}, err
	}
	return d, nil
}

// readWorkspace reads what every report holds besides its people: the
// projects, sessions and knowledge log, and the rotation's settings.
func (d *Data) readWorkspace(r store.Reader) (err error) {
	if d.Projects, err = r.Projects(); err != nil {
		return err
	}
	if d.Sessions, err = r.Sessions(); err != nil {
		return err
	}
	if d.Events, err = r.Events(); err != nil {
		return err
	}
	d.Settings, err = r.Settings()
	return err
}

// Summarise computes the headline figures at now.
func (d Data) Summarise(now time.Time) Summary {
	return d.summarise(pairing.Replay(pairing.DefaultModel(), d.Events), now)
}

// summarise is Summarise with the knowledge log already replayed.
func (d Data) summarise(k *pairing.Knowledge, now time.Time) Summary {
	s := Summary{Target: d.Settings.TargetBusFactor}
	var risks []ProjectRisk
	sum := 0
	for _, p := range d.Projects {
		if p.Retired {
			continue
		}
		bf := k.BusFactor(p.Name, d.People, now)
		risks = append(risks, ProjectRisk{p.Name, bf})
		sum += bf
		if bf <= 1 {
			s.AtRisk++
		}
	}
	slices.SortFunc(risks, func(a, b ProjectRisk) int {
		return cmp.Or(cmp.Compare(a.BusFactor, b.BusFactor), cmp.Compare(a.Name, b.Name))
	})
	s.Projects = len(risks)
	if s.Projects > 0 {
		s.MeanBusFactor = float64(sum) / float64(s.Projects)
	}
	s.Riskiest = risks[:min(5, len(risks))]
	s.TruckFactor = k.TruckFactor(d.Projects, d.People, now)
	for _, x := range d.Sessions {
		if x.State == pairing.Done {
			s.SessionsDone++
		}
	}
	for _, p := range d.People {
		if p.ActiveAt(now) {
			s.PeopleInRotation++
		}
	}
	s.Outcomes = pairing.Outcomes(d.Events, pairing.OutcomeWindow, now)
	s.Outcome = pairing.TotalOutcome(s.Outcomes)
	return s
}

// weeks is the span the time charts cover: from the start of the team's
// history (the earliest project's creation or first event, at most a year
// back) to now. A team that started today has one week, not twelve weeks
// of invented zeros.
func (d Data) weeks(now time.Time) []time.Time {
	from := pairing.HistoryStart(d.Projects, d.Events)
	if from.IsZero() || from.After(now) {
		from = now
	}
	if limit := now.AddDate(-1, 0, 0); from.Before(limit) {
		from = limit
	}
	return charts.Weeks(from, now)
}

// BusFactorChart renders bus factor per project over time, the digest's
// chart.
func (d Data) BusFactorChart(now time.Time) (File, error) {
	return render("bus-factor.png", "Bus factor per project", d.BusFactorSeries(now).PNG)
}

// BusFactorSeries is the bus factor chart's data: every active project
// week by week from the start of the team's history, each from its own.
func (d Data) BusFactorSeries(now time.Time) charts.BusFactorSeries {
	series := charts.BusFactorHistory(pairing.DefaultModel(), d.Events, d.People, d.Projects, d.weeks(now))
	series.Target = d.Settings.TargetBusFactor
	return series
}

// Charts renders all four charts.
func (d Data) Charts(now time.Time) ([]File, error) {
	k := pairing.Replay(pairing.DefaultModel(), d.Events)
	bf, err := d.BusFactorChart(now)
	if err != nil {
		return nil, err
	}
	files := []File{bf}
	for _, c := range []struct {
		name, title string
		png         func(w io.Writer) error
	}{
		{"familiarity.png", "Who knows what", charts.FromKnowledge(k, d.People, d.Projects, now).PNG},
		{"sessions.png", "Sessions per week", charts.SessionsByWeek(d.Sessions, d.weeks(now)).PNG},
		{"pairing-network.png", "Who has paired with whom", charts.PairingNetwork(d.Sessions, d.People).PNG},
	} {
		f, err := render(c.name, c.title, c.png)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	return files, nil
}

func render(name, title string, png func(w io.Writer) error) (File, error) {
	var buf bytes.Buffer
	if err := png(&buf); err != nil {
		return File{}, fmt.Errorf("render %s: %w", name, err)
	}
	return File{Name: name, Title: title, Data: buf.Bytes()}, nil
}
