package gitimport

import "slices"

// TruckFactor is the repository's truck factor by the greedy algorithm of
// Avelino et al. (ICPC 2016): the number of top authors that have to leave
// before more than half of the files have no author left. See
// TruckFactorAuthors.
func TruckFactor(files []File) int { return len(TruckFactorAuthors(files)) }

// TruckFactorAuthors lists, in order, the authors the greedy truck factor
// removes. While at least half of the files still have an author (coverage
// ≥ 50%), it removes the author of the most files; it stops as soon as
// coverage drops below 50%, as GreedyTruckFactor does in Avelino's tool.
// A repository that starts below 50% coverage has a truck factor of 0.
//
// Each author's count is the number of files they author in the whole
// repository, which removing others does not change. On a tie the smaller
// key goes first, so the answer does not depend on map order. The pruning
// of Avelino's default run (dropping removed authors with less than 10% of
// the top author's files) is not applied.
func TruckFactorAuthors(files []File) []string {
	if len(files) == 0 {
		return nil
	}
	owned := make(map[string]int)      // files per author
	holders := make([]int, len(files)) // remaining authors per file
	for i, f := range files {
		for j, a := range f.Authors {
			if !slices.Contains(f.Authors[:j], a) { // count each author once
				owned[a]++
				holders[i]++
			}
		}
	}
	covered := 0
	for _, n := range holders {
		if n > 0 {
			covered++
		}
	}
	var removed []string
	for 2*covered >= len(files) && len(owned) > 0 {
		top := ""
		for a, n := range owned {
			if top == "" || n > owned[top] || n == owned[top] && a < top {
				top = a
			}
		}
		delete(owned, top)
		removed = append(removed, top)
		for i, f := range files {
			if slices.Contains(f.Authors, top) {
				if holders[i]--; holders[i] == 0 {
					covered--
				}
			}
		}
	}
	return removed
}
