package sut

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"syscall"

	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
)

// Label marks every container and network paydrill starts; its value is
// the run id. LabelPID holds the process id of the paydrill that started
// it, so that a run does not remove the containers of another one still
// running on the same machine.
const (
	Label    = "io.paydrill.run"
	LabelPID = "io.paydrill.pid"
)

// Leftovers lists the ids of the containers and networks that carry Label
// and whose paydrill process is gone: what a killed run left behind.
func Leftovers(ctx context.Context) (containers, networks []string, err error) {
	configure()
	cli, err := testcontainers.NewDockerClientWithOpts(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("docker client: %w", err)
	}
	defer cli.Close()
	return list(ctx, cli, Label, alive)
}

// list lists the containers and networks whose labels match label (a
// label, or label=value), except those whose paydrill process keep says
// to leave alone.
func list(ctx context.Context, cli *testcontainers.DockerClient, label string, keep func(pid string) bool) (containers, networks []string, err error) {
	f := make(client.Filters).Add("label", label)
	cs, err := cli.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: f})
	if err != nil {
		return nil, nil, fmt.Errorf("list containers labelled %s: %w", label, err)
	}
	for _, c := range cs.Items {
		if !keep(c.Labels[LabelPID]) {
			containers = append(containers, c.ID)
		}
	}
	ns, err := cli.NetworkList(ctx, client.NetworkListOptions{Filters: f})
	if err != nil {
		return nil, nil, fmt.Errorf("list networks labelled %s: %w", label, err)
	}
	for _, n := range ns.Items {
		if !keep(n.Labels[LabelPID]) {
			networks = append(networks, n.ID)
		}
	}
	return containers, networks, nil
}

// remove force-removes containers, then networks.
func remove(ctx context.Context, cli *testcontainers.DockerClient, containers, networks []string) error {
	var errs []error
	for _, id := range containers {
		if _, err := cli.ContainerRemove(ctx, id, client.ContainerRemoveOptions{Force: true, RemoveVolumes: true}); err != nil {
			errs = append(errs, fmt.Errorf("remove container %.12s: %w", id, err))
		}
	}
	for _, id := range networks {
		if _, err := cli.NetworkRemove(ctx, id, client.NetworkRemoveOptions{}); err != nil {
			errs = append(errs, fmt.Errorf("remove network %.12s: %w", id, err))
		}
	}
	return errors.Join(errs...)
}

// RemoveLeftovers force-removes the Leftovers, containers then networks:
// the remains of earlier runs that were killed before they could clean up.
// A container whose paydrill process (LabelPID) still runs, other than this
// one, is left alone.
func RemoveLeftovers(ctx context.Context) error {
	configure()
	cli, err := testcontainers.NewDockerClientWithOpts(ctx)
	if err != nil {
		return fmt.Errorf("docker client: %w", err)
	}
	defer cli.Close()
	containers, networks, err := list(ctx, cli, Label, alive)
	if err != nil {
		return err
	}
	return remove(ctx, cli, containers, networks)
}

// alive reports whether the labelled paydrill process still runs, other
// than this process (whose own containers count as leftovers once it
// looks: it removes what it started on Close).
func alive(pid string) bool {
	n, err := strconv.Atoi(pid)
	if err != nil || n <= 0 || n == os.Getpid() {
		return false
	}
	p, err := os.FindProcess(n)
	if err != nil {
		return false
	}
	return p.Signal(syscall.Signal(0)) == nil
}

// removeRun force-removes every container and network labelled with the
// run id.
func removeRun(ctx context.Context, cli *testcontainers.DockerClient, runID string) error {
	containers, networks, err := list(ctx, cli, Label+"="+runID, func(string) bool { return false })
	if err != nil {
		return err
	}
	return remove(ctx, cli, containers, networks)
}
