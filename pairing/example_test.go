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
	team := []pairing.Person{{ID: "ana", Status: pairing.Active}, {ID: "bo", Status: pairing.Active}}
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
