package replay

import "fmt"

// RowError is a row that cannot be read: where it is and what is wrong.
type RowError struct {
	File   string
	Line   int    // line in the file where the row starts (1-based)
	Row    int    // data row, counted from 1 (a CSV header is not a row)
	Column string // the column at fault; "" for the whole row
	Msg    string
}

// Error reads FILE:LINE: row N: column C: MESSAGE.
func (e *RowError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("%s:%d: row %d: %s", e.File, e.Line, e.Row, e.Msg)
	}
	return fmt.Sprintf("%s:%d: row %d: column %s: %s", e.File, e.Line, e.Row, e.Column, e.Msg)
}

// TooManyBadRowsError stops a read: more bad rows than allowed. Last is
// the bad row that went over the limit.
type TooManyBadRowsError struct {
	Bad  int // bad rows met, Last included
	Max  int // bad rows allowed
	Last *RowError
}

func (e *TooManyBadRowsError) Error() string {
	if e.Max == 0 {
		return fmt.Sprintf("%v (stopped at the first bad row; max_bad_rows allows more)", e.Last)
	}
	return fmt.Sprintf("%v (stopped: %d bad rows, max_bad_rows is %d)", e.Last, e.Bad, e.Max)
}

// Unwrap returns the last bad row.
func (e *TooManyBadRowsError) Unwrap() error { return e.Last }
