package engine

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pollen-team/pollen/internal/pgtest"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// A write whose connection is lost at its COMMIT is asked of the server:
// one the server committed is a success (told it failed, its caller would
// write it again), one whose COMMIT never reached the server fails. The
// connection goes through a proxy that, once armed, cuts the client off
// at the next COMMIT, after passing it on or not.
func TestACommitWhoseAnswerIsLostIsAskedOfTheServer(t *testing.T) {
	for _, reached := range []bool{true, false} {
		t.Run(fmt.Sprintf("reached the server %v", reached), func(t *testing.T) {
			url := pgtest.Shared(t).NewDatabase(t)
			p := startCommitCutter(t, url, reached)
			db, err := Open(strings.Replace(url, p.target, p.addr, 1), Options{Timeout: 5 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			ctx := context.Background()
			p.armed.Store(true)
			_, err = db.Apply(ctx, func(store.Reader) (store.Change, error) {
				return store.Change{People: []pairing.Person{pairing.NewPerson("U1", "Ada", "UTC", t0)}}, nil
			})
			if p.armed.Load() {
				t.Fatal("no COMMIT went through the proxy")
			}
			// Looked up on a connection of its own, straight to the server:
			// the proxy's connections may be gone.
			direct, err2 := Open(url, Options{Timeout: 5 * time.Second})
			if err2 != nil {
				t.Fatal(err2)
			}
			defer direct.Close()
			_, gone := direct.Person(ctx, "U1")
			switch {
			case reached && err != nil:
				t.Errorf("a write the server committed failed: %v", err)
			case reached && gone != nil:
				t.Errorf("the write is not there: %v", gone)
			case !reached && err == nil:
				t.Error("a write whose COMMIT never reached the server succeeded")
			case !reached && gone == nil:
				t.Error("a write whose COMMIT never reached the server is there")
			}
		})
	}
}

// commitCutter is a TCP proxy to a PostgreSQL server that, when armed,
// cuts the client off at the next COMMIT (simple query "commit"), after
// passing it on if forward.
type commitCutter struct {
	addr, target string
	armed        atomic.Bool
}

func startCommitCutter(t *testing.T, url string, forward bool) *commitCutter {
	t.Helper()
	host := url[strings.Index(url, "@")+1:]
	host = host[:strings.Index(host, "/")]
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &commitCutter{addr: ln.Addr().String(), target: host}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	commit := append([]byte{'Q', 0, 0, 0, 11}, "commit\x00"...)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			client, err := ln.Accept()
			if err != nil {
				return
			}
			server, err := net.Dial("tcp", host)
			if err != nil {
				client.Close()
				continue
			}
			wg.Add(2)
			go func() { // server to client
				defer wg.Done()
				io.Copy(client, server)
				client.Close()
			}()
			go func() { // client to server
				defer wg.Done()
				defer server.Close()
				buf := make([]byte, 64<<10)
				for {
					n, err := client.Read(buf)
					if n > 0 {
						cut := bytes.Contains(buf[:n], commit) && p.armed.CompareAndSwap(true, false)
						if !cut || forward {
							if _, werr := server.Write(buf[:n]); werr != nil {
								return
							}
						}
						if cut {
							client.Close()                     // the answer never reaches it
							time.Sleep(500 * time.Millisecond) // the server commits meanwhile (if it got it)
							return
						}
					}
					if err != nil {
						return
					}
				}
			}()
		}
	}()
	return p
}
