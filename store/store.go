// Package store is the contract between Pollen and its database: the
// values a decision reads and writes, and nothing that stores them. A
// decision is a pure function from what it reads (a Reader: one
// consistent state) to what it writes (a Change); the database runs the
// read, the decision and the write in one transaction. The bot, the
// scheduler and the commands depend on this package and on small
// interfaces of operations they declare themselves; the implementation,
// on bbolt or PostgreSQL, is store/engine, which only the wiring in the
// root package opens. store/storetest is the conformance suite every
// implementation passes.
package store

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/pollen-team/pollen/outbox"
	"github.com/pollen-team/pollen/pairing"
)

// Team is the roster and what it knows, read at one instant.
type Team struct {
	People   []pairing.Person
	Projects []pairing.Project
	Events   []pairing.Event
	Settings pairing.TeamSettings
}

// Reader is what a decision may read inside an operation, all from one
// consistent state: the state the decision's Change is committed over.
type Reader interface {
	Team() (Team, error)
	Settings() (pairing.TeamSettings, error)
	// Setting decodes the setting at key into v and reports whether it
	// was set.
	Setting(key string, v any) (bool, error)
	Person(id string) (pairing.Person, error)
	People() ([]pairing.Person, error)
	// RosterDigest is a hash of every person record: equal digests, same
	// roster (see Tx.RosterDigest).
	RosterDigest() [sha256.Size]byte
	Project(name string) (pairing.Project, error)
	Projects() ([]pairing.Project, error)
	Session(id string) (pairing.Session, error)
	Sessions() ([]pairing.Session, error)
	OpenSessions() ([]pairing.Session, error)
	Round(id string) (pairing.Round, error)
	Rounds() ([]pairing.Round, error)
	Events() ([]pairing.Event, error)
	// Done reports whether the job with this idempotency key has run.
	Done(key string) bool
	// Message is where the message of a kind about a session went.
	Message(sessionID string, kind outbox.Kind) (outbox.MessageRef, bool, error)
	OutboxItem(id string) (outbox.Item, bool, error)
	OutboxDepth() int
	// Rotations lists every rotation of the workspace, stopped ones too.
	Rotations() ([]pairing.Rotation, error)
	// PeopleIn is the roster of another rotation, as People is of this
	// one (a cross-team rotation pairs its member rotations' people).
	PeopleIn(rotation string) ([]pairing.Person, error)
	// RotationsOf lists the rotations, stopped ones too, a person is a
	// member of and has not left, by ID: the DM routing's question, read
	// from their memberships, not from every roster.
	RotationsOf(person string) ([]pairing.Rotation, error)
	// Outbox is every unsent item, oldest first.
	Outbox() ([]outbox.Item, error)
	// SetAsideCount is how many damaged records were set aside so far.
	SetAsideCount() int
}

// Message records where a message about a session went.
type Message struct {
	SessionID string
	Kind      outbox.Kind
	Ref       outbox.MessageRef
}

// Change is what one decision writes; the store commits all of it
// together, with the reads the decision made, or none of it. Records are
// put whole (a second put of the same record leaves one); events are
// appended unless their ID is already in the log.
type Change struct {
	Rotations []pairing.Rotation
	People    []pairing.Person
	Projects  []pairing.Project
	Sessions  []pairing.Session
	Rounds    []pairing.Round
	Events    []pairing.Event
	Settings  *pairing.TeamSettings
	// Values are other settings by key (JSON), e.g. the scheduler's epoch.
	Values map[string]any
	// Outbox queues messages; Sent removes delivered items by ID.
	Outbox []outbox.Item
	Sent   []string
	// Done marks idempotency keys as run, with the result they produced.
	Done     []Run
	Messages []Message
	// Welcome queues the one welcome DM for each of these people who was
	// never welcomed (see Tx.WelcomeOnce), stamped At.
	Welcome []string
	At      time.Time
}

// Add appends another change's writes to c.
func (c *Change) Add(o Change) {
	c.Rotations = append(c.Rotations, o.Rotations...)
	c.People = append(c.People, o.People...)
	c.Projects = append(c.Projects, o.Projects...)
	c.Sessions = append(c.Sessions, o.Sessions...)
	c.Rounds = append(c.Rounds, o.Rounds...)
	c.Events = append(c.Events, o.Events...)
	if o.Settings != nil {
		c.Settings = o.Settings
	}
	for k, v := range o.Values {
		if c.Values == nil {
			c.Values = map[string]any{}
		}
		c.Values[k] = v
	}
	c.Outbox = append(c.Outbox, o.Outbox...)
	c.Sent = append(c.Sent, o.Sent...)
	c.Done = append(c.Done, o.Done...)
	c.Messages = append(c.Messages, o.Messages...)
	c.Welcome = append(c.Welcome, o.Welcome...)
	if c.At.IsZero() {
		c.At = o.At
	}
}

