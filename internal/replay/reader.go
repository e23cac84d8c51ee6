package replay

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Formats lists the file formats.
var Formats = []string{"csv", "jsonl"}

// DefaultBuyers is the buyer population when Options.Buyers is 0.
const DefaultBuyers = 10000

// Options choose how a file is read.
type Options struct {
	// Format: csv or jsonl; "" takes it from the file's extension.
	Format  string
	Mapping Mapping
	// MaxBadRows is how many bad rows are reported and passed over before
	// the read stops; 0 stops at the first.
	MaxBadRows int
	// OnBadRow, when set, is told of every bad row (the one that stops
	// the read included).
	OnBadRow func(*RowError)
	// Buyers is the size of the buyer population buyer ids map into.
	Buyers int
	// Sorted: a row earlier than the one before is a bad row.
	Sorted bool
}

// FormatOf returns the format named by a file's extension (.csv, .jsonl,
// .ndjson), "" when it names none.
func FormatOf(path string) string {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		return "csv"
	case ".jsonl", ".ndjson":
		return "jsonl"
	}
	return ""
}

// Reader streams the rows of one file. Not safe for concurrent use.
type Reader struct {
	path   string
	opt    Options
	f      *os.File
	csv    *csv.Reader
	lines  *bufio.Reader
	cols   [numFields]int // CSV: index of each field's column, -1 none
	ncols  int
	obj    map[string]json.RawMessage
	line   int // JSONL: lines read
	row    int // data rows read
	bad    int
	last   int64
	err    error
	intern [numFields]interner
	prods  products
}

// Open opens path for reading with opt. It reads a CSV file's header and
// checks the mapping against it: a mapped column the file lacks is an
// error.
func Open(path string, opt Options) (*Reader, error) {
	if opt.Format == "" {
		opt.Format = FormatOf(path)
	}
	if !slices.Contains(Formats, opt.Format) {
		return nil, fmt.Errorf("%s: format %q is not one of csv, jsonl (name it .csv or .jsonl, or set format)", path, opt.Format)
	}
	if opt.Buyers <= 0 {
		opt.Buyers = DefaultBuyers
	}
	if probs := opt.Mapping.Check(nil); len(probs) > 0 {
		return nil, fmt.Errorf("%s: mapping.%s: %s", path, probs[0].Field, probs[0].Msg)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	r := &Reader{path: path, opt: opt, f: f}
	if err := r.start(); err != nil {
		f.Close()
		return nil, err
	}
	return r, nil
}

// byteOrderMark may open a file written on Windows; it is not data.
const byteOrderMark = "\ufeff"

// start reads from the top of the file.
func (r *Reader) start() error {
	r.row, r.line, r.last = 0, 0, 0
	if r.opt.Format == "jsonl" {
		r.lines = bufio.NewReaderSize(r.f, 64<<10)
		// A UTF-8 byte order mark is not part of the first object.
		if bom, err := r.lines.Peek(len(byteOrderMark)); err == nil && string(bom) == byteOrderMark {
			_, _ = r.lines.Discard(len(byteOrderMark))
		}
		return nil
	}
	c := csv.NewReader(bufio.NewReaderSize(r.f, 64<<10))
	c.ReuseRecord = true
	header, err := c.Read()
	if err == io.EOF {
		return fmt.Errorf("%s: the file is empty (a CSV file starts with a header row)", r.path)
	}
	if err != nil {
		return fmt.Errorf("%s: header: %w", r.path, err)
	}
	header = slices.Clone(header)
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], byteOrderMark)
	}
	if probs := r.opt.Mapping.Check(header); len(probs) > 0 {
		return fmt.Errorf("%s: mapping.%s: %s", r.path, probs[0].Field, probs[0].Msg)
	}
	for f := range numFields {
		r.cols[f] = -1
		if col := r.opt.Mapping.Columns[f]; col != "" {
			r.cols[f] = slices.Index(header, col)
		}
	}
	r.ncols = len(header)
	c.FieldsPerRecord = len(header)
	r.csv = c
	return nil
}

