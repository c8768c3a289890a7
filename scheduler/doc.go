// Package scheduler decides when things happen: the weekly round on the
// team's cron schedule (robfig/cron v3), catch-up of a round missed while
// the bot was down, idempotency keys so a job whose result already exists
// does nothing, and the outbox sender that delivers proposals exactly once.
package scheduler
