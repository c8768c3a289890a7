package slackfake

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// Envelope types.
const (
	EnvelopeSlashCommands = "slash_commands"
	EnvelopeInteractive   = "interactive"
	EnvelopeEventsAPI     = "events_api"
)

// envKind says how an ack payload is routed.
type envKind int

const (
	kindRaw envKind = iota
	kindSlash
	kindBlockActions
	kindViewSubmission
	kindEvent
)

// pending is one envelope waiting for its ack.
type pending struct {
	id      string
	typ     string
	payload json.RawMessage
	accepts bool
	kind    envKind
	user    string
	channel string
	command string
	viewID  string

	attempt int
	reason  string
	sentAt  time.Time
	conn    *wsConn       // connection of the last delivery
	lost    chan struct{} // signalled when that connection closes unacked
	acked   bool
	ack     Ack
	done    chan struct{}
}

// frame renders the envelope. The payload is copied verbatim, so SendRaw can
// deliver malformed JSON on purpose.
func (p *pending) frame() []byte {
	var b bytes.Buffer
	id, _ := json.Marshal(p.id)
	typ, _ := json.Marshal(p.typ)
	b.WriteString(`{"envelope_id":`)
	b.Write(id)
	b.WriteString(`,"payload":`)
	if len(p.payload) == 0 {
		b.WriteString("null")
	} else {
		b.Write(p.payload)
	}
	b.WriteString(`,"type":`)
	b.Write(typ)
	b.WriteString(`,"accepts_response_payload":` + strconv.FormatBool(p.accepts))
	if p.typ == EnvelopeEventsAPI {
		reason, _ := json.Marshal(p.reason)
		b.WriteString(`,"retry_attempt":` + strconv.Itoa(p.attempt) + `,"retry_reason":`)
		b.Write(reason)
	}
	b.WriteString("}")
	return b.Bytes()
}

// newEnvelopeIDLocked returns a UUID-shaped envelope ID.
func (s *Server) newEnvelopeIDLocked() string {
	s.seq++
	n := s.seq
	return fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", uint32(n*2654435761), n&0xffff, n&0xfff, (n>>12)&0xfff, n)
}

// send registers p, delivers it and waits for its ack. events_api envelopes
// are delivered again when their ack is late (WithEventRedelivery).
func (s *Server) send(ctx context.Context, p *pending) (Ack, error) {
	p.done, p.lost = make(chan struct{}), make(chan struct{}, 1)
	s.mu.Lock()
	if p.id == "" {
		p.id = s.newEnvelopeIDLocked()
	}
	s.pending[p.id] = append(s.pending[p.id], p)
	s.mu.Unlock()
	if err := s.deliver(ctx, p); err != nil {
		return Ack{EnvelopeID: p.id}, err
	}
	var retry <-chan time.Time
	if p.typ == EnvelopeEventsAPI && s.redeliverAfter > 0 {
		t := time.NewTicker(s.redeliverAfter)
		defer t.Stop()
		retry = t.C
	}
	for {
		select {
		case <-p.done:
			s.mu.Lock()
			defer s.mu.Unlock()
			return p.ack, nil
		case <-retry:
			s.mu.Lock()
			again := !p.acked && p.attempt < s.maxRetries
			if again {
				p.attempt++
				p.reason = "timeout"
			}
			s.mu.Unlock()
			if again {
				s.debugf("envelope %s: no ack after %s, retry %d", p.id, s.redeliverAfter, p.attempt)
				if err := s.deliver(ctx, p); err != nil {
					return Ack{EnvelopeID: p.id}, err
				}
			}
		case <-p.lost:
			s.mu.Lock()
			acked := p.acked
			s.mu.Unlock()
			if !acked {
				s.debugf("envelope %s: connection lost before the ack, delivering again", p.id)
				if err := s.deliver(ctx, p); err != nil {
					return Ack{EnvelopeID: p.id}, err
				}
			}
		case <-ctx.Done():
			return Ack{EnvelopeID: p.id}, fmt.Errorf("slackfake: no ack for %s envelope %s: %w", p.typ, p.id, ctx.Err())
		case <-s.done:
			return Ack{EnvelopeID: p.id}, ErrClosed
		}
	}
}

