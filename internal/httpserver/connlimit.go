package httpserver

import (
	"errors"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"
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

	mu     sync.Mutex // guards rd and wd
	rd, wd deadline
}

func (c *limitedConn) Close() error {
	c.once.Do(func() { c.l.open.Add(-1) })
	return c.Conn.Close()
}

// Deadlines are armed lazily. net/http moves a kept-alive connection's
// deadlines forward four times a request (headers, whole request, answer,
// idle), each a timer moved in the runtime: about half of what the
// hardened server costs over a plain one under wrk. A deadline later than
// the one armed, while that one is still ahead, is only recorded: the
// armed one fires first, and the read or write it cuts short goes on
// (resume) with the deadline asked for armed, until that one passes. A
// read or write therefore fails on a deadline exactly when the deadline
// last set has passed, as net.Conn's do (TestLazyDeadlines); an earlier
// deadline (a past one, to abort a read) is armed at once.

// deadline is one direction's: the one asked for, the one armed (zero:
// none).
type deadline struct{ want, armed time.Time }

// set records t; it arms t unless the armed deadline is ahead and no
// later than t.
func (d *deadline) set(t time.Time, arm func(time.Time) error) error {
	d.want = t
	if !d.armed.IsZero() && (t.IsZero() || !t.Before(d.armed)) && time.Now().Before(d.armed) {
		return nil
	}
	d.armed = t
	return arm(t)
}

// resume reports whether a read or write cut short by the armed deadline
// goes on, arming the one asked for: it does if that one is later and
// has not passed.
func (d *deadline) resume(arm func(time.Time) error) bool {
	if d.want.Equal(d.armed) || (!d.want.IsZero() && !time.Now().Before(d.want)) {
		return false
	}
	d.armed = d.want
	return arm(d.want) == nil
}

func (c *limitedConn) SetReadDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.rd.set(t, c.Conn.SetReadDeadline)
}

func (c *limitedConn) SetWriteDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.wd.set(t, c.Conn.SetWriteDeadline)
}

func (c *limitedConn) SetDeadline(t time.Time) error {
	return errors.Join(c.SetReadDeadline(t), c.SetWriteDeadline(t))
}

// timedOut reports whether err is a deadline passing and the operation
// goes on past it (d.resume).
func (c *limitedConn) timedOut(err error, d *deadline, arm func(time.Time) error) bool {
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return d.resume(arm)
}

func (c *limitedConn) Read(b []byte) (int, error) {
	for {
		n, err := c.Conn.Read(b)
		if n > 0 || err == nil || !c.timedOut(err, &c.rd, c.Conn.SetReadDeadline) {
			return n, err
		}
	}
}

func (c *limitedConn) Write(b []byte) (int, error) {
	done := 0
	for {
		n, err := c.Conn.Write(b[done:])
		done += n
		if err == nil || !c.timedOut(err, &c.wd, c.Conn.SetWriteDeadline) {
			return done, err
		}
	}
}
