package httpserver

import (
	"net"
	"sync"
	"sync/atomic"
)

// DefaultMaxConns caps the connections a paydrill server holds open at
// once (LimitConns), well under the open-file limits drills run with.
const DefaultMaxConns = 4096

// Listener holds at most a set number of connections open: a connection
// beyond it is closed at once and counted (Shed), so that a flood costs a
// count instead of a descriptor, and the process never runs out of them.
type Listener struct {
	net.Listener
	max        int64
	open, shed atomic.Int64
}

// LimitConns caps ln at max connections open at once (0: DefaultMaxConns).
func LimitConns(ln net.Listener, max int) *Listener {
	if max <= 0 {
		max = DefaultMaxConns
	}
	return &Listener{Listener: ln, max: int64(max)}
}

// Accept returns the next connection under the cap, shedding those above.
func (l *Listener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if l.open.Add(1) > l.max {
			l.open.Add(-1)
			l.shed.Add(1)
			c.Close()
			continue
		}
		return &limitedConn{Conn: c, l: l}, nil
	}
}

// Shed is how many connections were closed at once for being over the cap.
func (l *Listener) Shed() int64 { return l.shed.Load() }

// Open is how many connections are open now.
func (l *Listener) Open() int64 { return l.open.Load() }

type limitedConn struct {
	net.Conn
	l    *Listener
	once sync.Once
}

func (c *limitedConn) Close() error {
	c.once.Do(func() { c.l.open.Add(-1) })
	return c.Conn.Close()
}
