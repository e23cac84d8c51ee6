package scenario

import (
	"errors"
	"os"
	"reflect"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// Load reads, validates and completes the scenario in the file at path.
// See Parse.
func Load(path string) (*Scenario, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// Parse decodes one scenario from data, names it name in errors (usually
// the file path), validates it and applies the defaults.
//
// Every problem found is reported, not only the first: the error is an
// *Errors whose entries read FILE:LINE:COL: PATH: MESSAGE. Decoding is
// strict: unknown fields, values of the wrong type, more than one YAML
// document and an empty file are errors.
func Parse(name string, data []byte) (*Scenario, error) {
	// Duplicate keys pass the parser so that the shape check reports them
	// with their path.
	data, err := preParse(name, data)
	if err != nil {
		return nil, err
	}
	file, err := parser.ParseBytes(data, 0, parser.AllowDuplicateMapKey())
	if err != nil {
		return nil, syntaxErrors(name, err)
	}
	var docs []*ast.DocumentNode
	for _, d := range file.Docs {
		if d != nil && d.Body != nil {
			docs = append(docs, d)
		}
	}
	switch {
	case len(docs) == 0:
		return nil, Errors{{File: name, Line: 1, Col: 1, Msg: "the file holds no scenario"}}.err()
	case len(docs) > 1:
		line, col := 1, 1
		if at := startOf(docs[1].Body); at != nil {
			line, col = at.Line, at.Column
		}
		return nil, Errors{{File: name, Line: line, Col: col,
			Msg: "a scenario file holds one YAML document; this is a second"}}.err()
	}
	body := docs[0].Body
	if err := checkNodes(name, body); err != nil {
		return nil, err
	}
	pos := indexPositions(body)

	var shape shapeChecker
	shape.check(body, reflect.TypeFor[Scenario](), "")
	if len(shape.errs) > 0 {
		errs := make(Errors, len(shape.errs))
		for i, e := range shape.errs {
			line, col := 1, 1
			if at := startOf(e.node); at != nil {
				line, col = at.Line, at.Column
			}
			errs[i] = &FieldError{File: name, Line: line, Col: col, Path: e.path, Msg: e.msg}
		}
		return nil, errs.err()
	}

	s := new(Scenario)
	if err := yaml.NodeToValue(body, s, yaml.Strict(), yaml.AllowDuplicateMapKey()); err != nil {
		return nil, decodeErrors(name, pos, err)
	}
	if err := s.Validate(); err != nil {
		var verrs *Errors
		if !errors.As(err, &verrs) {
			return nil, err
		}
		return nil, located(name, pos, *verrs).err()
	}
	if errs := s.checkReplayFile(name); len(errs) > 0 {
		return nil, located(name, pos, errs).err()
	}
	s.Defaults()
	if errs := s.surveyReplay(); len(errs) > 0 {
		return nil, located(name, pos, errs).err()
	}
	return s, nil
}

// syntaxErrors turns a YAML parse error into Errors.
func syntaxErrors(name string, err error) error {
	fe := &FieldError{File: name, Line: 1, Col: 1, Msg: err.Error()}
	var yerr yaml.Error
	if errors.As(err, &yerr) {
		fe.Msg = yerr.GetMessage()
		if tok := yerr.GetToken(); tok != nil && tok.Position != nil {
			fe.Line, fe.Col = tok.Position.Line, tok.Position.Column
		}
	}
	return Errors{fe}.err()
}

// decodeErrors turns an error of the YAML decoder into Errors, finding
// the path of the node it names. The shape check catches what the
// decoder would refuse, so this is a safety net.
func decodeErrors(name string, pos *positions, err error) error {
	fe := &FieldError{File: name, Line: 1, Col: 1, Msg: err.Error()}
	var yerr yaml.Error
	if errors.As(err, &yerr) {
		fe.Msg = yerr.GetMessage()
		if tok := yerr.GetToken(); tok != nil && tok.Position != nil {
			fe.Line, fe.Col = tok.Position.Line, tok.Position.Column
			fe.Path = pos.pathOf(tok)
		}
	}
	return Errors{fe}.err()
}

// located gives errors found by field path the file position of the field.
func located(name string, pos *positions, in Errors) Errors {
	errs := make(Errors, len(in))
	for i, e := range in {
		line, col := pos.at(e.Path)
		errs[i] = &FieldError{File: name, Line: line, Col: col, Path: e.Path, Msg: e.Msg}
	}
	return errs
}
