package replay

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/paydrill/paydrill/internal/payment"
)

// Writer writes orders as a replay file in the Native mapping: times in
// RFC 3339 with nanoseconds from Start, amounts in minor units, product
// and buyer as their indexes. Replaying it with the same start gives the
// same orders. Close flushes.
type Writer struct {
	start  time.Time
	format string
	w      *bufio.Writer
	csv    *csv.Writer
	rec    []string
	n      int64
}

// NewWriter writes to w in format (csv or jsonl); an order created at d
// gets the time start+d.
func NewWriter(w io.Writer, format string, start time.Time) (*Writer, error) {
	if !slices.Contains(Formats, format) {
		return nil, fmt.Errorf("format %q is not one of csv, jsonl", format)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	wr := &Writer{start: start.UTC(), format: format, w: bw, rec: make([]string, len(NativeColumns()))}
	if format == "csv" {
		wr.csv = csv.NewWriter(bw)
		if err := wr.csv.Write(NativeColumns()); err != nil {
			return nil, err
		}
	}
	return wr, nil
}

// Write writes one order.
func (w *Writer) Write(o *payment.Order) error {
	w.n++
	at := w.start.Add(o.Created).Format(time.RFC3339Nano)
	if w.format == "jsonl" {
		b, err := json.Marshal(struct {
			Time     string `json:"time"`
			Amount   int64  `json:"amount"`
			Currency string `json:"currency"`
			Product  int32  `json:"product"`
			Category string `json:"category"`
			Buyer    int32  `json:"buyer"`
			Method   string `json:"method"`
			Region   string `json:"region"`
		}{at, int64(o.Amount), o.Currency, o.Product, o.Category, o.Buyer, o.Method, o.Region})
		if err != nil {
			return err
		}
		b = append(b, '\n')
		_, err = w.w.Write(b)
		return err
	}
	w.rec[0] = at
	w.rec[1] = strconv.FormatInt(int64(o.Amount), 10)
	w.rec[2] = o.Currency
	w.rec[3] = strconv.FormatInt(int64(o.Product), 10)
	w.rec[4] = o.Category
	w.rec[5] = strconv.FormatInt(int64(o.Buyer), 10)
	w.rec[6] = o.Method
	w.rec[7] = o.Region
	return w.csv.Write(w.rec)
}

// Count is how many orders were written.
func (w *Writer) Count() int64 { return w.n }

// Close flushes what is buffered (it does not close the underlying writer).
func (w *Writer) Close() error {
	if w.csv != nil {
		w.csv.Flush()
		if err := w.csv.Error(); err != nil {
			return err
		}
	}
	return w.w.Flush()
}
