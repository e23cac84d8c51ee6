// Package build says which build of paydrill is running: the module
// version and the VCS revision the Go toolchain stamps into the binary
// (runtime/debug.ReadBuildInfo), so reports can say what produced them.
package build

import (
	"runtime/debug"
	"strings"
)

// Info identifies a build.
type Info struct {
	// Version is the module version: v1.2.3 when installed as
	// module@version, a pseudo-version or "devel" when built from a
	// checkout.
	Version string `json:"version"`
	// Revision is the VCS commit the binary was built from, "" when the
	// build had no VCS information (go test, go run of a file, -buildvcs=false).
	Revision string `json:"revision,omitempty"`
	// Time is the commit's time (RFC 3339), "" without VCS information.
	Time string `json:"time,omitempty"`
	// Modified is true when the work tree had uncommitted changes.
	Modified bool `json:"modified,omitempty"`
}

// Read is the running binary's build.
func Read() Info {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return Info{Version: "devel"}
	}
	return FromBuildInfo(bi)
}

// FromBuildInfo reads a build's identity from its build information.
func FromBuildInfo(bi *debug.BuildInfo) Info {
	i := Info{Version: bi.Main.Version}
	if i.Version == "" || i.Version == "(devel)" {
		i.Version = "devel"
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			i.Revision = s.Value
		case "vcs.time":
			i.Time = s.Value
		case "vcs.modified":
			i.Modified = s.Value == "true"
		}
	}
	return i
}

// String is the build in one line: "v1.2.3",
// "v0.0.0-20261201113825-3f2a1b9c0d12" (a pseudo-version, from a clone),
// "devel 3f2a1b9c0d12" or "devel 3f2a1b9c0d12+modified" (older Go).
func (i Info) String() string {
	var b strings.Builder
	b.WriteString(i.Version)
	// Since Go 1.24 a build from a checkout has a pseudo-version that
	// holds the revision (and +dirty); then the revision is not repeated.
	if rev := i.Revision[:min(12, len(i.Revision))]; rev != "" && !strings.Contains(i.Version, rev) {
		b.WriteString(" " + rev)
		if i.Modified {
			b.WriteString("+modified")
		}
	}
	return b.String()
}