// Rewind goes back to the first row (for loop). Bad rows met so far
// still count against MaxBadRows.
func (r *Reader) Rewind() error {
	if r.err != nil {
		return r.err
	}
	if _, err := r.f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	return r.start()
}

// Close closes the file.
func (r *Reader) Close() error { return r.f.Close() }

// Err is what stopped the read: nil at the end of the file, a
// *TooManyBadRowsError, or a read error.
func (r *Reader) Err() error { return r.err }

// BadRows is how many bad rows were met.
func (r *Reader) BadRows() int { return r.bad }

// Rows is how many data rows were read since the top of the file.
func (r *Reader) Rows() int { return r.row }

// Next reads the next good row into row; false at the end of the file or
// when the read stopped (see Err).
func (r *Reader) Next(row *Row) bool {
	for r.err == nil {
		var rerr *RowError
		var ok bool
		if r.csv != nil {
			ok, rerr = r.nextCSV(row)
		} else {
			ok, rerr = r.nextJSON(row)
		}
		if rerr == nil {
			if ok && r.opt.Sorted {
				if row.At < r.last {
					rerr = r.rowErr(r.lineOf(), Time, fmt.Sprintf("%s is earlier than the row before (%s): the file must be sorted by time",
						fmtTime(row.At), fmtTime(r.last)))
				} else {
					r.last = row.At
				}
			}
			if rerr == nil {
				return ok
			}
		}
		r.reject(rerr)
	}
	return false
}

func (r *Reader) reject(e *RowError) {
	r.bad++
	if r.opt.OnBadRow != nil {
		r.opt.OnBadRow(e)
	}
	if r.bad > r.opt.MaxBadRows {
		r.err = &TooManyBadRowsError{Bad: r.bad, Max: r.opt.MaxBadRows, Last: e}
	}
}

func fmtTime(ns int64) string { return time.Unix(0, ns).UTC().Format(time.RFC3339Nano) }

func (r *Reader) lineOf() int {
	if r.csv != nil {
		line, _ := r.csv.FieldPos(0)
		return line
	}
	return r.line
}

func (r *Reader) rowErr(line int, f Field, msg string) *RowError {
	col := ""
	if f >= 0 {
		col = r.opt.Mapping.Columns[f]
	}
	return &RowError{File: r.path, Line: line, Row: r.row, Column: col, Msg: msg}
}

func (r *Reader) nextCSV(row *Row) (bool, *RowError) {
	rec, err := r.csv.Read()
	if err == io.EOF {
		return false, nil
	}
	r.row++
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			msg := pe.Err.Error()
			if errors.Is(pe.Err, csv.ErrFieldCount) {
				msg = fmt.Sprintf("%d fields, the header has %d", len(rec), r.ncols)
			}
			return false, &RowError{File: r.path, Line: pe.StartLine, Row: r.row, Msg: msg}
		}
		r.err = fmt.Errorf("%s: %w", r.path, err)
		return false, nil
	}
	return true, r.fill(row, func(f Field) (string, bool) {
		if i := r.cols[f]; i >= 0 {
			return rec[i], true
		}
		return "", false
	})
}

func (r *Reader) nextJSON(row *Row) (bool, *RowError) {
	for {
		line, err := r.lines.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			// A line longer than the buffer: gather it.
			long := slices.Clone(line)
			for err == bufio.ErrBufferFull {
				line, err = r.lines.ReadSlice('\n')
				long = append(long, line...)
			}
			line = long
		}
		if err != nil && err != io.EOF {
			r.err = fmt.Errorf("%s: %w", r.path, err)
			return false, nil
		}
		if len(line) == 0 && err == io.EOF {
			return false, nil
		}
		r.line++
		text := strings.TrimSpace(string(line))
		if text == "" {
			if err == io.EOF {
				return false, nil
			}
			continue
		}
		r.row++
		clear(r.obj)
		if r.obj == nil {
			r.obj = map[string]json.RawMessage{}
		}
		if jerr := json.Unmarshal([]byte(text), &r.obj); jerr != nil {
			return false, &RowError{File: r.path, Line: r.line, Row: r.row, Msg: "not a JSON object: " + jerr.Error()}
		}
		var bad *RowError
		ok := true
		rerr := r.fill(row, func(f Field) (string, bool) {
			col := r.opt.Mapping.Columns[f]
			if col == "" {
				return "", false
			}
			raw, present := r.obj[col]
			if !present || string(raw) == "null" {
				return "", true
			}
			if raw[0] == '"' {
				var s string
				if err := json.Unmarshal(raw, &s); err != nil {
					bad, ok = r.rowErr(r.line, f, "not a JSON string"), false
				}
				return s, true
			}
			if raw[0] == '{' || raw[0] == '[' {
				bad, ok = r.rowErr(r.line, f, "expected a string or a number, got "+string(raw[:1])+"..."), false
				return "", true
			}
			return string(raw), true
		})
		if !ok {
			return false, bad
		}
		return true, rerr
	}
}

