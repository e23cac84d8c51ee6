package drill

import (
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/paydrill/paydrill/internal/scenario"
)

func TestPrint(t *testing.T) {
	if os.Getenv("PRINT") == "" {
		t.Skip()
	}
	s, err := scenario.Load(os.Getenv("PRINT"))
	if err != nil {
		t.Fatal(err)
	}
	for _, rt := range []string{"health", "static", "priority", "retry-blind"} {
		r, err := Run(context.Background(), s, Options{Router: rt})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.MarshalIndent(struct{ V, O, F, E any }{r.Verdict, r.Orders, r.Faults, r.Expectations}, "", " ")
		t.Logf("%s: %s", rt, b)
	}
}
