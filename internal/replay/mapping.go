package replay

import (
	"fmt"
	"strings"
)

// Field is one thing a row can say about an order or its history.
type Field int

// Fields of a row. Time and Amount are required; the others are optional.
const (
	Time Field = iota
	Amount
	Currency
	Product
	Category
	Buyer
	Method
	Region
	Intent    // the payment an attempt belongs to (first attempt = the order)
	Provider  // the provider that handled the attempt (history)
	Outcome   // the attempt's status (history)
	Code      // the decline or error code (history)
	Latency   // the create call's latency in milliseconds (history)
	Completed // when the payment completed (history; same formats as time)
	numFields
)

var fieldNames = [numFields]string{
	"time", "amount", "currency", "product", "category", "buyer", "method", "region",
	"intent", "provider", "outcome", "code", "latency", "completed",
}

// String is the field's name in a scenario's mapping.
func (f Field) String() string {
	if f >= 0 && f < numFields {
		return fieldNames[f]
	}
	return fmt.Sprintf("field(%d)", int(f))
}

// Fields lists every field in order.
func Fields() []Field {
	out := make([]Field, numFields)
	for i := range out {
		out[i] = Field(i)
	}
	return out
}

// Mapping says which column holds each field ("" for none) and how
// amounts are written.
type Mapping struct {
	Columns [numFields]string
	// MajorUnits: amounts are decimals in major units (12.50), not
	// integer minor units (1250).
	MajorUnits bool
}

// Column returns the column mapped to f, "" for none.
func (m *Mapping) Column(f Field) string { return m.Columns[f] }

// Set maps f to column.
func (m *Mapping) Set(f Field, column string) { m.Columns[f] = column }

// Native is the mapping of files `paydrill record` writes.
func Native() Mapping {
	var m Mapping
	for _, f := range []Field{Time, Amount, Currency, Product, Category, Buyer, Method, Region} {
		m.Columns[f] = f.String()
	}
	return m
}

// NativeColumns are the columns `paydrill record` writes, in order.
func NativeColumns() []string {
	return []string{"time", "amount", "currency", "product", "category", "buyer", "method", "region"}
}

// Orchestrator is the mapping of the payment-attempt export of open-source
// payment orchestrators: payment_intent_id, payment_attempt_id, amount
// (minor units), payment_gateway, payment_status, created_at,
// payment_method_type, order_currency, card_network. payment_attempt_id
// and card_network are not read (map card_network to category to aim
// block faults at a network).
func Orchestrator() Mapping {
	var m Mapping
	m.Columns[Time] = "created_at"
	m.Columns[Amount] = "amount"
	m.Columns[Currency] = "order_currency"
	m.Columns[Method] = "payment_method_type"
	m.Columns[Intent] = "payment_intent_id"
	m.Columns[Provider] = "payment_gateway"
	m.Columns[Outcome] = "payment_status"
	return m
}

// Preset returns a built-in mapping by name: "paydrill" (Native) or
// "orchestrator".
func Preset(name string) (Mapping, bool) {
	switch name {
	case "", "paydrill":
		return Native(), true
	case "orchestrator":
		return Orchestrator(), true
	}
	return Mapping{}, false
}

// Presets lists the names Preset knows.
func Presets() []string { return []string{"paydrill", "orchestrator"} }

// secretWords are parts of column names that hold secrets.
var secretWords = []string{
	"card_number", "cardnumber", "card_no", "pan", "cvc", "cvv", "cvn", "expiry", "exp_month", "exp_year",
	"password", "secret", "token", "iban", "account_number", "ssn",
}

// Secret reports whether a column's name says it holds a secret (a card
// number, CVC, expiry, token, password...). A mapping may not name one.
func Secret(column string) bool {
	c := strings.ToLower(column)
	for _, w := range secretWords {
		if c == w || strings.HasPrefix(c, w+"_") || strings.HasSuffix(c, "_"+w) || strings.Contains(c, "_"+w+"_") {
			return true
		}
		if len(w) > 4 && strings.Contains(c, w) {
			return true
		}
	}
	return false
}

// Check reports what is wrong with the mapping against a file's columns
// (nil columns: not checked against a file), one error per problem, each
// naming the field.
func (m *Mapping) Check(columns []string) []FieldProblem {
	var out []FieldProblem
	have := map[string]bool{}
	for _, c := range columns {
		have[c] = true
	}
	for f := range numFields {
		col := m.Columns[f]
		switch {
		case col == "" && (f == Time || f == Amount):
			out = append(out, FieldProblem{Field: f, Msg: fmt.Sprintf("the mapping needs a %s column", f)})
		case col == "":
		case Secret(col):
			out = append(out, FieldProblem{Field: f, Msg: fmt.Sprintf("column %q holds secrets; paydrill does not read it", col)})
		case columns != nil && !have[col]:
			out = append(out, FieldProblem{Field: f, Msg: fmt.Sprintf("no column %q in the file (have %s)", col, strings.Join(columns, ", "))})
		}
	}
	return out
}

// FieldProblem is a mapping field that does not fit.
type FieldProblem struct {
	Field Field
	Msg   string
}
