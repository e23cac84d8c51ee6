package scenario

import (
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/ast"
)

// The shape check walks the YAML tree alongside the Go types before
// decoding, so that every unknown field, wrong type and bad duration or
// rate is reported with its path and position, not only the first one the
// decoder meets.

var (
	durationType = reflect.TypeFor[Duration]()
	rateType     = reflect.TypeFor[Rate]()
	limitType    = reflect.TypeFor[Limit]()
)

// shapeError is a problem found at a node.
type shapeError struct {
	node ast.Node
	path string
	msg  string
}

type shapeChecker struct {
	errs []shapeError
}

func (c *shapeChecker) fail(n ast.Node, path, format string, args ...any) {
	c.errs = append(c.errs, shapeError{node: n, path: path, msg: fmt.Sprintf(format, args...)})
}

// check reports where n cannot decode into a value of type t.
func (c *shapeChecker) check(n ast.Node, t reflect.Type, path string) {
	n = unwrap(n)
	switch n.(type) {
	case nil, *ast.NullNode:
		return // null leaves the zero value
	case *ast.AliasNode:
		return // the anchored value was checked where it is written
	}
	switch t {
	case durationType:
		c.unit(n, path, "duration", func(s string) error { _, err := ParseDuration(s); return err })
		return
	case rateType:
		c.unit(n, path, "rate", func(s string) error { _, err := ParseRate(s); return err })
		return
	case limitType:
		c.unit(n, path, "duration or off", func(s string) error { _, err := ParseLimit(s); return err })
		return
	}
	switch t.Kind() {
	case reflect.Pointer:
		c.check(n, t.Elem(), path)
	case reflect.Struct:
		c.structure(n, t, path)
	case reflect.Map:
		m, ok := n.(*ast.MappingNode)
		if !ok {
			c.fail(n, path, "expected a mapping, got %s", describe(n))
			return
		}
		seen := map[string]int{}
		for _, mv := range m.Values {
			key, ok := keyText(mv.Key)
			if !ok {
				continue
			}
			sub := field(path, key)
			if line, dup := seen[key]; dup {
				c.fail(mv.Key, sub, "%q is written twice (first on line %d)", key, line)
				continue
			}
			seen[key] = mv.Key.GetToken().Position.Line
			c.check(mv.Value, t.Elem(), sub)
		}
	case reflect.Slice:
		s, ok := n.(*ast.SequenceNode)
		if !ok {
			c.fail(n, path, "expected a list, got %s", describe(n))
			return
		}
		for i, v := range s.Values {
			c.check(v, t.Elem(), index(path, i))
		}
	case reflect.String:
		if !isScalar(n) {
			c.fail(n, path, "expected a string, got %s", describe(n))
		}
	case reflect.Bool:
		if _, ok := n.(*ast.BoolNode); !ok {
			c.fail(n, path, "expected true or false, got %s", describe(n))
		}
	case reflect.Int:
		v, ok := n.(*ast.IntegerNode)
		if !ok {
			c.fail(n, path, "expected an integer, got %s", describe(n))
		} else if u, big := v.Value.(uint64); big && u > math.MaxInt64 {
			c.fail(n, path, "%s is out of range", v.GetToken().Value)
		}
	case reflect.Uint64:
		v, ok := n.(*ast.IntegerNode)
		switch {
		case !ok:
			c.fail(n, path, "expected an integer, got %s", describe(n))
		case strings.HasPrefix(v.GetToken().Value, "-"):
			c.fail(n, path, "expected a non-negative integer, got %s", v.GetToken().Value)
		}
	case reflect.Float64:
		switch v := n.(type) {
		case *ast.IntegerNode:
		case *ast.FloatNode:
			if math.IsInf(v.Value, 0) || math.IsNaN(v.Value) {
				c.fail(n, path, "expected a finite number, got %s", v.GetToken().Value)
			}
		case *ast.InfinityNode, *ast.NanNode:
			c.fail(n, path, "expected a finite number, got %s", v.GetToken().Value)
		default:
			c.fail(n, path, "expected a number, got %s", describe(n))
		}
	}
}

// structure checks a mapping against the fields of struct type t.
func (c *shapeChecker) structure(n ast.Node, t reflect.Type, path string) {
	m, ok := n.(*ast.MappingNode)
	if !ok {
		c.fail(n, path, "expected a mapping, got %s", describe(n))
		return
	}
	fields := yamlFields(t)
	seen := map[string]int{}
	for _, mv := range m.Values {
		key, ok := keyText(mv.Key)
		if !ok {
			continue
		}
		sub := field(path, key)
		f, known := fields[key]
		if !known {
			c.fail(mv.Key, sub, "unknown field %q%s", key, suggest(key, fields))
			continue
		}
		if line, dup := seen[key]; dup {
			c.fail(mv.Key, sub, "%q is written twice (first on line %d)", key, line)
			continue
		}
		seen[key] = mv.Key.GetToken().Position.Line
		c.check(mv.Value, f.Type, sub)
	}
}

// unit checks a scalar written in a unit (duration, rate, limit).
func (c *shapeChecker) unit(n ast.Node, path, what string, parse func(string) error) {
	s, ok := scalarText(n)
	if !ok {
		c.fail(n, path, "expected a %s, got %s", what, describe(n))
		return
	}
	if err := parse(s); err != nil {
		c.fail(n, path, "%s", err)
	}
}

// yamlFields maps the YAML names of a struct's fields to the fields.
func yamlFields(t reflect.Type) map[string]reflect.StructField {
	out := map[string]reflect.StructField{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		out[name] = f
	}
	return out
}

// suggest returns ` (did you mean "x"?)` for a near miss, else "".
func suggest(key string, fields map[string]reflect.StructField) string {
	names := make([]string, 0, len(fields))
	for name := range fields {
		names = append(names, name)
	}
	sort.Strings(names)
	best, bestDist := "", 3
	for _, name := range names {
		if d := distance(key, name); d < bestDist {
			best, bestDist = name, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// distance is the Levenshtein distance between a and b.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// describe names the kind of a node for messages: a mapping, a list,
// string "abc", number 3.5.
func describe(n ast.Node) string {
	switch v := n.(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	case *ast.StringNode:
		return "string " + strconv.Quote(v.Value)
	case *ast.LiteralNode:
		return "a block of text"
	case *ast.IntegerNode, *ast.FloatNode, *ast.InfinityNode, *ast.NanNode:
		return "number " + v.GetToken().Value
	case *ast.BoolNode:
		return "boolean " + v.GetToken().Value
	}
	return n.Type().String()
}
