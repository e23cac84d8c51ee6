package build

import (
	"runtime/debug"
	"testing"
)

func TestFromBuildInfo(t *testing.T) {
	rev := "655ada11848f0123456789abcdef0123456789ab"
	for _, tc := range []struct {
		name     string
		version  string
		settings map[string]string
		want     string
	}{
		{"go test", "", nil, "devel"},
		{"devel with vcs", "(devel)", map[string]string{"vcs.revision": rev}, "devel 655ada11848f"},
		{"dirty tree", "(devel)", map[string]string{"vcs.revision": rev, "vcs.modified": "true"}, "devel 655ada11848f+modified"},
		{"pseudo-version", "v0.0.0-20261201113825-655ada11848f", map[string]string{"vcs.revision": rev}, "v0.0.0-20261201113825-655ada11848f"},
		{"pseudo-version dirty", "v0.0.0-20261201113825-655ada11848f+dirty", map[string]string{"vcs.revision": rev, "vcs.modified": "true"}, "v0.0.0-20261201113825-655ada11848f+dirty"},
		{"module@version", "v1.2.3", nil, "v1.2.3"},
	} {
		bi := &debug.BuildInfo{Main: debug.Module{Version: tc.version}}
		for k, v := range tc.settings {
			bi.Settings = append(bi.Settings, debug.BuildSetting{Key: k, Value: v})
		}
		if got := FromBuildInfo(bi).String(); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
