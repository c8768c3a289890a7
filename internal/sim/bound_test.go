package sim

import (
	"fmt"
	"testing"
	"time"

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

// everyoneThere is a round supply with n people in which every proposed
// session happens.
func everyoneThere(n int) roundSupply {
	return func(int) (int, func(int) bool) { return n, func(int) bool { return true } }
}

// testModel is the model these tests are worked out for, spelled out so
// they do not move when pairing's defaults do: g = 0.35 and knows at 0.5,
// so a newcomer needs 2 sessions (0 → 0.35 → 0.5775), someone at 0.4 one.
var testModel = pairing.Model{KnowsAt: 0.5, PairGain: 0.35, ReviewGain: 0.2, HalfLife: 365 * 24 * time.Hour, FloorShare: 0.5, Expert: 1, Some: 0.4}

// ownersTeam is a boundTeam of n people where owners[j] lists project j's
// owners (people 0..n-1), under testModel.
func ownersTeam(n int, owners [][]int) boundTeam {
	bt := boundTeam{fresh: sessionsToKnow(testModel, 0), people: n}
	hosts := map[string]bool{}
	for _, os := range owners {
		var ks []string
		for _, o := range os {
			id := fmt.Sprint("p", o)
			ks = append(ks, id)
			hosts[id] = true
		}
		bt.knowers, bt.learners = append(bt.knowers, ks), append(bt.learners, nil)
	}
	bt.hosts = len(hosts)
	return bt
}

func TestSessionsToKnowFollowsTheModel(t *testing.T) {
	slow := testModel
	slow.PairGain, slow.ReviewGain = 0.2, 0.1
	tests := []struct {
		name string
		m    pairing.Model
		f    float64
		want int
	}{
		{"g = 0.35, newcomer", testModel, 0, 2},
		{"g = 0.35, some familiarity", testModel, 0.4, 1},
		{"g = 0.35, already knows", testModel, 0.7, 0},
		{"g = 0.2: 1 − 0.8^s ≥ 0.5 at s = 4", slow, 0, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sessionsToKnow(tt.m, tt.f); got != tt.want {
				t.Errorf("sessionsToKnow(%v) = %d, want %d", tt.f, got, tt.want)
			}
			if tt.f == 0 && tt.m.SessionsToKnow(pairing.Pair) != tt.want {
				t.Errorf("the model says %d sessions", tt.m.SessionsToKnow(pairing.Pair))
			}
		})
	}
	// Whatever pairing's defaults are, the replay agrees with the model's
	// own count for a newcomer.
	if m := pairing.DefaultModel(); sessionsToKnow(m, 0) != m.SessionsToKnow(pairing.Pair) {
		t.Errorf("default model: replay says %d sessions, the model %d", sessionsToKnow(m, 0), m.SessionsToKnow(pairing.Pair))
	}
}

func TestLowerBoundTerms(t *testing.T) {
	single := make([][]int, 12)
	for j := range single {
		single[j] = []int{j}
	}
	threeOwners := make([][]int, 12)
	for j := range threeOwners {
		threeOwners[j] = []int{j % 3}
	}
	tests := []struct {
		name                    string
		n                       int
		owners                  [][]int
		k                       int
		want, capacity, latency int
		host                    int
	}{
		// 48 learner sessions at 16 a round (8 trios).
		{"defaults, k=3", 24, single, 3, 3, 3, 2, 2},
		{"defaults, k=2", 24, single, 2, 2, 2, 2, 2},
		// Each owner alone teaches four projects, two sessions each.
		{"3 owners of 12 projects, k=3", 12, threeOwners, 3, 8, 7, 2, 8},
		{"8 people, 20 projects, k=3: 80 sessions at 5 a round", 8, make20(8), 3, 16, 16, 2, 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := lowerBound(ownersTeam(tt.n, tt.owners), tt.k, everyoneThere(tt.n))
			if b.Rounds != tt.want || b.CapacityRounds != tt.capacity || b.LatencyRounds != tt.latency || b.HostRounds != tt.host {
				t.Errorf("bound %+v, want %d = max(%d, %d, %d)", b, tt.want, tt.capacity, tt.latency, tt.host)
			}
		})
	}
	if b := lowerBound(ownersTeam(24, [][]int{{0}, {}}), 2, everyoneThere(24)); b.Rounds != -1 {
		t.Errorf("a project nobody knows: bound %+v, want -1", b)
	}
	// Missed sessions: with none of a round's sessions happening, the
	// round adds nothing.
	odd := func(r int) (int, func(int) bool) { return 24, func(int) bool { return r%2 == 0 } }
	if b := lowerBound(ownersTeam(24, single), 3, odd); b.Rounds != 6 {
		t.Errorf("every other round lost: bound %+v, want 6", b)
	}
}

// make20 is 20 projects owned in turn by n people.
func make20(n int) [][]int {
	owners := make([][]int, 20)
	for j := range owners {
		owners[j] = []int{j % n}
	}
	return owners
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
// exceeds the optimum of pair schedules (trios only when n is odd), which
// is at least the optimum with trios anywhere, and equals it where the
// bound is tight.
func TestLowerBoundBruteForce(t *testing.T) {
	L := testModel.SessionsToKnow(pairing.Pair) // 2
	tests := []struct {
		name   string
		n      int
		owners [][]int
		k      int
		tight  bool
	}{
		{"2 people, 1 project, k=2", 2, [][]int{{0}}, 2, true},
		{"3 people, 1 project, k=3 (a trio)", 3, [][]int{{0}}, 3, true},
		{"4 people, 1 project, k=3 (two trios: 2 rounds; pairs only: 4)", 4, [][]int{{0}}, 3, false},
		{"4 people, 2 projects, k=2", 4, [][]int{{0}, {1}}, 2, true},
		{"4 people, 2 projects, k=3", 4, [][]int{{0}, {1}}, 3, true},
		{"4 people, 2 projects, one owner, k=2", 4, [][]int{{0}, {0}}, 2, false},
		{"5 people, 2 projects, k=3", 5, [][]int{{0}, {1}}, 3, false},
		{"5 people, 1 project, k=4", 5, [][]int{{0}}, 4, false},
		{"4 people, 2 owners of one project, k=4", 4, [][]int{{0, 1}}, 4, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := lowerBound(ownersTeam(tt.n, tt.owners), tt.k, everyoneThere(tt.n))
			truth := bruteRounds(t, tt.n, tt.owners, tt.k, L)
			if b.Rounds > truth || (tt.tight && b.Rounds != truth) {
				t.Errorf("bound %d (%+v), brute force %d, tight=%v", b.Rounds, b, truth, tt.tight)
			}
			t.Logf("bound %d, optimum %d", b.Rounds, truth)
		})
	}
}
