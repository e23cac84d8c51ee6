package main

import "testing"

// TestResolveProgress: auto gives bars only on a terminal outside CI;
// CI=true (GitHub Actions, GitLab) and TERM=dumb give plain lines even
// when the job has a terminal; an explicit mode is kept.
func TestResolveProgress(t *testing.T) {
	tests := []struct {
		mode string
		tty  bool
		env  map[string]string
		want string
	}{
		{"auto", true, nil, "bars"},
		{"auto", false, nil, "plain"},
		{"auto", true, map[string]string{"CI": "true"}, "plain"},
		{"auto", true, map[string]string{"CI": "1"}, "plain"},
		{"auto", true, map[string]string{"CI": "false"}, "bars"},
		{"auto", true, map[string]string{"CI": "0"}, "bars"},
		{"auto", true, map[string]string{"TERM": "dumb"}, "plain"},
		{"auto", true, map[string]string{"NO_COLOR": "1"}, "bars"},
		{"bars", true, map[string]string{"CI": "true"}, "bars"},
		{"off", true, nil, "off"},
		{"plain", true, nil, "plain"},
	}
	for _, tt := range tests {
		getenv := func(k string) string { return tt.env[k] }
		if got := resolveProgress(tt.mode, tt.tty, getenv); got != tt.want {
			t.Errorf("resolveProgress(%q, tty %v, env %v) = %q, want %q", tt.mode, tt.tty, tt.env, got, tt.want)
		}
	}
}
