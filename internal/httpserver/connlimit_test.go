package httpserver

import (
	"io"
	"net"
	"testing"
	"time"
)

// Over the cap a connection is closed at once and counted; closing one
// under the cap makes room for the next.
func TestLimitConnsSheds(t *testing.T) {
	raw, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln := LimitConns(raw, 2)
	defer ln.Close()
	accepted := make(chan net.Conn, 8)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				close(accepted)
				return
			}
			accepted <- c
		}
	}()
	dial := func() net.Conn {
		c, err := net.Dial("tcp", raw.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	a, b := dial(), dial()
	defer a.Close()
	defer b.Close()
	sa, sb := <-accepted, <-accepted
	// The third is over the cap: the server closes it, the client reads EOF.
	c := dial()
	defer c.Close()
	if _, err := c.Read(make([]byte, 1)); err == nil {
		t.Errorf("third connection read: %v, want it closed", err)
	}
	if ln.Shed() != 1 || ln.Open() != 2 {
		t.Errorf("shed %d, open %d; want 1, 2", ln.Shed(), ln.Open())
	}
	sa.Close()
	sa.Close() // twice counts once
	d := dial()
	defer d.Close()
	sd := <-accepted
	defer sd.Close()
	defer sb.Close()
	if ln.Shed() != 1 || ln.Open() != 2 {
		t.Errorf("after closing one: shed %d, open %d; want 1, 2", ln.Shed(), ln.Open())
	}
}

// pair is a connection accepted through LimitConns and its client end.
func pair(t *testing.T) (server, client net.Conn) {
	t.Helper()
	raw, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln := LimitConns(raw, 0)
	t.Cleanup(func() { ln.Close() })
	client, err = net.Dial("tcp", raw.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	server, err = ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { server.Close(); client.Close() })
	return server, client
}

// Lazily armed deadlines behave as net.Conn's: a read or write fails on a
// deadline exactly when the one set last has passed, whatever was armed
// before (fails if a later deadline is cut short by an earlier one still
// armed, or an earlier one is not armed at once).
func TestLazyDeadlines(t *testing.T) {
	buf := make([]byte, 1)
	timedOut := func(err error) bool { ne, ok := err.(net.Error); return ok && ne.Timeout() }

	t.Run("a later read deadline is kept to", func(t *testing.T) {
		s, _ := pair(t)
		start := time.Now()
		s.SetReadDeadline(start.Add(50 * time.Millisecond))
		s.SetReadDeadline(start.Add(400 * time.Millisecond))
		_, err := s.Read(buf)
		if el := time.Since(start); !timedOut(err) || el < 400*time.Millisecond {
			t.Fatalf("read ended after %v with %v; want a timeout at 400ms", el, err)
		}
	})
	t.Run("an earlier read deadline is armed at once", func(t *testing.T) {
		s, _ := pair(t)
		start := time.Now()
		s.SetReadDeadline(start.Add(time.Hour))
		s.SetReadDeadline(start.Add(50 * time.Millisecond))
		_, err := s.Read(buf)
		if el := time.Since(start); !timedOut(err) || el > 10*time.Second {
			t.Fatalf("read ended after %v with %v; want a timeout at 50ms", el, err)
		}
	})
	t.Run("no deadline after one armed", func(t *testing.T) {
		s, c := pair(t)
		s.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
		s.SetReadDeadline(time.Time{})
		time.AfterFunc(300*time.Millisecond, func() { c.Write([]byte("x")) })
		if n, err := s.Read(buf); n != 1 || err != nil {
			t.Fatalf("read %d bytes, %v; want the byte sent at 300ms", n, err)
		}
	})
	t.Run("a write goes on past an earlier armed deadline", func(t *testing.T) {
		s, c := pair(t)
		s.SetWriteDeadline(time.Now().Add(50 * time.Millisecond))
		s.SetWriteDeadline(time.Now().Add(time.Minute))
		big := make([]byte, 32<<20) // more than the socket buffers hold
		done := make(chan error, 1)
		go func() {
			n, err := s.Write(big)
			if err == nil && n != len(big) {
				err = io.ErrShortWrite
			}
			done <- err
		}()
		time.Sleep(300 * time.Millisecond)                  // the 50ms deadline passes, the writer blocked
		c.SetReadDeadline(time.Now().Add(30 * time.Second)) // a writer cut short fails the test, not hangs it
		if n, err := io.Copy(io.Discard, io.LimitReader(c, int64(len(big)))); n != int64(len(big)) || err != nil {
			t.Fatalf("read %d of %d bytes: %v", n, len(big), err)
		}
		if err := <-done; err != nil {
			t.Fatalf("write: %v", err)
		}
	})
	t.Run("a write deadline passed fails the write", func(t *testing.T) {
		s, _ := pair(t)
		s.SetWriteDeadline(time.Now().Add(time.Minute))
		s.SetWriteDeadline(time.Now().Add(time.Minute + time.Second)) // not armed
		s.SetWriteDeadline(time.Now().Add(100 * time.Millisecond))
		_, err := s.Write(make([]byte, 32<<20))
		if !timedOut(err) {
			t.Fatalf("write: %v; want a timeout", err)
		}
	})
}
