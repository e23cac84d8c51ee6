package wall

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/paydrill/paydrill/internal/router"
)

// pipelineConns is how many connections ask the router, at the end of a
// run, how its orders ended: as many as the one-at-a-time asking used
// (16), so a router that answers each connection in turn sees the same
// parallelism.
const pipelineConns = 16

// pipelineStall is how long a pipelined connection may go without an
// answer before its orders are asked again one at a time: a server that
// drops the requests queued behind the first one would otherwise hang.
var pipelineStall = 5 * time.Second // a variable for the tests

// pipelineTarget is where the pipelined GETs go: the dial address, the
// Host header and the path before the order's id; ok is false when the
// router's URL is not plain http (TLS, a query) or an id would need
// escaping, and the net/http client asks instead.
func pipelineTarget(sut string, ids []string) (addr, host, prefix string, ok bool) {
	u, err := url.Parse(sut + "/v1/orders/")
	if err != nil || u.Scheme != "http" || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", "", "", false
	}
	for _, id := range ids {
		if !plainPath(id) {
			return "", "", "", false
		}
	}
	port := u.Port()
	if port == "" {
		port = "80"
	}
	return net.JoinHostPort(u.Hostname(), port), u.Host, u.EscapedPath(), true
}

// plainPath reports whether s goes into a URL path as it is.
func plainPath(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~') {
			return false
		}
	}
	return s != ""
}

// pipelined asks the router how each order in ids ended over
// pipelineConns connections of its own, writing the GETs one after the
// other without waiting for each answer (HTTP/1.1 pipelining: the answers
// come back in the order asked). The requests and answers are the
// net/http client's, batched: a few system calls per hundred orders
// instead of several per order. Each answer is read as final reads it
// (status 200, the JSON of its first 64 KiB); put gets every order the
// router said how ended. It returns the ids left unasked or unanswered (a
// connection that failed, closed, stalled, or answered for another
// order, a redirect, a packed body), for the caller to ask one at a time.
func (r *runner) pipelined(addr, host, prefix string, ids []string, put func(string, router.OrderView)) (left []string) {
	n := min(pipelineConns, len(ids))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for c := range n {
		part := ids[c*len(ids)/n : (c+1)*len(ids)/n]
		wg.Add(1)
		go func() {
			defer wg.Done()
			done := r.pipeline(addr, host, prefix, part, put)
			if done < len(part) {
				mu.Lock()
				left = append(left, part[done:]...)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return left
}

// pipeline asks for ids over one new connection; it returns how many of
// them (from the first) were answered.
func (r *runner) pipeline(addr, host, prefix string, ids []string, put func(string, router.OrderView)) (done int) {
	conn, err := net.DialTimeout("tcp", addr, pipelineStall)
	if err != nil {
		return 0
	}
	defer conn.Close()
	// The writer: every GET, flushed as the buffer fills; it stops when
	// the reader closes the connection.
	wrote := make(chan int, 1)
	go func() {
		w := bufio.NewWriterSize(conn, 32<<10)
		k := 0
		for _, id := range ids {
			w.WriteString("GET ")
			w.WriteString(prefix)
			w.WriteString(id)
			w.WriteString(" HTTP/1.1\r\nHost: ")
			w.WriteString(host)
			if _, err := w.WriteString("\r\nUser-Agent: Go-http-client/1.1\r\n\r\n"); err != nil {
				break
			}
			k++
		}
		if w.Flush() != nil {
			k = 0 // not known which were sent: those answered were
		}
		wrote <- k
	}()
	defer func() {
		conn.Close() // a writer blocked on a full socket returns
		r.asked.Add(int64(max(<-wrote, done)))
	}()
	br := bufio.NewReaderSize(conn, 32<<10)
	for done < len(ids) {
		conn.SetReadDeadline(time.Now().Add(pipelineStall))
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			return done
		}
		if resp.StatusCode >= 100 && resp.StatusCode < 200 && resp.StatusCode != http.StatusSwitchingProtocols {
			continue // an interim answer: the final one follows
		}
		if resp.StatusCode/100 == 3 || resp.Header.Get("Content-Encoding") != "" {
			// net/http's client follows redirects and, having asked for
			// gzip, unpacks it: left to it.
			return done
		}
		var v router.OrderView
		ok := resp.StatusCode == http.StatusOK
		if ok {
			ok = json.NewDecoder(io.LimitReader(resp.Body, 1<<16)).Decode(&v) == nil
		}
		// The rest of the body, to reach the next answer.
		if _, err := io.Copy(io.Discard, resp.Body); err != nil {
			return done
		}
		resp.Body.Close()
		if ok && v.OrderID != "" && v.OrderID != ids[done] {
			return done // an answer for another order: trust nothing more on this connection
		}
		if ok {
			put(ids[done], v)
		}
		done++
		if resp.Close {
			return done // the router closes the connection after this answer
		}
	}
	return done
}
