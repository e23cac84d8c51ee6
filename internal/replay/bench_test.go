package replay_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/paydrill/paydrill/internal/payment"
	"github.com/paydrill/paydrill/internal/replay"
)

// genCSV writes rows orders in the native format to a file under dir.
func genCSV(tb testing.TB, dir string, rows int) string {
	tb.Helper()
	path := filepath.Join(dir, fmt.Sprintf("orders-%d.csv", rows))
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("time,amount,currency,product,category,buyer,method,region\n")
	cats := []string{"game-keys", "gift-cards", "subscriptions"}
	methods := []string{"card", "alipay", "wechat"}
	regions := []string{"US", "DE", "BR", "GB"}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var b []byte
	for i := range rows {
		b = b[:0]
		b = t0.Add(time.Duration(i)*50*time.Millisecond).AppendFormat(b, time.RFC3339Nano)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(99+i%50000), 10)
		b = append(b, ",USD,"...)
		b = strconv.AppendInt(b, int64(i%300), 10)
		b = append(b, ',')
		b = append(b, cats[i%3]...)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(i*7919%20000), 10)
		b = append(b, ',')
		b = append(b, methods[i%3]...)
		b = append(b, ',')
		b = append(b, regions[i%4]...)
		b = append(b, '\n')
		w.Write(b)
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	return path
}

func readAll(tb testing.TB, path string) int {
	tb.Helper()
	rs, err := replay.OpenSource(path, replay.SourceOptions{Options: replay.Options{Mapping: replay.Native(), Buyers: 20000}})
	if err != nil {
		tb.Fatal(err)
	}
	defer rs.Close()
	n := 0
	var o payment.Order
	for rs.Next(&o) {
		n++
	}
	if rs.Err() != nil {
		tb.Fatal(rs.Err())
	}
	return n
}

// BenchmarkReadCSV reads a native CSV file into orders and reports rows/s.
func BenchmarkReadCSV(b *testing.B) {
	const rows = 1_000_000
	path := genCSV(b, b.TempDir(), rows)
	b.ResetTimer()
	start := time.Now()
	for b.Loop() {
		if n := readAll(b, path); n != rows {
			b.Fatalf("read %d rows, want %d", n, rows)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/time.Since(start).Seconds(), "rows/s")
}

// BenchmarkPeakHeap reads files of 100k and 10M rows and reports the peak
// live heap while reading (sampled with runtime/metrics): it must not
// grow with the file. The files are generated in a temp dir.
func BenchmarkPeakHeap(b *testing.B) {
	for _, rows := range []int{100_000, 10_000_000} {
		b.Run(fmt.Sprintf("rows=%d", rows), func(b *testing.B) {
			path := genCSV(b, b.TempDir(), rows)
			for b.Loop() {
				peak := peakHeap(func() { readAll(b, path) })
				b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
			}
		})
	}
}

// peakHeap runs f and samples the heap's live objects every millisecond,
// returning the largest sample above the heap before f.
func peakHeap(f func()) uint64 {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	base := sample[0].Value.Uint64()
	var peak uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				metrics.Read(s)
				if v := s[0].Value.Uint64(); v > base && v-base > peak {
					peak = v - base
				}
			}
		}
	})
	f()
	close(done)
	wg.Wait()
	return peak
}
