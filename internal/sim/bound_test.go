package sim

import (
	"fmt"
	"testing"

	"github.com/pollen-team/pollen/pairing"
)

func TestLatency(t *testing.T) {
	tests := []struct {
		name             string
		knowers, need, L int
		trio             bool
		want             int
	}{
		{"one new knower takes L rounds", 1, 1, 2, false, 2},
		{"bus factor 3 from one owner takes 2L", 1, 2, 2, false, 4},
		{"bus factor 4 from one owner also 2L", 1, 3, 2, false, 4},
		{"bus factor 5 pipelines to 5, not 6", 1, 4, 2, false, 5},
		{"a trio teaches two at once", 1, 2, 2, true, 2},
		{"slower learning: L = 4", 1, 2, 4, false, 8},
		{"two owners teach two learners in parallel", 2, 2, 2, false, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := latency(tt.knowers, tt.need, tt.L, tt.trio); got != tt.want {
				t.Errorf("latency(%d, %d, %d, %v) = %d, want %d", tt.knowers, tt.need, tt.L, tt.trio, got, tt.want)
			}
		})
	}
}

func TestLowerBoundDefaults(t *testing.T) {
	m := pairing.DefaultModel()
	fam := make([][]float64, 12)
	for j := range fam {
		fam[j] = []float64{1}
	}
	tests := []struct {
		k          int
		attendance float64
		want       int
		wantTrio   int // the capacity term with trios: ⌈S / (16 p)⌉
	}{
		{3, 1.0, 4, 3}, {3, 0.8, 5, 4}, {2, 1.0, 2, 2}, {2, 0.8, 3, 2},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("k=%d,p=%.1f", tt.k, tt.attendance), func(t *testing.T) {
			b := LowerBound(m, 24, fam, tt.k, tt.attendance)
			if b.Rounds != tt.want {
				t.Errorf("bound %+v, want %d rounds", b, tt.want)
			}
			if b.TrioPerRound != 16 || b.TrioCapacityRounds != tt.wantTrio {
				t.Errorf("trio capacity %d per round, %d rounds; want 16 and %d", b.TrioPerRound, b.TrioCapacityRounds, tt.wantTrio)
			}
		})
	}
	if b := LowerBound(m, 24, [][]float64{{1}, {}}, 2, 1); b.Rounds != -1 {
		t.Errorf("a project nobody knows: bound %+v, want -1", b)
	}
}

// bruteRounds is the true minimum number of rounds, by exhaustive search
// over every schedule in the bound's session model: each round everyone is
// in at most one session; a session is a host who knows the project and one
// learner who does not (plus, when n is odd, at most one trio per round
// with two learners); every session happens; L sessions make a knower.
func bruteRounds(t *testing.T, n int, owners [][]int, k, L int) int {
	t.Helper()
	P := len(owners)
	start := make([]byte, n*P)
	for j, os := range owners {
		for _, o := range os {
			start[o*P+j] = byte(L)
		}
	}
	done := func(s []byte) bool {
		for j := range P {
			c := 0
			for p := range n {
				if int(s[p*P+j]) >= L {
					c++
				}
			}
			if c < k {
				return false
			}
		}
		return true
	}
	if done(start) {
		return 0
	}
	frontier := map[string]bool{string(start): true}
	seen := map[string]bool{string(start): true}
	for round := 1; round <= 12; round++ {
		next := map[string]bool{}
		for st := range frontier {
			s := []byte(st)
			busy := make([]bool, n)
			var rec func(i int, trioUsed bool) bool
			rec = func(i int, trioUsed bool) bool {
				for i < n && busy[i] {
					i++
				}
				if i == n {
					key := string(s)
					if !seen[key] {
						if done(s) {
							return true
						}
						seen[key], next[key] = true, true
					}
					return false
				}
				busy[i] = true
				defer func() { busy[i] = false }()
				if rec(i+1, trioUsed) { // i sits out
					return true
				}
				for a := i + 1; a < n; a++ {
					if busy[a] {
						continue
					}
					busy[a] = true
					for j := range P {
						for _, hl := range [][2]int{{i, a}, {a, i}} {
							h, l := hl[0], hl[1]
							if int(s[h*P+j]) < L || int(s[l*P+j]) >= L {
								continue
							}
							s[l*P+j]++
							found := rec(i+1, trioUsed)
							if !found && n%2 == 1 && !trioUsed { // a second learner joins
								for b := a + 1; b < n; b++ {
									if busy[b] || b == h || int(s[b*P+j]) >= L {
										continue
									}
									busy[b] = true
									s[b*P+j]++
									found = rec(i+1, true)
									s[b*P+j]--
									busy[b] = false
									if found {
										break
									}
								}
							}
							s[l*P+j]--
							if found {
								busy[a] = false
								return true
							}
						}
					}
					busy[a] = false
				}
				return false
			}
			if rec(0, false) {
				return round
			}
		}
		frontier = next
	}
	t.Fatalf("no schedule within 12 rounds")
	return 0
}

// TestLowerBoundBruteForce checks on small teams that the bound never
// exceeds the true optimum, and equals it where the bound is tight.
func TestLowerBoundBruteForce(t *testing.T) {
	m := pairing.DefaultModel() // L = 2
	L := m.SessionsToKnow(pairing.Pair)
	tests := []struct {
		name   string
		n      int
		owners [][]int
		k      int
		tight  bool
	}{
		{"2 people, 1 project, k=2", 2, [][]int{{0}}, 2, true},
		{"3 people, 1 project, k=3 (a trio)", 3, [][]int{{0}}, 3, true},
		{"4 people, 1 project, k=3", 4, [][]int{{0}}, 3, true},
		{"4 people, 2 projects, k=2", 4, [][]int{{0}, {1}}, 2, true},
		{"4 people, 2 projects, k=3", 4, [][]int{{0}, {1}}, 3, true},
		{"4 people, 2 projects, one owner, k=2", 4, [][]int{{0}, {0}}, 2, false},
		{"5 people, 2 projects, k=3", 5, [][]int{{0}, {1}}, 3, false},
		{"5 people, 1 project, k=4", 5, [][]int{{0}}, 4, false},
		{"4 people, 2 owners of one project, k=4", 4, [][]int{{0, 1}}, 4, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fam := make([][]float64, len(tt.owners))
			for j, os := range tt.owners {
				for range os {
					fam[j] = append(fam[j], 1)
				}
			}
			b := LowerBound(m, tt.n, fam, tt.k, 1)
			truth := bruteRounds(t, tt.n, tt.owners, tt.k, L)
			if b.Rounds > truth || (tt.tight && b.Rounds != truth) {
				t.Errorf("bound %d (%+v), brute force %d, tight=%v", b.Rounds, b, truth, tt.tight)
			}
			t.Logf("bound %d, optimum %d", b.Rounds, truth)
		})
	}
}
