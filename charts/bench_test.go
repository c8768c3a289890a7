package charts

import (
	"fmt"
	"io"
	"testing"

	"github.com/pollen-team/pollen/pairing"
)

// The benchmarks render each chart at the size of a big team: 100 people,
// 40 projects, a year of weeks. The target is under 200 ms per chart.

func benchmark(b *testing.B, c chart) {
	b.Helper()
	b.ReportAllocs()
	for b.Loop() {
		if err := c.PNG(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkHeatmap(b *testing.B)         { benchmark(b, bigHeatmap(100, 40)) }
func BenchmarkBusFactor(b *testing.B)       { benchmark(b, bigBusFactor(40, 52)) }
func BenchmarkSessionsPerWeek(b *testing.B) { benchmark(b, bigSessions(100, 52)) }
func BenchmarkNetwork(b *testing.B)         { benchmark(b, bigNetwork(100)) }
func BenchmarkSimCurves(b *testing.B)       { benchmark(b, bigSim(52)) }

// BenchmarkBusFactorHistory replays a year of a 100-person team's log (40
// owners, 50 sessions a week) into 52 weekly measurements.
func BenchmarkBusFactorHistory(b *testing.B) {
	var team []pairing.Person
	for i := range 100 {
		team = append(team, person(fmt.Sprint("u", i), fmt.Sprint("U", i)))
	}
	var projs []pairing.Project
	var events []pairing.Event
	for j := range 40 {
		projs = append(projs, pairing.Project{Name: fmt.Sprint("p", j)})
		events = append(events, pairing.Event{ID: fmt.Sprint("o", j), At: day(-1), Kind: pairing.EventOwner,
			Project: projs[j].Name, Person: team[j].ID})
	}
	for n := range 52 * 50 {
		host, learner := team[n%40].ID, team[(n*7+13)%100].ID
		if host != learner {
			events = append(events, pairEvent(fmt.Sprint("s", n), day(n/50*7+n%5), projs[n%40].Name, host, learner))
		}
	}
	weeks := Weeks(day(0), day(52*7-1))
	b.ReportAllocs()
	for b.Loop() {
		BusFactorHistory(pairing.DefaultModel(), events, team, projs, weeks)
	}
}