// deliver writes p to one live connection, waiting for one if needed.
func (s *Server) deliver(ctx context.Context, p *pending) error {
	for {
		c, wait := s.pickConn()
		if c == nil {
			select {
			case <-wait:
				continue
			case <-ctx.Done():
				return fmt.Errorf("slackfake: no Socket Mode connection for %s envelope: %w", p.typ, ctx.Err())
			case <-s.done:
				return ErrClosed
			}
		}
		s.mu.Lock()
		p.sentAt, p.conn = time.Now(), c
		data := p.frame()
		s.mu.Unlock()
		if err := s.writeFrame(c, data); err != nil {
			s.debugf("conn %d: write failed, dropping: %v", c.id, err)
			s.removeConn(c)
			_ = c.ws.Close()
			continue
		}
		s.mu.Lock()
		live := slices.Contains(s.conns, c)
		if !live {
			p.conn = nil
		}
		s.mu.Unlock()
		if !live { // closed while we wrote: deliver on another connection
			continue
		}
		return nil
	}
}

// connGoneLocked tells the senders of envelopes still unacked on c that c
// is gone, so they deliver them again on another connection. (Slack would
// only retry events_api; doing it for every type keeps tests deterministic
// when a test races a reconnect.)
func (s *Server) connGoneLocked(c *wsConn) {
	for _, list := range s.pending {
		for _, p := range list {
			if !p.acked && p.conn == c && p.lost != nil {
				p.conn = nil // signal each loss once
				select {
				case p.lost <- struct{}{}:
				default:
				}
			}
		}
	}
}

// handleAck processes one frame received from the app.
func (s *Server) handleAck(c *wsConn, data []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.frames = append(s.frames, Frame{Conn: c.id, Data: json.RawMessage(data), Time: s.clock()})
	s.notifyLocked()
	if len(data) >= limits.AckBytes {
		s.violationLocked("socket ack", fmt.Sprintf("frame is %d bytes; Slack drops frames of %d bytes or more", len(data), limits.AckBytes))
		return
	}
	var a struct {
		EnvelopeID string          `json:"envelope_id"`
		Payload    json.RawMessage `json:"payload"`
	}
	if err := json.Unmarshal(data, &a); err != nil || a.EnvelopeID == "" {
		s.violationLocked("socket ack", fmt.Sprintf("not an ack: %.200s", data))
		return
	}
	if string(a.Payload) == "null" {
		a.Payload = nil
	}
	rec := AckRecord{EnvelopeID: a.EnvelopeID, Payload: a.Payload, Time: s.clock(), Unexpected: true}
	var p *pending
	for _, cand := range s.pending[a.EnvelopeID] {
		if !cand.acked {
			p = cand
			break
		}
	}
	if p != nil {
		ack := Ack{EnvelopeID: p.id, Type: p.typ, Payload: a.Payload, Latency: time.Since(p.sentAt), Attempt: p.attempt}
		s.routeAckLocked(p, &ack)
		p.ack, p.acked = ack, true
		close(p.done)
		rec.Type, rec.Latency, rec.Attempt, rec.Unexpected = p.typ, ack.Latency, p.attempt, false
	}
	s.acks = append(s.acks, rec)
}

// Redeliver sends an envelope again, as Slack does when an ack was late
// (retry_attempt+1, retry_reason "timeout"). If the envelope was already
// acked, the repeat is delivered and its ack recorded in Acks.
func (s *Server) Redeliver(envelopeID string) error {
	s.mu.Lock()
	list := s.pending[envelopeID]
	if len(list) == 0 {
		s.mu.Unlock()
		return fmt.Errorf("slackfake: unknown envelope %s", envelopeID)
	}
	p := list[len(list)-1]
	if p.acked {
		clone := *p
		clone.acked, clone.ack, clone.done, clone.lost = false, Ack{}, make(chan struct{}), nil
		p = &clone
		s.pending[envelopeID] = append(s.pending[envelopeID], p)
	}
	p.attempt++
	p.reason = "timeout"
	s.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return s.deliver(ctx, p)
}

// SendRaw delivers an envelope with any type and payload (which is copied
// verbatim, even when it is not valid JSON) and waits for its ack. An empty
// envelopeID gets a fresh one; reusing an ID simulates duplicate delivery.
func (s *Server) SendRaw(ctx context.Context, envelopeType string, payload json.RawMessage, envelopeID string) (Ack, error) {
	return s.send(ctx, &pending{id: envelopeID, typ: envelopeType, payload: payload,
		accepts: envelopeType != EnvelopeEventsAPI, kind: kindRaw})
}
