package pairing_test

import (
	"fmt"
	"time"

	"github.com/pollen-team/pollen/pairing"
)

// The worked example of the package documentation: Ana owns churn-model and
// teaches it to Bo in two pair sessions a week apart.
func ExampleKnowledge_Apply() {
	day0 := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	day := func(n int) time.Time { return day0.AddDate(0, 0, n) }
	team := []pairing.Person{{Profile: pairing.Profile{ID: "ana"}, Membership: pairing.Membership{Status: pairing.Active}}, {Profile: pairing.Profile{ID: "bo"}, Membership: pairing.Membership{Status: pairing.Active}}}
	k := pairing.NewKnowledge(pairing.DefaultModel())
	show := func(d int) {
		t := day(d)
		fmt.Printf("day %3d: ana %.6f  bo %.6f  bus factor %d\n", d,
			k.F("ana", "churn-model", t), k.F("bo", "churn-model", t), k.BusFactor("churn-model", team, t))
	}

	k.Apply(pairing.Event{ID: "e1", At: day(0), Kind: pairing.EventOwner, Project: "churn-model", Person: "ana"})
	show(0)
	k.Apply(pairing.Event{ID: "e2", At: day(7), Kind: pairing.EventSession, Project: "churn-model",
		SessionKind: pairing.Pair, Host: "ana", Learners: []string{"bo"}})
	show(7)
	k.Apply(pairing.Event{ID: "e3", At: day(14), Kind: pairing.EventSession, Project: "churn-model",
		SessionKind: pairing.Pair, Host: "ana", Learners: []string{"bo"}, Rating: 5})
	show(14)
	show(379)
	show(744)
	// Output:
	// day   0: ana 1.000000  bo 0.000000  bus factor 1
	// day   7: ana 1.000000  bo 0.350000  bus factor 1
	// day  14: ana 1.000000  bo 0.689055  bus factor 2
	// day 379: ana 0.500000  bo 0.344527  bus factor 1
	// day 744: ana 0.500000  bo 0.344527  bus factor 1
}

// The bus-factor example of the package documentation: Ana and Bo wrote
// pricing between them (git import: 6 and 4 of its 10 files), two years
// ago; Cy has one pair session with Ana.
func ExampleKnowledge_BusFactor() {
	start := time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)
	now := start.AddDate(2, 0, 0)
	team := []pairing.Person{{Profile: pairing.Profile{ID: "ana"}, Membership: pairing.Membership{Status: pairing.Active}}, {Profile: pairing.Profile{ID: "bo"}, Membership: pairing.Membership{Status: pairing.Active}}, {Profile: pairing.Profile{ID: "cy"}, Membership: pairing.Membership{Status: pairing.Active}}}
	k := pairing.NewKnowledge(pairing.DefaultModel())
	k.Apply(pairing.Event{ID: "e1", At: start, Kind: pairing.EventImported, Source: "git", Project: "pricing", Person: "ana", Level: 0.6})
	k.Apply(pairing.Event{ID: "e2", At: start, Kind: pairing.EventImported, Source: "git", Project: "pricing", Person: "bo", Level: 0.4})
	show := func(when string) {
		fmt.Printf("%s: ana %.2f  bo %.2f  cy %.2f  knowers %v  bus factor %d\n", when,
			k.F("ana", "pricing", now), k.F("bo", "pricing", now), k.F("cy", "pricing", now),
			k.Knowers("pricing", team, now), k.BusFactor("pricing", team, now))
	}
	show("two years on")
	k.Apply(pairing.Event{ID: "e3", At: now, Kind: pairing.EventSession, Project: "pricing",
		SessionKind: pairing.Pair, Host: "ana", Learners: []string{"cy"}})
	show("after Cy's session")
	fmt.Println("coverage without ana:", fmt.Sprintf("%.2f", 1-(1-0.4)*(1-0.35)), " without ana and bo:", fmt.Sprintf("%.2f", 0.35))
	// Output:
	// two years on: ana 0.60  bo 0.40  cy 0.00  knowers [ana]  bus factor 1
	// after Cy's session: ana 0.60  bo 0.40  cy 0.35  knowers [ana]  bus factor 2
	// coverage without ana: 0.61  without ana and bo: 0.35
}
