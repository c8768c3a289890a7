// Package pairing is Pollen's domain: the roster (Person), the codebases
// (Project), the sessions people hold (Session, Round), the knowledge model
// that says who knows what, and the bus factor that says where knowledge is
// dangerously concentrated.
//
// The package is pure: no I/O, no Slack, no database, no goroutines and no
// clock. Time always comes in as a parameter, and IDs are made by callers.
//
// # The knowledge model
//
// Familiarity f(person, project, t) is a number in [0, 1]: 1 means "knows it
// like its author", 0 "has never seen it". Pollen never stores f; it keeps
// an append-only log of events and replays them in time order (Replay):
//
//   - A project owner starts at f = 1.
//   - A declaration sets f to the declared level: expert 1.0, some 0.4,
//     none 0. It is the person's own word, so it also resets their peak.
//   - A done session raises each learner's f by g·(1−f): a learner closes a
//     share g of the distance to full familiarity, so the first session
//     teaches the most. g is 0.35 for a pair session and 0.20 for a review,
//     scaled by the learner's rating when there is one ((r+1)/4: a 1 halves
//     the gain, a 3 keeps it, a 5 adds half). The host's familiarity is
//     refreshed: teaching brings it back to its peak.
//   - Whatever is not refreshed fades: f halves every 365 days, but never
//     drops below half of the person's peak for that project, because what
//     you once knew well you pick up again quickly.
//
// A person knows a project when f ≥ 0.5. With the defaults a newcomer needs
// two pair sessions: 0 → 0.35 → 0.5775. The bus factor of a project is the
// number of people on the team (not left) who know it. The team truck factor
// is the smallest number of people whose leaving would leave more than half
// of the active projects known by nobody, found greedily by removing the
// person who knows the most projects first, as in Avelino et al. (ICPC 2016).
//
// Every constant lives in Model; DefaultModel has the values above.
//
// # A worked example
//
// Ana owns churn-model (f = 1); Bo has never seen it. Its bus factor is 1.
//
//	day 7:   Ana hosts Bo for a pair session, unrated.
//	         Bo: f = 0 + 0.35·(1 − 0) = 0.35                  (not yet a knower)
//	day 14:  a second pair session, which Bo rates 5 (gain 0.35·1.5 = 0.525).
//	         In the week between, Bo faded a little: 0.35·2^(−7/365) = 0.345383.
//	         Bo: f = 0.345383 + 0.525·(1 − 0.345383) = 0.689055   (knows it: bus factor 2)
//	day 379: a year without touching it. Bo's f halves to 0.344527, which is
//	         exactly his floor (half his peak): he no longer knows it and the
//	         bus factor is back to 1. Ana, refreshed by hosting on day 14, has
//	         faded from 1 to 0.5 and still knows it.
//	day 744: another year: both stay at their floors, Bo 0.344527 and Ana 0.5.
//
// ExampleKnowledge_Apply checks these numbers.
package pairing
