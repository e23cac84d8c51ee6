package wall

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/paydrill/paydrill/internal/router"
)

// finalsRunner is a runner whose n orders were all answered, asking the
// router at sut with the client Run makes (pipelined GETs).
func finalsRunner(sut string, n int) *runner {
	r := &runner{cfg: Config{SUT: sut, Client: &http.Client{}}, ownClient: true}
	for i := range n {
		r.orders = append(r.orders, &order{id: "ord-" + strconv.Itoa(i), answered: true})
	}
	return r
}

// views is what the test routers say of order ord-i: i deliveries, and
// no answer (404) for every seventh.
func view(id string) (router.OrderView, bool) {
	i, _ := strconv.Atoi(strings.TrimPrefix(id, "ord-"))
	return router.OrderView{OrderID: id, Status: "paid", Deliveries: i}, i%7 != 3
}

func checkFinals(t *testing.T, r *runner, n int) {
	t.Helper()
	got := r.finals()
	for i := range n {
		id := "ord-" + strconv.Itoa(i)
		want, known := view(id)
		v, ok := got[id]
		if ok != known || v != want && known {
			t.Fatalf("%s: got %+v (%v), want %+v (%v)", id, v, ok, want, known)
		}
	}
	if len(got) != n-(n+3)/7 {
		t.Errorf("%d orders known, want %d", len(got), n-(n+3)/7)
	}
}

func serveViews(close bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		v, ok := view(strings.TrimPrefix(req.URL.Path, "/v1/orders/"))
		if close {
			w.Header().Set("Connection", "close")
		}
		if !ok {
			http.NotFound(w, req)
			return
		}
		json.NewEncoder(w).Encode(v)
	})
}

// Pipelined over Go's server: every order's answer, one GET per order
// (a 404 is an answer: not asked again).
func TestFinalsPipelined(t *testing.T) {
	sut := httptest.NewServer(serveViews(false))
	defer sut.Close()
	r := finalsRunner(sut.URL, 5000)
	checkFinals(t, r, 5000)
	if r.asked.Load() != 5000 {
		t.Errorf("%d GETs, want 5000", r.asked.Load())
	}
}

// A router that closes the connection after each answer: the orders
// queued behind it are asked again, one at a time.
func TestFinalsPipelinedConnectionClose(t *testing.T) {
	sut := httptest.NewServer(serveViews(true))
	defer sut.Close()
	checkFinals(t, finalsRunner(sut.URL, 300), 300)
}

// rawRouter serves each connection with answer(the request's number on
// it, its path, whether the client pipelined: a second request was
// queued behind the first) until it returns false, then closes it.
func rawRouter(t *testing.T, answer func(k int, path string, pipelined bool, w *bufio.Writer) bool) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { c.Close() })
			go func() {
				br, bw := bufio.NewReader(c), bufio.NewWriter(c)
				pipelined := false
				for k := 0; ; k++ {
					req, err := http.ReadRequest(br)
					if err != nil {
						return
					}
					if k == 0 {
						// The pipelined GETs come in one write (under 32 KiB).
						time.Sleep(10 * time.Millisecond)
						pipelined = br.Buffered() > 0
					}
					if !answer(k, req.URL.Path, pipelined, bw) {
						return
					}
					bw.Flush()
				}
			}()
		}
	}()
	return "http://" + ln.Addr().String()
}

func writeView(w *bufio.Writer, v router.OrderView, ok bool) {
	if !ok {
		fmt.Fprint(w, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
		return
	}
	b, _ := json.Marshal(v)
	fmt.Fprintf(w, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(b), b)
}

// A router that answers the first request on a connection and then no
// more (it dropped what was queued): after pipelineStall the rest are
// asked one at a time.
func TestFinalsPipelinedStall(t *testing.T) {
	defer func(d time.Duration) { pipelineStall = d }(pipelineStall)
	pipelineStall = 50 * time.Millisecond
	sut := rawRouter(t, func(k int, path string, pipelined bool, w *bufio.Writer) bool {
		if k > 0 && pipelined {
			time.Sleep(time.Second) // longer than pipelineStall: the client has given up
			return false
		}
		v, ok := view(strings.TrimPrefix(path, "/v1/orders/"))
		writeView(w, v, ok)
		return true
	})
	checkFinals(t, finalsRunner(sut, 200), 200)
}

// A router that gives a pipelined connection's second request an answer
// paydrill does not read there (one for another order, a redirect, a
// packed body): nothing more is asked on that connection, and its
// orders are asked again one at a time (net/http follows the redirect
// and unpacks the body), each known by its own answer.
func TestFinalsPipelinedFallBack(t *testing.T) {
	for name, odd := range map[string]string{
		"another order": "",
		"redirect":      "HTTP/1.1 302 Found\r\nLocation: /v1/orders/elsewhere\r\nContent-Length: 0\r\n\r\n",
		"packed":        "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 3\r\n\r\nxyz",
	} {
		t.Run(name, func(t *testing.T) {
			var seen atomic.Int64
			sut := rawRouter(t, func(k int, path string, pipelined bool, w *bufio.Writer) bool {
				v, ok := view(strings.TrimPrefix(path, "/v1/orders/"))
				if k == 0 && pipelined {
					seen.Add(1)
				}
				switch {
				case k == 1 && pipelined && odd != "":
					w.WriteString(odd)
				case k == 1 && pipelined:
					v.OrderID, ok = "ord-999999", true // an answer for another order
					writeView(w, v, ok)
				default:
					writeView(w, v, ok)
				}
				return true
			})
			checkFinals(t, finalsRunner(sut, 200), 200)
			if seen.Load() == 0 {
				t.Error("no connection was pipelined")
			}
		})
	}
}

func TestPipelineTarget(t *testing.T) {
	for _, c := range []struct {
		sut, addr, host, prefix string
		ok                      bool
	}{
		{"http://127.0.0.1:9300", "127.0.0.1:9300", "127.0.0.1:9300", "/v1/orders/", true},
		{"http://router/base", "router:80", "router", "/base/v1/orders/", true},
		{"http://[::1]:8080", "[::1]:8080", "[::1]:8080", "/v1/orders/", true},
		{"https://router", "", "", "", false},
		{"http://u:p@router", "", "", "", false},
	} {
		addr, host, prefix, ok := pipelineTarget(c.sut, []string{"ord-1"})
		if addr != c.addr || host != c.host || prefix != c.prefix || ok != c.ok {
			t.Errorf("%s: got %q %q %q %v, want %q %q %q %v", c.sut, addr, host, prefix, ok, c.addr, c.host, c.prefix, c.ok)
		}
	}
	if _, _, _, ok := pipelineTarget("http://router", []string{"ord-1", "a b"}); ok {
		t.Error("an id that needs escaping was pipelined")
	}
}
