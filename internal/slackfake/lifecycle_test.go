package slackfake_test

import (
	"context"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/slack-go/slack/socketmode"

	"github.com/pollen-team/pollen/internal/slackfake"
)

func TestReconnects(t *testing.T) {
	tests := []struct {
		name    string
		breakIt func(srv *slackfake.Server)
	}{
		{"disconnect refresh_requested", func(srv *slackfake.Server) { srv.Disconnect("refresh_requested") }},
		{"disconnect warning", func(srv *slackfake.Server) { srv.Disconnect("warning") }},
		{"TCP dropped without close frame", func(srv *slackfake.Server) { srv.DropWebSockets() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			startBot(t, srv, nil)
			ctx := testCtx(t)
			tt.breakIt(srv)
			err := srv.WaitFor(ctx, func() bool { return srv.ConnectionOpens() >= 2 && srv.Connections() == 1 })
			if err != nil {
				t.Fatalf("no reconnect: opens %d, conns %d: %v", srv.ConnectionOpens(), srv.Connections(), err)
			}
			if _, err := srv.SlashCommand(ctx, alice.ID, "", "/pair", "status"); err != nil {
				t.Fatal("envelope after reconnect:", err)
			}
		})
	}
}

// TestDropBeforeHello breaks a connection in the gap between the client's
// dial (slack-go reports "connected" then) and the server's hello: the drop
// must still reach it, or a test acting on "connected" waits forever.
func TestDropBeforeHello(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		breakIt func(srv *slackfake.Server)
	}{
		{"drop", func(srv *slackfake.Server) { srv.DropWebSockets() }},
		{"disconnect", func(srv *slackfake.Server) { srv.Disconnect("refresh_requested") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, slackfake.WithHelloDelay(time.Second))
			runBot(t, srv, 2*time.Second, nil)
			ctx := testCtx(t)
			if err := srv.WaitFor(ctx, func() bool { return srv.Dialing() == 1 }); err != nil {
				t.Fatal("the client never dialled:", err)
			}
			tt.breakIt(srv)
			if err := srv.WaitFor(ctx, func() bool { return srv.ConnectionOpens() >= 2 }); err != nil {
				t.Fatalf("a connection broken before its hello did not break: opens %d", srv.ConnectionOpens())
			}
			if err := srv.WaitConnected(ctx, 1); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestDisconnectFrame(t *testing.T) {
	srv := newServer(t)
	startBot(t, srv, nil)
	srv.Disconnect("refresh_requested")
	var found bool
	for _, f := range srv.Frames() {
		found = found || strings.Contains(string(f.Data), `"reason":"refresh_requested"`)
	}
	if !found {
		t.Fatal("no disconnect frame recorded")
	}
}

// TestPingsKeepConnectionAlive is the one test that waits in real time: the
// client expects a ping every 2 s (a paused CI machine can hold a shorter
// one up), the server pings every 250 ms, and the client must not
// reconnect over 2.5 s.
func TestPingsKeepConnectionAlive(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	runBot(t, srv, 2*time.Second, nil)
	if err := srv.WaitConnected(testCtx(t), 1); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2500 * time.Millisecond)
	if srv.ConnectionOpens() != 1 || srv.Connections() != 1 || srv.Pongs() < 5 {
		t.Fatalf("opens %d, conns %d, pongs %d", srv.ConnectionOpens(), srv.Connections(), srv.Pongs())
	}
}

func TestStopPingingForcesReconnect(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	runBot(t, srv, 500*time.Millisecond, nil)
	ctx := testCtx(t)
	if err := srv.WaitConnected(ctx, 1); err != nil {
		t.Fatal(err)
	}
	srv.StopPinging(true)
	if err := srv.WaitFor(ctx, func() bool { return srv.ConnectionOpens() >= 2 }); err != nil {
		t.Fatal("no ping-timeout reconnect:", err)
	}
	srv.StopPinging(false)
	if err := srv.WaitFor(ctx, func() bool { return srv.Connections() == 1 }); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.SlashCommand(ctx, alice.ID, "", "/pair", "status"); err != nil {
		t.Fatal(err)
	}
}

func TestMultipleConnections(t *testing.T) {
	srv := newServer(t, slackfake.WithMaxConnections(2))
	var counts [2]atomic.Int32
	for i := range 2 {
		startBot(t, srv, func(sm *socketmode.Client, evt socketmode.Event) bool {
			if evt.Type == socketmode.EventTypeSlashCommand {
				counts[i].Add(1)
			}
			return false
		})
	}
	ctx := testCtx(t)
	for range 6 {
		if _, err := srv.SlashCommand(ctx, alice.ID, "", "/pair", "status"); err != nil {
			t.Fatal(err)
		}
	}
	if counts[0].Load() == 0 || counts[1].Load() == 0 || counts[0].Load()+counts[1].Load() != 6 {
		t.Fatalf("deliveries %d/%d", counts[0].Load(), counts[1].Load())
	}
	hellos := 0
	for _, f := range srv.Frames() {
		if strings.Contains(string(f.Data), `"num_connections":2`) {
			hellos++
		}
	}
	if hellos != 1 {
		t.Fatalf("want one hello with num_connections 2, got %d", hellos)
	}

	// A third connection is refused with too_many_websockets.
	third := runBot(t, srv, 2*time.Second, nil)
	if err := srv.WaitFor(ctx, func() bool { return third.seen(socketmode.EventTypeHello) == 0 && srv.ConnectionOpens() >= 3 }); err != nil {
		t.Fatal(err)
	}
	if err := srv.WaitFor(ctx, func() bool {
		for _, f := range srv.Frames() {
			if strings.Contains(string(f.Data), "too_many_websockets") {
				return true
			}
		}
		return false
	}); err != nil {
		t.Fatal(err)
	}
	if srv.Connections() != 2 {
		t.Fatalf("connections = %d", srv.Connections())
	}
}

func TestCloseLeavesNoGoroutines(t *testing.T) {
	base := runtime.NumGoroutine()
	func() {
		srv := slackfake.New()
		srv.AddUser(alice)
		b := socketmode.New(newAPI(srv), socketmode.OptionPingInterval(2*time.Second))
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() {
			defer close(done)
			_ = b.RunContext(ctx)
		}()
		go func() {
			for {
				select {
				case <-ctx.Done():
					return
				case evt := <-b.Events:
					if evt.Request != nil && evt.Request.EnvelopeID != "" {
						_ = b.Ack(*evt.Request)
					}
				}
			}
		}()
		if _, err := srv.SlashCommand(testCtx(t), alice.ID, "", "/pair", "join"); err != nil {
			t.Fatal(err)
		}
		srv.Close() // with the client still connected
		cancel()
		<-done
	}()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > base && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond) // polling for goroutines to exit; nothing to wait on
	}
	if n := runtime.NumGoroutine(); n > base {
		buf := make([]byte, 1<<16)
		t.Fatalf("%d goroutines, started with %d:\n%s", n, base, buf[:runtime.Stack(buf, true)])
	}
}

func TestUnackedEnvelopeIsDeliveredAgainAfterReconnect(t *testing.T) {
	srv := newServer(t)
	var seen atomic.Int32
	startBot(t, srv, func(sm *socketmode.Client, evt socketmode.Event) bool {
		// Swallow the first delivery, as a bot caught mid-reconnect would.
		return evt.Type == socketmode.EventTypeSlashCommand && seen.Add(1) == 1
	})
	ctx := testCtx(t)
	res := make(chan error, 1)
	go func() {
		_, err := srv.SlashCommand(ctx, alice.ID, "", "/pair", "join")
		res <- err
	}()
	if err := srv.WaitFor(ctx, func() bool { return seen.Load() == 1 }); err != nil {
		t.Fatal(err)
	}
	srv.Disconnect("refresh_requested")
	if err := <-res; err != nil {
		t.Fatal(err)
	}
	if seen.Load() != 2 || srv.ConnectionOpens() != 2 {
		t.Fatalf("deliveries %d, opens %d", seen.Load(), srv.ConnectionOpens())
	}
}
