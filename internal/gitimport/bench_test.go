package gitimport

import (
	"context"
	"testing"
	"time"

	"github.com/pollen-team/pollen/internal/gitimport/gitfixture"
)

// BenchmarkImport5000Commits is the cost of a first import or sync of a
// 5,000-commit history, the part that is not network: reading the log,
// authorship, the truck factor and the events (target: well under 10 s).
//
//	go test -run XXX -bench Import5000 ./internal/gitimport/
func BenchmarkImport5000Commits(b *testing.B) {
	dir := gitfixture.Large(b, 5000)
	b.ResetTimer()
	for range b.N {
		h, err := Read(context.Background(), dir, DefaultOptions())
		if err != nil {
			b.Fatal(err)
		}
		res := Authorship(h)
		TruckFactor(res.Files)
		Events(res, map[string]string{"dev1@example.com": "U1"}, "p", func() string { return "id" }, time.Now())
		if len(h.Commits) != 5000 {
			b.Fatalf("read %d commits, want 5000", len(h.Commits))
		}
	}
}
