package reposync

import (
	"context"
	"os/exec"
	"testing"

	"github.com/pollen-team/pollen/internal/gitimport/gitfixture"
)

// benchOrigin is a 5,000-commit repository served as a file:// remote
// that allows blobless clones.
func benchOrigin(b *testing.B) string {
	isolateGit(b)
	dir := gitfixture.Large(b, 5000)
	if out, err := exec.Command("git", "-C", dir, "config", "uploadpack.allowFilter", "true").CombinedOutput(); err != nil {
		b.Fatalf("git config: %v\n%s", err, out)
	}
	return dir
}

var benchMapping = map[string]string{"dev1@example.com": "U1", "dev2@example.com": "U2"}

// BenchmarkFirstSync5000Commits is a project's first sync: a blobless
// clone of a 5,000-commit history over file://, the import and the
// transaction (target: under 10 s).
//
//	go test -run XXX -bench Sync ./internal/reposync/
func BenchmarkFirstSync5000Commits(b *testing.B) {
	origin := benchOrigin(b)
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		db := newStore(b, "file://"+origin)
		data := b.TempDir()
		b.StartTimer()
		res, err := Sync(context.Background(), db, "p", Options{DataDir: data, Mapping: benchMapping})
		if err != nil {
			b.Fatal(err)
		}
		if res.NewCommits != 5000 {
			b.Fatalf("first sync read %d new commits, want 5000", res.NewCommits)
		}
	}
}

// BenchmarkIncrementalSync10Commits is a sync after ten new commits on a
// 5,000-commit history already synced: a fetch, the import, the
// transaction (target: under 1 s).
func BenchmarkIncrementalSync10Commits(b *testing.B) {
	origin := benchOrigin(b)
	db := newStore(b, "file://"+origin)
	data := b.TempDir()
	opts := Options{DataDir: data, Mapping: benchMapping}
	if _, err := Sync(context.Background(), db, "p", opts); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		gitfixture.Append(b, origin, i*10, 10)
		b.StartTimer()
		res, err := Sync(context.Background(), db, "p", opts)
		if err != nil {
			b.Fatal(err)
		}
		if res.NewCommits != 10 {
			b.Fatalf("sync read %d new commits, want 10", res.NewCommits)
		}
	}
}
