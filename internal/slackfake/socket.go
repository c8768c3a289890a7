package slackfake

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// wsConn is one Socket Mode connection.
type wsConn struct {
	id       int
	ws       *websocket.Conn
	wmu      sync.Mutex // gorilla allows one concurrent writer of data frames
	done     chan struct{}
	lastPong time.Time
	dropped  bool // taken by DropWebSockets or Disconnect before its hello
}

var upgrader = websocket.Upgrader{
	CheckOrigin: func(*http.Request) bool { return true },
}

// serveSocket upgrades a ticket URL to a Socket Mode WebSocket. Query keys
// other than ticket (app_id, debug_reconnects) are ignored.
func (s *Server) serveSocket(w http.ResponseWriter, r *http.Request) {
	ticket := r.URL.Query().Get("ticket")
	s.mu.Lock()
	valid := s.tickets[ticket]
	delete(s.tickets, ticket)
	if s.closed || !valid {
		s.mu.Unlock()
		http.Error(w, "invalid or used ticket", http.StatusUnauthorized)
		return
	}
	s.wg.Add(1) // hijacked connections are not waited for by httptest
	s.connSeq++
	c := &wsConn{id: s.connSeq, done: make(chan struct{})}
	// The client reports itself connected as soon as its dial returns,
	// before our hello: a connection in that gap (from before the 101 is
	// written until the hello) must be broken by DropWebSockets and
	// Disconnect as well, or a test that acts on "connected" races the hello.
	s.dialing[c] = true
	s.notifyLocked()
	s.mu.Unlock()
	defer s.wg.Done()

	ws, err := upgrader.Upgrade(w, r, nil)
	s.mu.Lock()
	if err == nil {
		c.ws = ws
	}
	dropped := c.dropped || s.closed
	if err != nil || dropped {
		delete(s.dialing, c)
		s.notifyLocked()
	}
	s.mu.Unlock()
	if err != nil {
		s.debugf("upgrade: %v", err)
		return
	}
	if dropped {
		_ = ws.Close()
		return
	}
	defer func() {
		close(c.done)
		s.removeConn(c)
		_ = ws.Close()
	}()
	ws.SetPongHandler(func(string) error {
		s.mu.Lock()
		s.pongs++
		c.lastPong = time.Now()
		s.mu.Unlock()
		return nil
	})

	if s.helloDelay > 0 {
		select {
		case <-time.After(s.helloDelay):
		case <-s.done:
			return
		}
	}
	s.mu.Lock()
	n := len(s.conns)
	s.mu.Unlock()
	if n >= s.maxConns {
		_ = s.writeFrame(c, disconnectFrame("too_many_websockets"))
		_ = ws.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
		return
	}
	hello := map[string]any{
		"type":            "hello",
		"num_connections": n + 1,
		"debug_info": map[string]any{
			"host":                        "applink-fake",
			"build_number":                1,
			"approximate_connection_time": 18060,
		},
		"connection_info": map[string]any{"app_id": s.AppID},
	}
	data, _ := json.Marshal(hello)
	if err := s.writeFrame(c, data); err != nil {
		return
	}
	s.mu.Lock()
	delete(s.dialing, c)
	if s.closed || c.dropped {
		s.mu.Unlock()
		return
	}
	s.conns = append(s.conns, c)
	s.notifyLocked()
	s.mu.Unlock()
	s.debugf("conn %d: open", c.id)

	s.wg.Go(func() { s.pingLoop(c) })
	s.readLoop(c)
	s.debugf("conn %d: closed", c.id)
}

func (s *Server) readLoop(c *wsConn) {
	for {
		typ, data, err := c.ws.ReadMessage()
		if err != nil {
			return
		}
		if typ == websocket.TextMessage {
			s.handleAck(c, data)
		}
	}
}

func (s *Server) pingLoop(c *wsConn) {
	t := time.NewTicker(s.pingInterval)
	defer t.Stop()
	for n := 1; ; n++ {
		select {
		case <-c.done:
			return
		case <-s.done:
			return
		case <-t.C:
			s.mu.Lock()
			stopped := s.stopPing
			s.mu.Unlock()
			if !stopped {
				_ = c.ws.WriteControl(websocket.PingMessage, fmt.Appendf(nil, "ping-%d", n), time.Now().Add(time.Second))
			}
		}
	}
}

