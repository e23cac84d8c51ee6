package drill

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestStartSUTFails: RunWall gives StartSUT every mock provider's URL once
// the mocks answer; a router that cannot start fails the drill with its
// error, and the mocks are closed.
func TestStartSUTFails(t *testing.T) {
	var seen map[string]string
	var answered []string
	start := func(ctx context.Context, providers map[string]string) (string, func(), error) {
		seen = providers
		for name, u := range providers {
			if resp, err := http.Get(u + "/_paydrill/ledger"); err == nil {
				resp.Body.Close()
				answered = append(answered, name)
			}
		}
		return "", nil, errors.New("no such image")
	}
	_, err := RunWall(context.Background(), load(t, "merchant-freeze"), WallOptions{Scale: 60, StartSUT: start})
	if err == nil || !strings.Contains(err.Error(), "router under test: no such image") {
		t.Fatalf("RunWall error %v, want the router's start error", err)
	}
	var names []string
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	slices.Sort(answered)
	want := []string{"alpha", "beta", "delta", "gamma"}
	if d := cmp.Diff(want, names); d != "" {
		t.Errorf("providers given to StartSUT (-want +got):\n%s", d)
	}
	if d := cmp.Diff(want, answered); d != "" {
		t.Errorf("mocks answering when StartSUT ran (-want +got):\n%s", d)
	}
	for name, u := range seen {
		if resp, err := http.Get(u + "/_paydrill/ledger"); err == nil {
			resp.Body.Close()
			t.Errorf("mock %s still answers at %s after the drill", name, u)
		}
	}
}

// TestStartSUTWithSUT: a router URL and a router to start are one too many.
func TestStartSUTWithSUT(t *testing.T) {
	start := func(context.Context, map[string]string) (string, func(), error) {
		t.Error("StartSUT called")
		return "", func() {}, nil
	}
	_, err := RunWall(context.Background(), load(t, "merchant-freeze"), WallOptions{SUT: "http://127.0.0.1:1", StartSUT: start})
	if err == nil || !strings.Contains(err.Error(), "give one") {
		t.Errorf("RunWall error %v, want a refusal", err)
	}
}
