// Package sim simulates a team over many weekly rounds under several
// pairing policies, to show how fast each spreads knowledge of the team's
// projects and how close Pollen's planner comes to the best possible.
//
// It is pure: Run takes a Config and returns a Result; Write prints it as
// a table, JSON or CSV. The same Config always gives the same Result.
//
// # The run
//
// A synthetic team has People people and Projects projects, each known at
// the start only by its one owner (owners spread over the team, or skewed
// so a few people own most; optionally a share of people already know two
// or three other projects). Every round each policy proposes sessions, and
// each proposed session happens with probability Attendance. A session
// that happens is applied with pairing's knowledge model (gains, the
// host's refresh, fading), so the simulator and the product agree on what
// a session is worth. People can leave and join at optional rates.
//
// The policies are compared with common random numbers: for one seed they
// start from the same team, see the same leavers and joiners, and draw
// whether a session happens from the same per-person, per-round number
// (read off the participant with the smallest ID), so differences come
// from the pairing and not from luck.
//
//   - random: uniform random pairs; the odd person sits out.
//   - rotation: a pair-rotation board (Parrit): in random order, each
//     unpaired person takes the partner they paired with least recently.
//   - round-robin: the circle method, everyone meets everyone once every
//     N−1 rounds.
//   - greedy: what a sensible team lead does by hand: first everyone
//     part-way to knowing a project gets a session with someone who knows
//     it (lowest bus factor first), then random pairs of the rest, each
//     teaching the lowest bus factor project exactly one of them knows.
//   - pollen: pairing.PlanRound, given what the scheduler gives it: the
//     roster with each person's zone and working hours, avoid lists, the
//     round's skips, the last rounds' sessions (repeats, biweekly off
//     weeks), who sat out, and the team's settings.
//
// Random, rotation and round-robin share one session chooser: a random
// project that exactly one of the two knows, taught by that one (no
// session if none). Every policy plays by the bot's rules: people paused,
// skipping the round or in their biweekly off week take no part, a pair on
// someone's avoid list or without an hour of shared working time (each in
// their own zone) has no session, and a real team has no round in its
// holidays. A synthetic team is in UTC unless Config.Zones spreads it.
//
// # The lower bound
//
// Bound is the fewest rounds any policy can need before every project has
// bus factor k, under the session model: each round everyone is in
// at most one session; a session is a host who knows the project teaching
// one learner who does not, except that when N is odd one session per
// round may be a trio with two learners; familiarity never fades (fading
// only slows things down, so the bound stays a bound).
//
//  1. Sessions per new knower. A learner at familiarity f needs s(f)
//     sessions, the smallest s with 1−(1−f)(1−g)^s ≥ KnowsAt; from scratch
//     s = L = SessionsToKnow (2 with g = 0.35: 0 → 0.35 → 0.5775).
//  2. Sessions needed. Project j, known by b_j people, needs k−b_j new
//     knowers; cheapest are the people closest to knowing it. S is the sum
//     over projects of their s(f).
//  3. Capacity. A round holds at most ⌈N/2⌉ learner sessions (N/2 pairs,
//     or (N−3)/2 pairs and a trio), and only a share p of them happen, so
//     R ≥ ⌈S / (⌈N/2⌉·p)⌉. For p < 1 this bounds the expected number of
//     rounds (Wald's identity), not every run.
//  4. Latency, where hosts are scarce. A new knower needs L sessions, at
//     most one per round, and only knowers teach, one learner each per
//     round. For one project on its own the fewest rounds to go from b to
//     k knowers is found by searching every schedule (latency); from one
//     owner it is L for k = 2 and 2L for k = 3: the owner alone teaches
//     until the first learner knows, at round t₁ ≥ L, so the second learner
//     has had at most t₁−L sessions and needs 2L−t₁ more rounds. With a
//     trio (odd N) the owner can teach two learners at once: L rounds.
//  5. R_LB = max(capacity, latency), or "never" when a project has no
//     knower at all.
//
// On the defaults (N = 24, P = 12 single-owner projects, g = 0.35, k = 3):
// L = 2, S = 12·2·2 = 48, capacity ⌈48/12⌉ = 4 and latency 2L = 4, so the
// bound is 4 rounds with everyone attending and ⌈48/9.6⌉ = 5 with p = 0.8;
// for k = 2 it is 2 and 3. TestLowerBoundBruteForce checks the bound
// against an exhaustive search on small teams.
//
// The bound ignores that one person can host only one project a round, so
// it is loose when one person owns several projects.
//
// Trios. The bound is built on pairs, and Pollen's planner deliberately
// forms trios (an owner and two learners), so it is not a bound on Pollen
// any more, only on pair policies such as the three baselines. With trios
// a round holds up to ⌊2N/3⌋ learner sessions (every host teaching two),
// so the capacity term becomes ⌈48/16⌉ = 3 on the defaults with everyone
// attending and ⌈48/12.8⌉ = 4 with p = 0.8, and the latency of one project
// drops to L. With everyone attending 4 is still the fewest rounds on the
// defaults: in 3 rounds each person can finish at most one project (L = 2)
// and host once, which the 24 new knowers and 24 sessions use up exactly,
// so the 12 newcomers would all have to host in round 3, 36 people. With
// p = 0.8 Pollen's median is 5–6 against this table's 5, and single runs
// reach 4. The sim prints the trio capacity term beside the pair bound
// (Bound.TrioCapacityRounds); a full bound for trio policies with missed
// sessions, with its latency term, is not derived here.
package sim
