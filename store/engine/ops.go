package engine

import (
	"context"
	"slices"

	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// The store's operations. Callers (bot/, scheduler/, internal/) see these
// and the value types below, never a transaction or a bbolt type: a
// decision is a function from what it reads (a Reader) to what it writes
// (a Change), and the store runs the read, the decision and the write in
// one transaction. Every operation takes a context and refuses to start
// once it is done; a started transaction runs to its end (bbolt cannot
// stop one half-way, and a commit is short).

// Team reads the roster, projects, knowledge log and settings.
func (t *Tx) Team() (store.Team, error) {
	var tm store.Team
	var err error
	if tm.People, err = t.People(); err != nil {
		return tm, err
	}
	if tm.Projects, err = t.Projects(); err != nil {
		return tm, err
	}
	if tm.Events, err = t.Events(); err != nil {
		return tm, err
	}
	tm.Settings, err = t.Settings()
	return tm, err
}

// reader hands a decision the transaction's reads and nothing else: it
// cannot be asserted back into a *Tx that writes.
func (t *Tx) reader() store.Reader { return struct{ store.Reader }{t} }

// apply writes c in t.
func (t *Tx) apply(c store.Change) (store.Applied, error) {
	var a store.Applied
	for _, r := range c.Rotations {
		if err := t.PutRotation(r); err != nil {
			return a, err
		}
	}
	for _, p := range c.People {
		if err := t.PutPerson(p); err != nil {
			return a, err
		}
	}
	for _, p := range c.Projects {
		if err := t.PutProject(p); err != nil {
			return a, err
		}
	}
	t.prefetchChange(c)
	for _, s := range c.Sessions {
		if err := t.PutSession(s); err != nil {
			return a, err
		}
	}
	for _, r := range c.Rounds {
		if err := t.PutRound(r); err != nil {
			return a, err
		}
	}
	for _, e := range c.Events {
		added, err := t.AppendEvent(e)
		if err != nil {
			return a, err
		}
		if added {
			a.Events++
		}
	}
	if c.Settings != nil {
		if err := t.PutSettings(*c.Settings); err != nil {
			return a, err
		}
	}
	for k, v := range c.Values {
		if err := t.PutSetting(k, v); err != nil {
			return a, err
		}
	}
	for _, it := range c.Outbox {
		if err := t.PutOutbox(it); err != nil {
			return a, err
		}
	}
	for _, id := range c.Sent {
		if err := t.DeleteOutbox(id); err != nil {
			return a, err
		}
	}
	for _, r := range c.Done {
		if err := t.MarkDone(r); err != nil {
			return a, err
		}
	}
	for _, m := range c.Messages {
		if err := t.PutMessage(m.SessionID, m.Kind, m.Ref); err != nil {
			return a, err
		}
	}
	return a, nil
}

// Snapshot runs read in one read-only transaction: everything it reads is
// one consistent state.
func (db *DB) Snapshot(ctx context.Context, read func(store.Reader) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return db.in(ctx).view(ctx, func(tx *Tx) error { return read(tx.reader()) })
}

// LoadTeam reads the roster, projects, knowledge log and settings.
func (db *DB) LoadTeam(ctx context.Context) (store.Team, error) {
	var t store.Team
	err := db.Snapshot(ctx, func(r store.Reader) (err error) { t, err = r.Team(); return err })
	return t, err
}

// Apply runs decide in one read-write transaction and commits the Change
// it returns. If decide fails (ErrUnchanged included), nothing is written
// and its error is returned as it is. Applies made at the same time share
// a transaction and its commit (batch.go), unless ctx carries a fence.
func (db *DB) Apply(ctx context.Context, decide func(store.Reader) (store.Change, error)) (store.Applied, error) {
	if err := ctx.Err(); err != nil {
		return store.Applied{}, err
	}
	in := db.in(ctx)
	if in.fence == nil && in.batch != nil {
		return in.applyBatched(ctx, decide) // batch.go
	}
	var a store.Applied
	err := in.update(ctx, func(tx *Tx) error {
		c, err := decide(tx.reader())
		if err != nil {
			return err
		}
		a, err = tx.commit(c)
		return err
	})
	if err != nil {
		return store.Applied{}, err
	}
	return a, nil
}

// commit applies c, then its welcomes (after the roster writes that make
// the people new).
func (t *Tx) commit(c store.Change) (store.Applied, error) {
	a, err := t.apply(c)
	if err != nil {
		return a, err
	}
	for _, id := range c.Welcome {
		if slices.Contains(a.Welcomed, id) {
			continue
		}
		ok, err := t.WelcomeOnce(id, c.At)
		if err != nil {
			return a, err
		}
		if ok {
			a.Welcomed = append(a.Welcomed, id)
		}
	}
	return a, nil
}

// UpdateMember loads the person with this ID, lets change modify them and
// say what else to write, and saves them with it in one transaction. A
// person who is not on the roster, or left it, is an error wrapping
// pairing.ErrNotFound and change is not called.
func (db *DB) UpdateMember(ctx context.Context, id string, change func(p *pairing.Person, r store.Reader) (store.Change, error)) (pairing.Person, error) {
	var p pairing.Person
	_, err := db.Apply(ctx, func(r store.Reader) (store.Change, error) {
		var err error
		if p, err = r.Person(id); err != nil {
			return store.Change{}, err
		}
		if p.Status == pairing.Left {
			return store.Change{}, notFound("person", id)
		}
		c, err := change(&p, r)
		if err != nil {
			return store.Change{}, err
		}
		c.People = append(c.People, p)
		return c, nil
	})
	return p, err
}

// UpdateSession loads the session with this ID, lets change modify it and
// say what else to write, and saves them together. change may return
// ErrUnchanged to write nothing; the session is returned as loaded. The
// change reads and writes in the session's own rotation (the one whose
// round proposed it), whichever rotation ctx names: a decline re-pairs
// from that rotation's round and roster.
func (db *DB) UpdateSession(ctx context.Context, id string, change func(s *pairing.Session, r store.Reader) (store.Change, error)) (pairing.Session, error) {
	if err := ctx.Err(); err != nil {
		return pairing.Session{}, err
	}
	var s pairing.Session
	err := db.in(ctx).update(ctx, func(tx *Tx) error {
		var err error
		if s, err = tx.Session(id); err != nil {
			return err
		}
		if s.Rotation != "" && db.rot == "" {
			in := *tx
			in.rot = s.Rotation
			tx = &in
		}
		c, err := change(&s, tx.reader())
		if err != nil {
			return err
		}
		c.Sessions = append(c.Sessions, s)
		_, err = tx.commit(c)
		return err
	})
	return s, err
}

// UpdateSettings lets change modify the team settings and say what else
// to write, and saves them together.
func (db *DB) UpdateSettings(ctx context.Context, change func(s *pairing.TeamSettings, r store.Reader) (store.Change, error)) (pairing.TeamSettings, error) {
	var s pairing.TeamSettings
	_, err := db.Apply(ctx, func(r store.Reader) (store.Change, error) {
		var err error
		if s, err = r.Settings(); err != nil {
			return store.Change{}, err
		}
		c, err := change(&s, r)
		if err != nil {
			return store.Change{}, err
		}
		c.Settings = &s
		return c, nil
	})
	return s, err
}

// Settings reads the team settings (the defaults if none were saved).
func (db *DB) Settings(ctx context.Context) (pairing.TeamSettings, error) {
	var s pairing.TeamSettings
	err := db.Snapshot(ctx, func(r store.Reader) (err error) { s, err = r.Settings(); return err })
	return s, err
}

// Session reads one session; the error wraps pairing.ErrNotFound when
// there is none.
func (db *DB) Session(ctx context.Context, id string) (pairing.Session, error) {
	var s pairing.Session
	err := db.Snapshot(ctx, func(r store.Reader) (err error) { s, err = r.Session(id); return err })
	return s, err
}

// Person reads one person; the error wraps pairing.ErrNotFound when there
// is none.
func (db *DB) Person(ctx context.Context, id string) (pairing.Person, error) {
	var p pairing.Person
	err := db.Snapshot(ctx, func(r store.Reader) (err error) { p, err = r.Person(id); return err })
	return p, err
}

// prefetchChange tells the backend which records applying c will look at
// (a session's old state, whether an event is in the log already).
func (t *Tx) prefetchChange(c store.Change) {
	keys := func(n int, id func(i int) string) [][]byte {
		var out [][]byte
		for i := range n {
			if k, err := uuidKey(id(i)); err == nil {
				out = append(out, k)
			}
		}
		return out
	}
	sessions := keys(len(c.Sessions), func(i int) string { return c.Sessions[i].ID })
	events := keys(len(c.Events), func(i int) string { return c.Events[i].ID })
	if m, ok := t.tx.(manyPrefetcher); ok && len(sessions)+len(events) > 0 {
		// With the counts of the sessions' new states (PutSession adds
		// to them), in one round trip (pg_prefetch.go).
		var states [][]byte
		for _, s := range c.Sessions {
			states = append(states, []byte(s.State))
		}
		m.prefetchAll(map[string][][]byte{string(bucketSessions): sessions, string(bucketEvents): events, string(bucketStates): states})
		return
	}
	prefetch(t.tx.Bucket(bucketSessions), sessions)
	prefetch(t.tx.Bucket(bucketEvents), events)
}

// in is db seen from the rotation ctx names, unless db was opened on a
// rotation already (DB.Rotation), which wins.
func (db *DB) in(ctx context.Context) *DB {
	out := db
	if id := store.RotationOf(ctx); db.rot == "" && id != pairing.DefaultRotation {
		out = db.Rotation(id)
	}
	if f, ok := store.FenceOf(ctx); ok {
		if out == db {
			c := *db
			out = &c
		}
		out.fence = &f
	}
	return out
}

// Rotations reads every rotation of the workspace, stopped ones too.
func (db *DB) Rotations(ctx context.Context) ([]pairing.Rotation, error) {
	all, _, err := db.Routing(ctx, "")
	return all, err
}

// Routing reads, in one snapshot, every rotation of the workspace (stopped
// ones too) and, when person is not empty, the rotations person is a
// member of and has not left (Reader.RotationsOf): what a command reads
// to know which rotation it acts on. Every command asks it first, so on
// PostgreSQL it is one statement, shared by the commands that ask at the
// same moment (pg_preload.go).
func (db *DB) Routing(ctx context.Context, person string) (all, mine []pairing.Rotation, err error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	read := func(tx *Tx) error {
		if all, err = tx.Rotations(); err != nil || person == "" {
			mine = nil
			return err
		}
		mine, err = tx.RotationsOf(person)
		return err
	}
	in := db.in(ctx)
	if in.pg != nil {
		// Bounded as every call is (db.go bound): the group's statement
		// has its own, but a reader that then reads alone has only ctx.
		bctx, cancel := in.bound(ctx)
		defer cancel()
		err = in.timedOut(bctx, in.pg.routing(bctx, person, func(kv kvTx) error { return read(&Tx{tx: kv, rot: in.rot}) }))
	} else {
		err = in.view(ctx, read)
	}
	if err != nil {
		return nil, nil, err
	}
	return all, mine, nil
}
