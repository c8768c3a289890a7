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
//   - An import from git (EventImported) raises f to the share of the
//     project's files the person authors (Avelino's degree-of-authorship
//     criterion; see internal/gitimport) and holds it there: fading never
//     takes f below the level the last import showed. Authorship is a fact
//     about the repository as it is now, re-measured at every import or
//     sync (a share that falls because others rewrote the files lowers the
//     hold), not a memory that fades: an author of half a codebase does not
//     stop knowing it within months, the published truck factor has no
//     clock, and Krüger et al. (ICSE 2018) found that developers who edited
//     code repeatedly remember it far better than a forgetting curve says.
//     A declaration clears the hold: the person's own word wins.
//   - A learner's first commit to a project after a done session in which
//     they learned it (EventCommitted, found by CommitEvidence in a git
//     import and recorded once per person and project) raises f to 0.5
//     (Model.CommitLevel) if it is below: evidence that the session taught
//     something. It counts more than a self-report of "some" (0.4) because
//     it is observed work, not a claim: in the degree-of-authorship model
//     (Fritz et al.; Avelino et al.) commits are deliveries, the evidence
//     of knowing code, and a commit that reviewers accepted shows the
//     learner could change the project. It counts as much as KnowsAt and
//     no more: one commit makes a knower who could cover the project with
//     help, not an author (an author's share still comes from the import's
//     DOA, which the commit also feeds). It is not held like authorship:
//     it is a moment, and fades like a session.
//   - Whatever is not refreshed fades: f halves every 365 days, but never
//     drops below half of the person's peak for that project, because what
//     you once knew well you pick up again quickly.
//
// A person knows a project when f ≥ 0.5 (Knowers): they could cover it
// alone. With the defaults a newcomer needs two pair sessions:
// 0 → 0.35 → 0.5775.
//
// # The bus factor
//
// The bus factor of a project (BusFactor) is how many people on the team
// (not left) would have to leave before the project is more likely unknown
// than known. It is Avelino et al.'s greedy truck factor (ICPC 2016) on
// the coverage of the people who remain, C = 1 − Π(1 − f): the chance
// that a part of the project is known by at least one of them, if each
// person knows a share f of it independently. While C ≥ ½, the most
// familiar person leaves and the bus factor grows by one
// (CoverageBusFactor). For a project imported from git, f is each author's
// share of the files, so C is what the truck factor counts (the share of
// files with an author left) under independence: on the 67 top-level
// modules of four public repositories (internal/gitimport's
// TestRealHistoryAgreesWithPublishedTruckFactor) this bus factor equals
// the published module truck factor on 66. When every f is 0 or 1 it is
// the number of knowers; two authors of half a project count 2; three
// people a third of the way each count 2 (after one leaves, the other two
// still cover 1 − (2/3)² = 56%). The knower count is never above it and
// is shown beside it, because it catches what coverage forgives: shallow
// sessions spread thin.
//
// /pair who, /pair projects, /pair stats, the digest, the charts, the
// exports, the metrics and the simulator all count with BusFactor; the
// planner shows it in its reasons and works towards the target in knowers,
// which imply it (see "Risk" below). The team truck factor (TruckFactor)
// applies the same greedy to projects: a project is covered while C ≥ ½
// among those left, and the person with the most familiarity on covered
// projects leaves first, until more than half are uncovered.
//
// A worked example (ExampleKnowledge_BusFactor checks it). Git shows that
// Ana authors 6 of pricing's 10 files and Bo 4; both last committed two
// years ago. Ana's f is 0.6 and Bo's 0.4, held. Ana is the only knower;
// the bus factor is 1: without Ana, Bo covers 40% < ½. (Avelino's truck
// factor of the repository is 1 for the same reason.) Cy then has a pair
// session with Ana: f = 0.35. Without Ana, Bo and Cy cover
// 1 − 0.6·0.65 = 61% ≥ ½; without Ana and Bo, Cy covers 35%: the bus
// factor is 2, the knowers still only Ana.
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
//
// # The planner's objective
//
// PlanRound maximises the total value of a round's sessions. A session's
// value is what its learners are expected to gain, measured in ValueUnit
// points, with the knowledge model's own numbers:
//
//   - Progress. Familiarity is read on the depth scale h = −ln(1−f), where
//     every unrated session adds the same amount; a learner's progress is
//     the share of the way to "knows" (f = KnowsAt) that the session covers,
//     so a newcomer's first pair session is worth 0.62 and the second,
//     which finishes the way, 0.38. Depth gained beyond "knows" counts a
//     tenth (deepShare).
//   - Risk. Progress on a project is multiplied by 1 + 2·d (riskSlope),
//     where d is how far its knowers are below the target bus factor,
//     counted in sessions still needed (the bus factor is never below the
//     knower count, so a project with target-many knowers is at target,
//     and sessions spread thin, which raise the bus factor by coverage,
//     cannot stop the planner short of it): each missing knower counts the sessions its
//     closest learner part-way still needs (a newcomer all L of them),
//     divided by L. With target 3 and the defaults a project known only by
//     its owner weighs 5, the same project with two learners one session in
//     about 2.2, one at the target 1, so projects nobody has started yet
//     come first.
//   - Finishing. A session that turns its learner into a knower adds the
//     same weight again (finishBonus): the knower count only moves when a
//     learner crosses the line, and a learner one session away is the
//     cheapest bus factor there is. So the planner happily pairs two people
//     again to finish what they started.
//   - Budgets. A project below target only needs so many new learners this
//     round (its deficit minus those already part-way) and so many new
//     knowers (its deficit). Sessions beyond a project's budget are valued
//     as if the project were at target, so the round spreads over projects
//     instead of piling onto the riskiest one. Pairs are chosen by an exact
//     maximum-weight matching (package internal/matching) on their best
//     session's value; then, with the pairs fixed, each pair's project is
//     chosen by a second exact matching of pairs to budget places, so the
//     budgets hold exactly.
//   - Repeats. Two people who met within the last RepeatWindow rounds lose
//     up to half a point (less the longer ago it was) on a session that
//     starts something new; continuing or finishing a learner is never
//     penalised, because depth needs repeats.
//   - Trios. After the matching, a pair session whose two people are worth
//     more as the second learner of two other sessions is dissolved and its
//     people seated there (owner plus two learners), one session at a time
//     while the round's total value grows (rounds of up to 64 sessions).
//     While an owner is a project's only knower, a trio advances two
//     learners with one host's time, and it costs no more attendance than
//     a pair, since a session happens or not as a whole.
//   - Reviews. A pair where neither can host may still hold a review on a
//     project one of them has worked in clearly more than the other; such
//     sessions count half.
//   - Priority. Each person who sat out last round through no choice of
//     their own adds priorityBonus to every candidate session they are in,
//     so they are matched first.
//   - Hard rules. No session without a slot of SessionLength inside every
//     participant's working hours (Monday to Friday, each in their own time
//     zone); never two people who asked to avoid each other; a host knows
//     the project and a learner does not.
//
// Ties are broken by a tiny seeded jitter (below a thousandth of a point),
// so equally good plans differ from round to round and seed to seed, while
// the same input always gives the same plan.
package pairing
