package scenario

import (
	"encoding/json"
	"reflect"

	"github.com/invopop/jsonschema"
)

// Patterns of the values written with units, for the JSON Schema.
const (
	durationPattern = `^(0|([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+)$`
	ratePattern     = `^(0|([0-9]+(\.[0-9]*)?|\.[0-9]+)/(s|sec|second|m|min|minute|h|hour))$`
	limitPattern    = `^(off|0|([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+)$`
)

// SchemaURL is where the schema is published: docs/scenario.schema.json
// on the repository's main branch, served as raw JSON (a test keeps the
// file equal to Schema's output). It is the schema's $id and what
// 'paydrill init' points editors at.
const SchemaURL = "https://raw.githubusercontent.com/paydrill/paydrill/main/docs/scenario.schema.json"

// Schema returns a JSON Schema (draft 2020-12) of the scenario file format
// for editors and CI checks. It describes shape only; Validate holds the
// rules between fields.
func Schema() ([]byte, error) {
	r := &jsonschema.Reflector{
		FieldNameTag:               "yaml",
		RequiredFromJSONSchemaTags: true,
		Mapper:                     unitSchema,
	}
	s := r.Reflect(&Scenario{})
	s.ID = jsonschema.ID(SchemaURL)
	s.Title = "paydrill scenario"
	return json.MarshalIndent(s, "", "  ")
}

// unitSchema maps Duration, Rate and Limit to strings with a pattern. A
// bare 0 is also accepted since YAML reads it as a number.
func unitSchema(t reflect.Type) *jsonschema.Schema {
	var pattern, desc string
	switch t {
	case durationType:
		pattern, desc = durationPattern, "A duration such as 90s, 10m, 1h30m or 0"
	case rateType:
		pattern, desc = ratePattern, "A rate such as 20/s, 3/min or 100/h"
	case limitType:
		pattern, desc = limitPattern, "A duration such as 5m, or off to not judge it"
	default:
		return nil
	}
	return &jsonschema.Schema{
		AnyOf: []*jsonschema.Schema{
			{Type: "string", Pattern: pattern, Description: desc},
			{Type: "integer", Const: 0},
		},
	}
}
