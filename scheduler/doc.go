// Package scheduler decides when things happen: the weekly round of each
// rotation on its own cron schedule and time zone (robfig/cron v3), catch-up
// of a round missed while the bot was down, idempotency keys so a job whose
// result already exists does nothing, and the outbox sender that delivers
// proposals exactly once.
//
// One Tick runs every rotation that is due. What every rotation reads
// alike (the workspace's sessions, its replayed knowledge, the open
// sessions) is read once per Tick and shared (workspace.go), so fifty
// rotations due in the same minute are planned in about a second
// (BenchmarkTickRotations).
//
// Each job reads what it needs in one snapshot, decides without I/O, and
// commits its result with its idempotency key in one store operation
// (QueueOnce, SavePlan; the sender's ClaimDue and Settle). The operations
// it uses are declared in store.go; its collaborators (the deliverer, the
// availability check, the clock, the logger) come through its
// constructors.
package scheduler
