package httpserver

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// serve runs srv on a loopback port, behind LimitConns as paydrill's
// servers run (its connections arm deadlines lazily), and returns its
// address.
func serve(t *testing.T, srv *http.Server) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(LimitConns(ln, 0))
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

// echo reads the whole body and answers its length, or 413 past the cap.
var echo = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusRequestEntityTooLarge)
		return
	}
	w.Write(b)
})

// A client that sends its body a byte at a time and then stalls is cut
// off: the server closes the connection instead of holding it for ever.
// (The 30 s deadline on the client only keeps a broken server from
// hanging the test; the server's read limit is 200 ms.)
func TestSlowBodyIsCutOff(t *testing.T) {
	addr := serve(t, Limits{Read: 200 * time.Millisecond}.New(echo))
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(30 * time.Second))
	io.WriteString(c, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\na")
	// The server never gets the other 99 bytes; it must give up.
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err == nil {
		resp.Body.Close()
		if resp.StatusCode < 400 {
			t.Fatalf("slow body answered %d; want the connection closed or an error status", resp.StatusCode)
		}
		return
	}
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatalf("the server held a slow body for 30 s: %v", err)
	}
}

// Headers that never end are cut off too.
func TestSlowHeadersAreCutOff(t *testing.T) {
	addr := serve(t, Limits{ReadHeader: 200 * time.Millisecond}.New(echo))
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(30 * time.Second))
	io.WriteString(c, "POST / HTTP/1.1\r\nHost: x\r\n")
	_, err = io.ReadAll(c)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatalf("the server held unfinished headers for 30 s: %v", err)
	}
}

// A body over the cap is refused, one under it is read.
func TestBodyCapped(t *testing.T) {
	addr := serve(t, Limits{BodyBytes: 10}.New(echo))
	for _, tc := range []struct {
		body string
		want int
	}{{"12345", http.StatusOK}, {strings.Repeat("x", 11), http.StatusRequestEntityTooLarge}} {
		resp, err := http.Post("http://"+addr+"/", "text/plain", strings.NewReader(tc.body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("body of %d bytes, cap 10: status %d, want %d", len(tc.body), resp.StatusCode, tc.want)
		}
	}
}

// Every limit is set on a default server.
func TestDefaults(t *testing.T) {
	s := New(echo)
	if s.ReadHeaderTimeout != DefaultReadHeader || s.ReadTimeout != DefaultRead || s.WriteTimeout != DefaultWrite ||
		s.IdleTimeout != DefaultIdle || s.MaxHeaderBytes != DefaultHeaderBytes {
		t.Errorf("default server: %+v", s)
	}
}
