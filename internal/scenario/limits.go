package scenario

import (
	"bytes"
	"fmt"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/lexer"
	"github.com/goccy/go-yaml/token"
)

// Ceilings of the scenario format (docs/limits.md). A file over one is
// refused with its place and figure before anything else reads it, so
// that whatever validate accepts, run survives on an ordinary machine.
const (
	// MaxFileBytes is the largest scenario file (a drill is a few KB).
	MaxFileBytes = 256 << 10
	// MaxDepth is the deepest nesting of mappings and sequences (a
	// scenario needs 6).
	MaxDepth = 32
	// MaxNodes caps the YAML values of a file with every alias expanded
	// (an alias of an alias of a list grows exponentially).
	MaxNodes = 100_000
)

// preParse refuses what the YAML parser must not see: a file too large
// or too deeply nested (the parser's memory grows with the square of the
// depth). It returns data without a UTF-8 byte order mark.
func preParse(name string, data []byte) ([]byte, error) {
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	if len(data) > MaxFileBytes {
		return nil, Errors{{File: name, Line: 1, Col: 1,
			Msg: fmt.Sprintf("the file is %s; the ceiling is %s (docs/limits.md)", byteSize(int64(len(data))), byteSize(MaxFileBytes))}}.err()
	}
	if at, depth := deepest(data); depth > MaxDepth {
		return nil, Errors{{File: name, Line: at.Line, Col: at.Column,
			Msg: fmt.Sprintf("nesting %d deep here; the ceiling is %d levels (docs/limits.md)", depth, MaxDepth)}}.err()
	}
	return data, nil
}

// deepest returns where nesting first goes past MaxDepth (or the deepest
// place) and its depth, from the tokens alone. Flow collections ([ and {)
// count one level each; block collections count one level per column
// they open at, so "- - - x" is three levels.
func deepest(data []byte) (*token.Position, int) {
	var (
		flow   int
		block  []int // columns of the open block collections
		most   int
		maxPos = &token.Position{Line: 1, Column: 1}
	)
	toks := lexer.Tokenize(string(data))
	for i, tk := range toks {
		if tk.Position == nil {
			continue
		}
		switch tk.Type {
		case token.SequenceStartType, token.MappingStartType:
			flow++
		case token.SequenceEndType, token.MappingEndType:
			flow = max0(flow - 1)
		case token.SequenceEntryType, token.MappingKeyType, token.MappingValueType:
			if flow > 0 {
				continue
			}
			col := tk.Position.Column
			if tk.Type == token.MappingValueType && i > 0 && toks[i-1].Position != nil {
				col = toks[i-1].Position.Column // the key's column
			}
			for len(block) > 0 && block[len(block)-1] > col {
				block = block[:len(block)-1]
			}
			if len(block) == 0 || block[len(block)-1] < col {
				block = append(block, col)
			}
		default:
			continue
		}
		if d := flow + len(block); d > most {
			most, maxPos = d, tk.Position
			if most > MaxDepth {
				return maxPos, most
			}
		}
	}
	return maxPos, most
}

func max0(n int) int {
	if n < 0 {
		return 0
	}
	return n
}

// nodeCount counts the values of a document with aliases expanded,
// saturating past MaxNodes; total runs in the order the values are read,
// and at is the alias that took it past MaxNodes.
type nodeCount struct {
	anchors map[string]int
	total   int
	at      *token.Token
}

// size returns the number of values in n, aliases expanded, at most MaxNodes+1.
func (c *nodeCount) size(n ast.Node) int {
	s := 1
	switch n.(type) {
	case nil, *ast.AnchorNode, *ast.TagNode, *ast.MappingKeyNode:
	default:
		c.total++ // values in the order read, aliases expanded
	}
	switch n := n.(type) {
	case nil:
		return 0
	case *ast.AnchorNode:
		s = c.size(n.Value)
		if n.Name != nil {
			c.anchors[n.Name.GetToken().Value] = s
		}
		return s
	case *ast.AliasNode:
		if n.Value != nil {
			s = max(1, c.anchors[n.Value.GetToken().Value])
		}
		c.total += s - 1 // the alias's own value is counted below
		if c.at == nil && c.total+1 > MaxNodes {
			c.at = n.GetToken()
		}
	case *ast.TagNode:
		return c.size(n.Value)
	case *ast.MappingKeyNode:
		return c.size(n.Value)
	case *ast.MappingValueNode:
		s += c.size(n.Key) + c.size(n.Value)
	case *ast.MappingNode:
		for _, v := range n.Values {
			s += c.size(v)
			if s > MaxNodes {
				break
			}
		}
	case *ast.SequenceNode:
		for _, v := range n.Values {
			s += c.size(v)
			if s > MaxNodes {
				break
			}
		}
	}
	s = min(s, MaxNodes+1)
	return s
}

// checkNodes refuses a document whose values, aliases expanded, pass
// MaxNodes.
func checkNodes(name string, body ast.Node) error {
	c := &nodeCount{anchors: map[string]int{}}
	if n := c.size(body); n > MaxNodes {
		line, col := 1, 1
		if c.at != nil && c.at.Position != nil {
			line, col = c.at.Position.Line, c.at.Position.Column
		}
		return Errors{{File: name, Line: line, Col: col,
			Msg: fmt.Sprintf("the file holds more than %d values with its aliases expanded; the ceiling is %d (docs/limits.md)", MaxNodes, MaxNodes)}}.err()
	}
	return nil
}

// byteSize writes a byte count in B, KiB, MiB or GiB.
func byteSize(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
