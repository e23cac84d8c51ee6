package scenario

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/token"
)

// Field paths name a place in a scenario the way a reader would write it:
// providers[1].latency.median, traffic.methods.card, faults[0].target.

var plainKey = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// field appends a struct field or map key to a path.
func field(path, key string) string {
	if !plainKey.MatchString(key) {
		return path + "[" + strconv.Quote(key) + "]"
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

// index appends a sequence index to a path.
func index(path string, i int) string {
	return path + "[" + strconv.Itoa(i) + "]"
}

// parent strips the last element of a path; the parent of a top-level
// field is "".
func parent(path string) string {
	cut := max(strings.LastIndexByte(path, '.'), strings.LastIndexByte(path, '['))
	if cut < 0 {
		return ""
	}
	// A quoted key may hold dots or brackets; find its opening bracket.
	if strings.HasSuffix(path, `"]`) {
		if open := strings.LastIndex(path, `["`); open >= 0 {
			cut = open
		}
	}
	return path[:cut]
}

// positions maps the field paths of one YAML document to where they are
// written, and tokens back to paths.
type positions struct {
	byPath  map[string]*token.Position
	byToken map[[2]int]string // line, column to the deepest path written there
}

// indexPositions walks a document body and records every path in it.
func indexPositions(body ast.Node) *positions {
	p := &positions{byPath: map[string]*token.Position{}, byToken: map[[2]int]string{}}
	if body != nil {
		p.walk(body, "", nil)
	}
	return p
}

// walk records n at path; at is the position to report for path (the
// key's, for block collections) or nil to use n's own.
func (p *positions) walk(n ast.Node, path string, at *token.Position) {
	n = unwrap(n)
	if n == nil {
		return
	}
	if at == nil || isScalar(n) || isFlow(n) {
		at = startOf(n)
	}
	if _, seen := p.byPath[path]; !seen {
		p.byPath[path] = at
	}
	p.byToken[place(n.GetToken())] = path
	if at := startOf(n); at != nil {
		p.byToken[[2]int{at.Line, at.Column}] = path
	}
	switch n := n.(type) {
	case *ast.MappingNode:
		for _, mv := range n.Values {
			p.walkPair(mv, path)
		}
	case *ast.MappingValueNode:
		p.walkPair(n, path)
	case *ast.SequenceNode:
		for i, v := range n.Values {
			p.walk(v, index(path, i), nil)
		}
	}
}

func (p *positions) walkPair(mv *ast.MappingValueNode, path string) {
	key, ok := keyText(mv.Key)
	if !ok {
		return
	}
	sub := field(path, key)
	kp := mv.Key.GetToken().Position
	p.byToken[place(mv.Key.GetToken())] = sub
	p.walk(mv.Value, sub, kp)
}

// at returns where path is written, falling back to its nearest parent
// that is written (a missing field reports at its enclosing mapping).
func (p *positions) at(path string) (line, col int) {
	for {
		if pos, ok := p.byPath[path]; ok && pos != nil {
			return pos.Line, pos.Column
		}
		if path == "" {
			return 1, 1
		}
		path = parent(path)
	}
}

// pathOf returns the path of the node that starts at tok, or "".
func (p *positions) pathOf(tok *token.Token) string {
	if tok == nil {
		return ""
	}
	return p.byToken[place(tok)]
}

func place(tok *token.Token) [2]int {
	if tok == nil || tok.Position == nil {
		return [2]int{}
	}
	return [2]int{tok.Position.Line, tok.Position.Column}
}

// unwrap looks through anchors and tags to the value they carry.
func unwrap(n ast.Node) ast.Node {
	for {
		switch v := n.(type) {
		case *ast.AnchorNode:
			n = v.Value
		case *ast.TagNode:
			n = v.Value
		case *ast.MappingKeyNode:
			n = v.Value
		default:
			return n
		}
	}
}

// keyText returns the text of a mapping key, or false for merge keys and
// keys that are not scalars.
func keyText(k ast.MapKeyNode) (string, bool) {
	n := unwrap(k)
	if n == nil {
		return "", false
	}
	if _, merge := n.(*ast.MergeKeyNode); merge {
		return "", false
	}
	return scalarText(n)
}

// scalarText returns the text of a scalar node as the file wrote it
// (without quotes), or false when n is not a scalar.
func scalarText(n ast.Node) (string, bool) {
	switch v := unwrap(n).(type) {
	case *ast.StringNode:
		return v.Value, true
	case *ast.LiteralNode:
		return v.Value.Value, true
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.InfinityNode, *ast.NanNode:
		return v.GetToken().Value, true
	case *ast.NullNode:
		return "", true
	}
	return "", false
}

func isScalar(n ast.Node) bool {
	_, ok := scalarText(n)
	return ok
}

func isFlow(n ast.Node) bool {
	switch v := n.(type) {
	case *ast.MappingNode:
		return v.IsFlowStyle
	case *ast.SequenceNode:
		return v.IsFlowStyle
	}
	return false
}

// startOf returns where a node begins in the text. A block mapping's own
// token is the first colon, so it begins at its first key instead.
func startOf(n ast.Node) *token.Position {
	switch v := unwrap(n).(type) {
	case nil:
		return nil
	case *ast.MappingNode:
		if !v.IsFlowStyle && len(v.Values) > 0 {
			return startOf(v.Values[0])
		}
	case *ast.MappingValueNode:
		return startOf(v.Key)
	}
	if tok := unwrap(n).GetToken(); tok != nil {
		return tok.Position
	}
	return nil
}
