// Package store keeps Pollen's state in one bbolt file: the roster, the
// projects, the sessions and rounds, the append-only knowledge log and the
// team settings.
//
// Methods speak pairing types in and out; bbolt types never leave this
// package. Records are JSON, keyed so that bbolt's byte order is the order
// we read them in: sessions and events by their UUID v7 (which starts with a
// timestamp), people by Slack user ID, projects by name, rounds by ISO week.
//
// Writes that belong together happen in one transaction (DB.Update with a
// *Tx), and every write is idempotent: putting the same record twice leaves
// one record, appending an event whose ID is already in the log does nothing.
// bbolt fsyncs every commit, so an acknowledged write survives a crash.
package engine
