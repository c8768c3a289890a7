package charts

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// Fixed data for tests and benchmarks. Everything is generated from fixed
// seeds, so every run sees the same charts.

var firstNames = []string{
	"Amara", "Bo", "Chiara", "Dmitri", "Esther", "Farid", "Grace", "Hiroshi", "Ines", "Jonas",
	"Kalani", "Luis", "Mei", "Nikolai", "Olu", "Priya", "Quentin", "Rosa", "Sven", "Tariq",
}

var lastNames = []string{"Okafor", "Lindqvist", "Tanaka", "Moreau", "Fitzgerald-Oyelaran"}

var projectNames = []string{
	"churn-model", "feature-store", "etl-nightly", "forecast-v2", "pricing-engine",
	"reco-service", "ab-testing", "data-catalog", "dbt-models", "ltv-model",
	"fraud-detector", "search-ranking", "airflow-dags", "ml-platform", "notebooks",
	"geo-clustering", "supply-forecast", "marketing-mix", "survey-nlp", "image-tagger",
	"anomaly-alerts", "kpi-dashboards", "spark-jobs", "label-studio", "embedding-index",
	"causal-uplift", "demand-sensing", "inventory-opt", "risk-scoring", "ops-metrics",
	"sql-snippets", "python-utils", "experiment-log", "model-registry", "privacy-scrubber",
	"customer-segmentation-and-lifetime-value-pipeline", "attribution", "bandits", "ranker-v3", "docs-site",
}

// people returns n display names, some long enough to need shortening.
func people(n int) []string {
	names := make([]string, n)
	for i := range names {
		names[i] = firstNames[i%len(firstNames)] + " " + lastNames[(i/len(firstNames))%len(lastNames)]
	}
	return names
}

// projects returns n project names.
func projects(n int) []string {
	ps := make([]string, n)
	for j := range ps {
		ps[j] = projectNames[j%len(projectNames)]
		if j >= len(projectNames) {
			ps[j] += fmt.Sprint("-", j/len(projectNames))
		}
	}
	return ps
}

// bigHeatmap is a team of nPeople in five groups, each group owning a
// block of the projects: inside its block a person mostly knows or is
// learning; outside it familiarity is rare. The rows and columns are
// shuffled so that the chart has to find the clusters itself.
func bigHeatmap(nPeople, nProjects int) Heatmap {
	r := rand.New(rand.NewPCG(1, 2))
	h := Heatmap{People: people(nPeople), Projects: projects(nProjects), KnowsAt: 0.5}
	const groups = 5
	h.F = make([][]float64, nPeople)
	for i := range h.F {
		h.F[i] = make([]float64, nProjects)
		g := i % groups
		for j := range h.F[i] {
			inGroup := j%groups == g
			switch x := r.Float64(); {
			case inGroup && x < 0.45:
				h.F[i][j] = 0.5 + 0.5*r.Float64()
			case inGroup && x < 0.8:
				h.F[i][j] = 0.45 * r.Float64()
			case !inGroup && x < 0.06:
				h.F[i][j] = r.Float64()
			}
		}
	}
	return h
}

// smallHeatmap is two people and one project: the owner and a learner.
func smallHeatmap() Heatmap {
	return Heatmap{People: []string{"Ana", "Bo"}, Projects: []string{"churn-model"}, F: [][]float64{{1}, {0.35}}, KnowsAt: 0.5}
}

// teamsHeatmap is three teams and the two libraries they share.
func teamsHeatmap() Heatmap {
	return Heatmap{People: []string{"#forecasting", "#ml-platform", "#analytics"}, Projects: []string{"dataops", "feature-store"},
		F: [][]float64{{0.9, 0.2}, {0.6, 1}, {0.1, 0}}, KnowsAt: 0.5, Teams: true}
}

var monday = time.Date(2026, time.January, 5, 0, 0, 0, 0, time.UTC)

func weeksFrom(start time.Time, n int) []time.Time {
	ws := make([]time.Time, n)
	for i := range ws {
		ws[i] = start.AddDate(0, 0, 7*i)
	}
	return ws
}

