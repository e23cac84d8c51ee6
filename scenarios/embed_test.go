package scenarios

import (
	"slices"
	"testing"

	"github.com/paydrill/paydrill/internal/scenario"
)

// Every drill of the library is a valid scenario whose name is its file name.
func TestLibraryIsValid(t *testing.T) {
	names := Names()
	if !slices.Contains(names, Default) {
		t.Fatalf("default drill %q is not in the library %v", Default, names)
	}
	for _, n := range names {
		data, err := Read(n)
		if err != nil {
			t.Fatal(err)
		}
		s, err := scenario.Parse(n+".yaml", data)
		if err != nil {
			t.Errorf("%s: %v", n, err)
			continue
		}
		if s.Name != n {
			t.Errorf("%s.yaml is named %q inside; want the file name", n, s.Name)
		}
		if s.Description == "" {
			t.Errorf("%s: no description", n)
		}
	}
}