// Applied says what a committed Change did beyond what it asked.
type Applied struct {
	// Events is how many of the Change's events were new to the log.
	Events int
	// Welcomed lists the people whose welcome was queued now.
	Welcomed []string
}

// ErrUnchanged, returned by a decision, says there is nothing to write:
// the operation commits nothing and returns it, so the caller can answer
// "nothing to change".
var ErrUnchanged = errors.New("nothing to change")

type ctxRotation struct{}

// WithRotation is ctx for a request about one rotation: the operations
// run with it read and write that rotation's roster, rounds and settings
// (as on db.Rotation(id)). A slash command typed in a rotation's channel
// carries its rotation this way through every operation it runs.
func WithRotation(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, ctxRotation{}, id)
}

// RotationOf is the rotation ctx is about; pairing.DefaultRotation if none.
func RotationOf(ctx context.Context) string {
	if id, ok := ctx.Value(ctxRotation{}).(string); ok && id != "" {
		return id
	}
	return pairing.DefaultRotation
}

// Stat is what can be known of a committed state without reading its
// records.
type Stat struct {
	// Version identifies the committed state: it moves when a write
	// commits, and only then, so equal versions mean the same data.
	Version uint64
	// Sessions is how many sessions are in each state.
	Sessions map[pairing.State]int
}

// Job is a job's idempotency key and the message it queues, if any: a
// job that decided to send nothing still marks its key, with the reason in
// Run.Result, so it is not decided again.
type Job struct {
	Run  Run
	Item *outbox.Item
}

// Claim is what ClaimDue found in the outbox.
type Claim struct {
	// Items are due now, oldest first, with their Attempts already counted
	// and committed.
	Items []outbox.Item
	// Next is when the earliest item still waiting is due; zero when none
	// waits.
	Next time.Time
	// SetAside are records that did not decode, moved out of the outbox
	// (Tx.SetAside) in their own transaction; the caller reports them.
	SetAside []BadRecord
	// HeldUntil is when another replica may claim the Items again (the
	// claim's hold runs out, PostgreSQL); zero when nobody else can (a
	// bbolt file has one process). A sender starts no delivery that could
	// run past it.
	HeldUntil time.Time
}

// Settlement is how a batch of claimed items ended.
type Settlement struct {
	// Sent are delivered (or dropped for good) and leave the outbox; a
	// session's message with a timestamp is recorded (Message) so it can be
	// updated later.
	Sent []Delivered
	// Retry are put back as given: with a later NotBefore and the last
	// error, or with their attempt given back when they were never tried.
	Retry []outbox.Item
}

// Delivered is a claimed item that left the outbox and where it went (a
// zero Ref when it was dropped, or skipped as nothing to say).
type Delivered struct {
	Item outbox.Item
	Ref  outbox.MessageRef
}

// ErrRosterChanged says that a person record changed between the read a
// plan was made from and the transaction that would save it: nothing was
// saved, and the round is to be planned again from the new roster.
var ErrRosterChanged = errors.New("the roster changed while the round was planned")

// ErrBadRecord is wrapped by every error about a stored record that does
// not decode: the bytes on disk are damaged or were written by something
// that is not Pollen. Callers test it with errors.Is to set such a record
// aside instead of failing the same way on every read.
var ErrBadRecord = errors.New("record does not decode")

// BadRecord is a stored record that does not decode.
type BadRecord struct {
	Bucket string
	Key    []byte
	Err    error
}

func (r BadRecord) Error() string {
	return fmt.Sprintf("%s/%x: %v", r.Bucket, r.Key, r.Err)
}

func (r BadRecord) Unwrap() []error { return []error{ErrBadRecord, r.Err} }

// Run is the record of a job that is done, under its idempotency key
// ("round/2026-W48", "retro/<session>", "digest/2026-W48").
type Run struct {
	Key    string    `json:"key"`
	At     time.Time `json:"at"`
	Result string    `json:"result,omitempty"`
}

// NewID returns a new UUID v7 for a session or an event. Its first 48 bits
// are the current Unix time in milliseconds, so keys made from it sort by
// creation time in bbolt.
func NewID() string { return uuid.Must(uuid.NewV7()).String() }

// Fence is a scheduler leader's lease as its writes carry it: the writes
// of a request whose context holds a Fence commit only while the lease is
// still the holder's (store/engine checks it in the write's transaction),
// so a leader that was paused past its lease cannot write what a newer
// leader decides.
type Fence struct {
	Token  int64
	Holder string
}

// ErrNotLeader is the error of a fenced write whose lease has passed to
// another replica or expired.
var ErrNotLeader = errors.New("this replica is no longer the scheduler's leader")

type ctxFence struct{}

// WithFence is ctx for the writes of the leader holding f.
func WithFence(ctx context.Context, f Fence) context.Context {
	return context.WithValue(ctx, ctxFence{}, f)
}

// FenceOf is the lease ctx's writes are fenced by, if any.
func FenceOf(ctx context.Context) (Fence, bool) {
	f, ok := ctx.Value(ctxFence{}).(Fence)
	return f, ok
}
