package httpserver

import (
	"net"
	"testing"
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