// fill reads the mapped fields of one row through get.
func (r *Reader) fill(row *Row, get func(Field) (string, bool)) *RowError {
	line := r.lineOf()
	*row = Row{}
	var err error
	s, _ := get(Time)
	if row.At, err = parseTime(s); err != nil {
		return r.rowErr(line, Time, err.Error())
	}
	s, _ = get(Amount)
	if row.Amount, err = parseAmount(s, r.opt.Mapping.MajorUnits); err != nil {
		return r.rowErr(line, Amount, err.Error())
	}
	for _, t := range []struct {
		f   Field
		dst *string
	}{{Currency, &row.Currency}, {Category, &row.Category}, {Method, &row.Method}, {Region, &row.Region},
		{Provider, &row.Provider}, {Outcome, &row.Outcome}, {Code, &row.Code}} {
		if s, ok := get(t.f); ok && s != "" {
			if *t.dst, err = r.intern[t.f].get(s); err != nil {
				return r.rowErr(line, t.f, err.Error())
			}
		}
	}
	if s, ok := get(Product); ok && s != "" {
		row.Product = r.prods.index(s)
	}
	if s, ok := get(Buyer); ok && s != "" {
		row.Buyer = buyerIndex(s, r.opt.Buyers)
	}
	if s, ok := get(Intent); ok {
		if s == "" {
			return r.rowErr(line, Intent, "empty intent id")
		}
		row.Intent = hash64(s)
	}
	if s, ok := get(Latency); ok && s != "" {
		ms, err := strconv.ParseFloat(s, 64)
		if err != nil || ms < 0 {
			return r.rowErr(line, Latency, fmt.Sprintf("%q is not a latency in milliseconds", s))
		}
		row.Latency, row.HasLatency = time.Duration(ms*float64(time.Millisecond)), true
	}
	if s, ok := get(Completed); ok && s != "" {
		if row.Completed, err = parseTime(s); err != nil {
			return r.rowErr(line, Completed, err.Error())
		}
		row.HasCompleted = true
	}
	return nil
}

// Header returns the columns of a file: a CSV file's header, the keys of
// a JSONL file's first object (sorted). format "" takes the extension.
func Header(path, format string) ([]string, error) {
	if format == "" {
		format = FormatOf(path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReader(f)
	switch format {
	case "csv":
		h, err := csv.NewReader(br).Read()
		if err == io.EOF {
			return nil, errors.New("the file is empty (a CSV file starts with a header row)")
		}
		if err != nil {
			return nil, err
		}
		if len(h) > 0 {
			h[0] = strings.TrimPrefix(h[0], byteOrderMark)
		}
		return h, nil
	case "jsonl":
		for {
			line, err := br.ReadString('\n')
			line = strings.TrimPrefix(line, byteOrderMark)
			if strings.TrimSpace(line) != "" {
				var obj map[string]json.RawMessage
				if err := json.Unmarshal([]byte(line), &obj); err != nil {
					return nil, fmt.Errorf("first line: not a JSON object: %v", err)
				}
				keys := make([]string, 0, len(obj))
				for k := range obj {
					keys = append(keys, k)
				}
				slices.Sort(keys)
				return keys, nil
			}
			if err == io.EOF {
				return nil, errors.New("the file is empty")
			}
			if err != nil {
				return nil, err
			}
		}
	}
	return nil, fmt.Errorf("format %q is not one of csv, jsonl", format)
}
