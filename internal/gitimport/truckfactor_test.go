package gitimport

import (
	"slices"
	"testing"
)

// files builds files from their authors: files("a", "ab", "") is three
// files, authored by a, by a and b, and by nobody.
func files(authors ...string) []File {
	fs := make([]File, len(authors))
	for i, as := range authors {
		fs[i].Path = string(rune('A' + i))
		for _, a := range as {
			fs[i].Authors = append(fs[i].Authors, string(a))
		}
	}
	return fs
}

func TestTruckFactor(t *testing.T) {
	tests := []struct {
		name  string
		files []File
		want  []string
	}{
		{"no files", nil, nil},
		{"one owner", files("a", "a", "a"), []string{"a"}},
		// Already 2/3 orphaned: nobody needs to leave.
		{"mostly orphaned from the start", files("a", "", ""), nil},
		// Exactly half covered still counts as covered (Avelino stops below
		// 50%): remove a (1/2 left, 50%), then b.
		{"exactly half is not abandoned", files("a", "b"), []string{"a", "b"}},
		// a authors 2 files: remove a, 2/4 left (50%): go on; b and c tie
		// at 1 file, b goes first; 1/4 < 50%: stop.
		{"ties go to the smaller key", files("a", "a", "c", "b"), []string{"a", "b"}},
		// Shared files need all their authors gone: remove a (3 files);
		// b still covers 2/3; remove b: 0/3.
		{"co-authored files", files("ab", "ab", "a"), []string{"a", "b"}},
		// Three disjoint thirds: remove a (2/3 left), b (1/3 < 50%).
		{"fragmented ownership", files("a", "b", "c"), []string{"a", "b"}},
		// Greedy by size, not by what is still covered: a (4 files) goes
		// first even though every one of them is shared.
		{"greedy counts all of an author's files", files("ab", "ab", "ac", "ac", "d", "e"), []string{"a", "b", "c"}},
		{"a duplicated author counts once", []File{{Path: "x", Authors: []string{"a", "a"}}, {Path: "y", Authors: []string{"b"}}}, []string{"a", "b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := TruckFactorAuthors(tt.files)
			if !slices.Equal(got, tt.want) {
				t.Errorf("TruckFactorAuthors = %q, want %q", got, tt.want)
			}
			if tf := TruckFactor(tt.files); tf != len(tt.want) {
				t.Errorf("TruckFactor = %d, want %d", tf, len(tt.want))
			}
		})
	}
}

// TestTruckFactorStopsBelowHalf checks the invariants of the greedy on many
// random repositories: before the last removal at least half of the files
// were covered, after it fewer than half are, and every author of half the
// files or more was removed.
func TestTruckFactorStopsBelowHalf(t *testing.T) {
	others := func(id string) []string { // everyone but id has left
		var out []string
		for _, a := range "abcde" {
			if string(a) != id {
				out = append(out, string(a))
			}
		}
		return out
	}
	coverage := func(fs []File, gone []string) int {
		n := 0
		for _, f := range fs {
			for _, a := range f.Authors {
				if !slices.Contains(gone, a) {
					n++
					break
				}
			}
		}
		return n
	}
	seed := uint32(1)
	rnd := func(n int) int { // xorshift: deterministic and fast
		seed ^= seed << 13
		seed ^= seed >> 17
		seed ^= seed << 5
		return int(seed % uint32(n))
	}
	for range 500 {
		fs := make([]File, 1+rnd(12))
		for i := range fs {
			for a := range "abcde" {
				if rnd(3) == 0 {
					fs[i].Authors = append(fs[i].Authors, string(rune('a'+a)))
				}
			}
		}
		gone := TruckFactorAuthors(fs)
		if 2*coverage(fs, gone) >= len(fs) {
			t.Fatalf("%+v: after removing %q at least half is still covered", fs, gone)
		}
		if len(gone) > 0 && 2*coverage(fs, gone[:len(gone)-1]) < len(fs) {
			t.Fatalf("%+v: removing %q went one too far", fs, gone)
		}
		// Whoever authors half the files or more (an imported knower) is
		// among the removed: the bus factor never exceeds the truck factor.
		for a := range "abcde" {
			id := string(rune('a' + a))
			if 2*coverage(fs, others(id)) >= len(fs) && !slices.Contains(gone, id) {
				t.Fatalf("%+v: %s authors half the files but is not among %q", fs, id, gone)
			}
		}
	}
}
