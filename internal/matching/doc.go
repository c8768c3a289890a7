// Package matching finds an exact maximum-weight matching in a general
// graph: the tool Pollen's planner (package pairing) uses to choose the
// round's pairs and their projects. pairing says what a pair is worth;
// this package only finds the heaviest set of disjoint pairs.
//
// matching.go holds the entry points (MaxWeight, Weight) and the input
// normalisation in front of the blossom solver. The solver (solver.go and
// the other files) is a port of Joris van Rantwijk's mwmatching.py, the
// code behind NetworkX's max_weight_matching: Edmonds' blossom algorithm with
// the primal-dual method as described by Zvi Galil, "Efficient Algorithms for
// Finding Maximum Matching in Graphs", ACM Computing Surveys 18(1), 1986.
// Weights are integers and, as in van Rantwijk's code, vertex duals are kept
// doubled, so every step is exact int64 arithmetic and the result is a true
// optimum, certified by a feasible dual solution, not an approximation.
//
// Why our own port and not a library: gonum, the well-kept Go numerics
// library, has no general-graph matching, and the Go blossom ports that
// exist are small single-purpose packages, none of them available to us.
// A matching that is only approximately right would make every plan
// suspect, so the port is checked against NetworkX itself on random graphs
// (matching_test.go, through the test oracle in ./networkx) and on the
// planner's own graphs (pairing/plan_networkx_test.go). Benchmarks sit
// beside the tests: go test -run XXX -bench . ./internal/matching/
//
// Two bookkeeping changes (described in solver.go) replace the O(n)
// scans that mwmatching.py does per augmentation and per dual update; they
// make a 10,000-vertex top-k graph take well under a second instead of
// several, without changing what is computed.
package matching