// bigBusFactor is nProjects over nWeeks: most projects start at bus factor
// 1 or 2 and climb as people pair, a few stay stuck, one loses its only
// other knower.
func bigBusFactor(nProjects, nWeeks int) BusFactorSeries {
	r := rand.New(rand.NewPCG(3, 4))
	s := BusFactorSeries{Weeks: weeksFrom(monday.AddDate(0, 0, -7*20), nWeeks), Projects: projects(nProjects), Target: 3}
	s.BF = make([][]int, nProjects)
	for j := range s.BF {
		bf := 1 + r.IntN(2)
		stuck := j%9 == 4
		s.BF[j] = make([]int, nWeeks)
		for w := range s.BF[j] {
			if !stuck && r.Float64() < 0.12 && bf < 7 {
				bf++
			}
			if r.Float64() < 0.03 && bf > 1 {
				bf--
			}
			if j == 7 && w == nWeeks*2/3 {
				bf = 0
			}
			s.BF[j][w] = bf
		}
	}
	s.TruckFactor = make([]int, nWeeks)
	for w := range s.TruckFactor {
		s.TruckFactor[w] = 1 + w*3/max(1, nWeeks)
	}
	return s
}

// bigSessions is nWeeks of sessions for a team of nPeople: about half the
// team pairs each week, a few sessions are skipped or cancelled, with a
// holiday dip.
func bigSessions(nPeople, nWeeks int) SessionsPerWeek {
	r := rand.New(rand.NewPCG(5, 6))
	s := SessionsPerWeek{Weeks: weeksFrom(monday.AddDate(0, 0, -7*10), nWeeks)}
	for w := range nWeeks {
		total := nPeople / 2
		if w%13 == 9 {
			total /= 3
		}
		skipped, cancelled := r.IntN(total/6+1), r.IntN(total/10+1)
		s.Done = append(s.Done, total-skipped-cancelled)
		s.Skipped = append(s.Skipped, skipped)
		s.Cancelled = append(s.Cancelled, cancelled)
	}
	return s
}

// bigNetwork is nPeople who mostly pair inside their group of about ten,
// with a few bridges between groups and a few people who never paired.
func bigNetwork(nPeople int) Network {
	r := rand.New(rand.NewPCG(7, 8))
	n := Network{People: people(nPeople)}
	groups := max(1, nPeople/10)
	seen := map[[2]int]int{}
	for i := range nPeople - 3 {
		for range 3 {
			j := r.IntN(nPeople - 3)
			if r.Float64() < 0.85 {
				j = (j/groups)*groups + i%groups
			}
			if j == i || j >= nPeople-3 {
				continue
			}
			a, b := min(i, j), max(i, j)
			seen[[2]int{a, b}] += 1 + r.IntN(3)
		}
	}
	for a := range nPeople {
		for b := a + 1; b < nPeople; b++ {
			if s := seen[[2]int{a, b}]; s > 0 {
				n.Edges = append(n.Edges, Edge{A: a, B: b, Sessions: s})
			}
		}
	}
	return n
}

// bigSim is five policies over the given rounds, each approaching its
// own plateau at its own speed, with a band of one either side.
func bigSim(rounds int) SimCurves {
	s := SimCurves{Rounds: rounds, Seeds: 20, Policies: []string{"random", "rotation", "round-robin", "greedy", "pollen"}, Target: 3, LowerBound: 4}
	rates := []float64{0.03, 0.05, 0.06, 0.2, 0.5}
	tops := []float64{2.4, 2.9, 3.1, 3.6, 4}
	for p := range s.Policies {
		row, low, high := make([]float64, rounds), make([]float64, rounds), make([]float64, rounds)
		for r := range row {
			row[r] = float64(int(1 + (tops[p]-1)*(1-pow(1-rates[p], float64(r+1)))))
			low[r], high[r] = max(0, row[r]-1), row[r]+1
		}
		s.Worst, s.Low, s.High = append(s.Worst, row), append(s.Low, low), append(s.High, high)
	}
	return s
}

func pow(x, y float64) float64 {
	out := 1.0
	for range int(y) {
		out *= x
	}
	return out
}