// writeFrame writes and records one text frame.
func (s *Server) writeFrame(c *wsConn, data []byte) error {
	c.wmu.Lock()
	_ = c.ws.SetWriteDeadline(time.Now().Add(5 * time.Second))
	err := c.ws.WriteMessage(websocket.TextMessage, data)
	c.wmu.Unlock()
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.frames = append(s.frames, Frame{Conn: c.id, Outgoing: true, Data: json.RawMessage(data), Time: s.clock()})
	s.notifyLocked()
	s.mu.Unlock()
	return nil
}

func (s *Server) removeConn(c *wsConn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.conns = slices.DeleteFunc(s.conns, func(x *wsConn) bool { return x == c })
	delete(s.dialing, c)
	s.connGoneLocked(c)
	s.notifyLocked()
}

// pickConn chooses the next live connection, round robin.
func (s *Server) pickConn() (*wsConn, <-chan struct{}) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.conns) == 0 {
		return nil, s.changed
	}
	s.rr++
	return s.conns[s.rr%len(s.conns)], nil
}

func disconnectFrame(reason string) []byte {
	data, _ := json.Marshal(map[string]any{
		"type":       "disconnect",
		"reason":     reason,
		"debug_info": map[string]any{"host": "applink-fake"},
	})
	return data
}

func (s *Server) takeConns() []*wsConn {
	s.mu.Lock()
	defer s.mu.Unlock()
	conns := s.conns
	s.conns = nil
	for _, c := range conns {
		s.connGoneLocked(c)
	}
	conns = append(conns, s.takeDialingLocked()...)
	s.notifyLocked()
	return conns
}

// takeDialingLocked marks every connection whose hello is not written yet
// as dropped and returns those already upgraded, to be closed; one still
// upgrading closes itself (serveSocket).
func (s *Server) takeDialingLocked() []*wsConn {
	var out []*wsConn
	for c := range s.dialing {
		c.dropped = true
		if c.ws != nil {
			out = append(out, c)
		}
	}
	clear(s.dialing)
	return out
}

// Connections is the number of live Socket Mode connections.
func (s *Server) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

// Dialing is the number of WebSockets accepted whose hello is not written
// yet.
func (s *Server) Dialing() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.dialing)
}

// ConnectionOpens is the number of successful apps.connections.open calls.
func (s *Server) ConnectionOpens() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.connOpens
}

// Pongs is the number of WebSocket PONG frames received.
func (s *Server) Pongs() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pongs
}

// WaitConnected waits until at least n connections are live.
func (s *Server) WaitConnected(ctx context.Context, n int) error {
	err := s.WaitFor(ctx, func() bool { return s.Connections() >= n })
	if err != nil {
		return fmt.Errorf("waiting for %d connections (have %d): %w", n, s.Connections(), err)
	}
	return nil
}

// DropWebSockets closes every connection's TCP socket without a close frame.
func (s *Server) DropWebSockets() {
	for _, c := range s.takeConns() {
		_ = c.ws.Close()
	}
}

// Disconnect sends every connection a disconnect message with reason
// ("warning", "refresh_requested", "link_disabled", …), then a close frame,
// and closes it.
func (s *Server) Disconnect(reason string) {
	for _, c := range s.takeConns() {
		_ = s.writeFrame(c, disconnectFrame(reason))
		_ = c.ws.WriteControl(websocket.CloseMessage,
			websocket.FormatCloseMessage(websocket.CloseNormalClosure, reason), time.Now().Add(time.Second))
		_ = c.ws.Close()
	}
}

// StopPinging stops (true) or resumes (false) WebSocket pings. slack-go
// reconnects when it hears no ping within its ping interval.
func (s *Server) StopPinging(stop bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stopPing = stop
}

// SendFrame writes raw bytes as a text frame to one live connection, without
// waiting for anything (for malformed-frame tests).
func (s *Server) SendFrame(ctx context.Context, data []byte) error {
	for {
		c, wait := s.pickConn()
		if c != nil {
			return s.writeFrame(c, data)
		}
		select {
		case <-wait:
		case <-ctx.Done():
			return fmt.Errorf("slackfake: no connection: %w", ctx.Err())
		case <-s.done:
			return ErrClosed
		}
	}
}
