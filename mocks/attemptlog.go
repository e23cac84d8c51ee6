package mocks

import (
	"time"

	"github.com/paydrill/paydrill/internal/payment"
)

// attemptLog is a live mock's create log, one record per create, kept for
// the whole drill (Attempts). It is the mock's one structure that grows
// with every request, so it is laid out for that:
//   - in fixed-size chunks, so that growing it never copies what is logged
//     (a slice doubling under wrk copied the whole log, about a tenth of
//     the mock's CPU per create);
//   - without pointers: the order ids are appended to byte chunks and the
//     provider and status are implied (the log's provider, a status code),
//     so the garbage collector never scans the log, however long.
//
// Attempts are built from the records when read, the same values the log
// of Attempt it replaces held.
type attemptLog struct {
	recs [][]attemptRec // chunks of logChunk records; all but the last full
	ids  [][]byte       // order-id bytes; a chunk is never moved once written
	n    int
}

// attemptRec is one create in attemptLog: Attempt without its strings.
type attemptRec struct {
	at       time.Duration
	hits     uint64
	idChunk  int32 // the order id is ids[idChunk][idOff:idOff+idLen]
	idOff    int32
	idLen    int32
	status   payment.Status
	captured bool
}

const (
	logChunk   = 4096     // records per chunk
	idChunkLen = 64 << 10 // bytes per order-id chunk (a longer id gets its own)
)

// len is the number of records.
func (g *attemptLog) len() int { return g.n }

// add appends a record and returns its index.
func (g *attemptLog) add(at time.Duration, orderID string, status payment.Status, hits uint64, captured bool) int {
	r := attemptRec{at: at, hits: hits, status: status, captured: captured, idLen: int32(len(orderID))}
	r.idChunk, r.idOff = g.addID(orderID)
	if g.n%logChunk == 0 {
		g.recs = append(g.recs, make([]attemptRec, 0, logChunk))
	}
	last := &g.recs[len(g.recs)-1]
	*last = append(*last, r)
	g.n++
	return g.n - 1
}

// addID stores an order id's bytes and says where.
func (g *attemptLog) addID(id string) (chunk, off int32) {
	k := len(g.ids) - 1
	if k < 0 || len(g.ids[k])+len(id) > cap(g.ids[k]) {
		g.ids = append(g.ids, make([]byte, 0, max(idChunkLen, len(id))))
		k++
	}
	off = int32(len(g.ids[k]))
	g.ids[k] = append(g.ids[k], id...)
	return int32(k), off
}

// at is record i, to update in place.
func (g *attemptLog) at(i int) *attemptRec { return &g.recs[i/logChunk][i%logChunk] }

// attempts builds the Attempts of records since on, for provider.
func (g *attemptLog) attempts(since int, provider string) []Attempt {
	if since >= g.n {
		return nil
	}
	since = max(since, 0)
	out := make([]Attempt, 0, g.n-since)
	for i := since; i < g.n; i++ {
		r := g.at(i)
		out = append(out, Attempt{At: r.at, OrderID: string(g.ids[r.idChunk][r.idOff : r.idOff+r.idLen]),
			Provider: provider, Status: r.status.String(), Hits: r.hits, Captured: r.captured})
	}
	return out
}
