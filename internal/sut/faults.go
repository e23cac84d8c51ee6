package sut

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/moby/moby/client"

	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/mocks"
)

// SetFault switches the scenario's fault called name on or off on every
// provider it targets: a container fault with Docker (pause, crash,
// partition) or Toxiproxy (toxic), any other through the mock's control
// API, as in-process mocks are switched.
func (st *Stage) SetFault(name string, on bool) error {
	i := slices.IndexFunc(st.s.Faults, func(f scenario.Fault) bool { return f.Name == name })
	if i < 0 {
		return fmt.Errorf("no fault %q in the scenario", name)
	}
	f := st.s.Faults[i]
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var errs []error
	for _, p := range st.s.TargetIndexes(f) {
		provider := st.s.Providers[p].Name
		key := f.Name + "@" + provider
		st.mu.Lock()
		same := st.switched[key] == on
		st.mu.Unlock()
		if same {
			continue // already so: the drill switches every fault off at the end
		}
		var err error
		switch f.Type {
		case "pause":
			err = st.pause(ctx, provider, on)
		case "crash":
			err = st.crash(ctx, provider, on)
		case "partition":
			err = st.partition(ctx, provider, on)
		case "toxic":
			if on {
				err = st.edgeAPI.AddToxic(provider, f.Name, f.Toxic, scaleToxic(f.Attributes, st.scale))
			} else {
				err = st.edgeAPI.RemoveToxic(provider, f.Name)
			}
		default:
			err = st.mockFault(provider, f.Name, on)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("fault %s on %s: %w", f.Name, provider, err))
			continue
		}
		st.mu.Lock()
		st.switched[key] = on
		st.mu.Unlock()
	}
	return errors.Join(errs...)
}

func (st *Stage) box(provider string) (*mockBox, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	b := st.mocks[provider]
	if b == nil {
		return nil, fmt.Errorf("no mock container for %s", provider)
	}
	return b, nil
}

// pause freezes the mock's process (docker pause): connections still
// open, requests wait in its socket, and nothing is answered or notified
// until it is unpaused.
func (st *Stage) pause(ctx context.Context, provider string, on bool) error {
	b, err := st.box(provider)
	if err != nil {
		return err
	}
	id := b.c.GetContainerID()
	if on {
		_, err = st.cli.ContainerPause(ctx, id, client.ContainerPauseOptions{})
	} else {
		_, err = st.cli.ContainerUnpause(ctx, id, client.ContainerUnpauseOptions{})
	}
	return err
}

// crash kills the mock (SIGKILL: connections refused, everything in its
// memory gone, as a crashed provider's) and, when switched off, starts it
// again and puts it on the drill's clock. What it logged and captured
// before it died is read first, so the drill still counts it.
func (st *Stage) crash(ctx context.Context, provider string, on bool) error {
	b, err := st.box(provider)
	if err != nil {
		return err
	}
	id := b.c.GetContainerID()
	if !on {
		if _, err := retryPortClash(func() (struct{}, error) { return struct{}{}, b.c.Start(ctx) }); err != nil {
			return fmt.Errorf("restart: %w", err)
		}
		if err := st.refresh(ctx, b); err != nil {
			return err
		}
		st.mu.Lock()
		u, epoch := b.url, st.epoch
		st.mu.Unlock()
		return mocks.PostClock(st.http, u, epoch)
	}
	var logged []mocks.Attempt
	var lv mocks.LedgerView
	errRead := errors.Join(st.get(b.url+mocks.PathAttempts, &logged), st.get(b.url+mocks.PathLedger, &lv))
	if _, err := st.cli.ContainerKill(ctx, id, client.ContainerKillOptions{Signal: "KILL"}); err != nil {
		return err
	}
	st.mu.Lock()
	st.saved = append(st.saved, logged...)
	st.ledger[provider] = addLedger(st.ledger[provider], lv)
	st.mu.Unlock()
	if errRead != nil {
		return fmt.Errorf("reading the mock's log before the crash: %w", errRead)
	}
	return nil
}

// partition cuts the mock off the drill's network (docker network
// disconnect) and puts it back under its alias.
func (st *Stage) partition(ctx context.Context, provider string, on bool) error {
	b, err := st.box(provider)
	if err != nil {
		return err
	}
	id := b.c.GetContainerID()
	if on {
		_, err = st.cli.NetworkDisconnect(ctx, st.net.ID, client.NetworkDisconnectOptions{Container: id, Force: true})
		return err
	}
	if _, err := st.cli.NetworkConnect(ctx, st.net.ID, client.NetworkConnectOptions{Container: id,
		EndpointConfig: endpointSettings(mockAlias(provider))}); err != nil {
		return err
	}
	return st.refresh(ctx, b)
}

// refresh reads where the host reaches a mock again: its published port
// changes when its container restarts or rejoins the network.
func (st *Stage) refresh(ctx context.Context, b *mockBox) error {
	u, err := endpoint(ctx, b.c, fmt.Sprintf("%d/tcp", mockPort))
	if err != nil {
		return err
	}
	st.mu.Lock()
	b.url = u
	st.mu.Unlock()
	return nil
}

// mockFault switches an HTTP-level fault through the mock's control API.
func (st *Stage) mockFault(provider, name string, on bool) error {
	b, err := st.box(provider)
	if err != nil {
		return err
	}
	st.mu.Lock()
	u := b.url
	st.mu.Unlock()
	path := strings.Replace(mocks.PathFaultOff, "{name}", url.PathEscape(name), 1)
	if on {
		path = strings.Replace(mocks.PathFaultOn, "{name}", url.PathEscape(name), 1)
	}
	resp, err := st.http.Post(u+path, "application/json", nil)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("POST %s: status %d", path, resp.StatusCode)
	}
	return nil
}

// scaleToxic turns a toxic's attributes from scenario time into wall
// time: a drill compressed K times waits K times less and moves K times
// the data per wall second.
func scaleToxic(attrs map[string]int64, scale float64) map[string]int64 {
	out := make(map[string]int64, len(attrs))
	for k, v := range attrs {
		switch k {
		case "rate":
			out[k] = int64(float64(v) * scale)
		default: // latency, jitter, timeout, delay: milliseconds
			ms := int64(float64(v) / scale)
			if v > 0 && ms == 0 {
				ms = 1
			}
			out[k] = ms
		}
	}
	return out
}
