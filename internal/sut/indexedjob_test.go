package sut_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/wait"
	batchv1 "k8s.io/api/batch/v1"
	"sigs.k8s.io/yaml"

	"github.com/paydrill/paydrill/internal/kube"
	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/internal/seeds"
	"github.com/paydrill/paydrill/internal/shard"
	"github.com/paydrill/paydrill/internal/sut"
	"github.com/paydrill/paydrill/reports"
	"github.com/paydrill/paydrill/scenarios"
)

// kubeletVar is the $(VAR) reference the kubelet expands in a
// container's arguments from its environment.
var kubeletVar = regexp.MustCompile(`\$\(([A-Za-z_][A-Za-z0-9_]*)\)`)

// TestIndexedJobInContainers runs the Indexed Job paydrill kube job
// writes on one machine: one container of the paydrill image per
// completion index, with JOB_COMPLETION_INDEX set and the manifest's
// arguments expanded as the kubelet does; their logs (stdout and stderr,
// as kubectl logs gives them) merge into what one process gives for every
// seed, and no container is left behind.
func TestIndexedJobInContainers(t *testing.T) {
	requireContainers(t)
	ctx := context.Background()
	const shards = 4
	const drill = "builtin:merchant-freeze"
	m, err := kube.Job(kube.Options{Name: "paydrill", Image: testImage, Shards: shards, BackoffLimit: 0, CPU: "1", Memory: "256Mi",
		Args: []string{"run", drill, "--seeds", "12"}})
	if err != nil {
		t.Fatal(err)
	}
	var job batchv1.Job
	if err := yaml.UnmarshalStrict(m, &job); err != nil {
		t.Fatalf("the manifest: %v\n%s", err, m)
	}
	if n := *job.Spec.Completions; n != shards {
		t.Fatalf("completions %d, want %d", n, shards)
	}
	spec := job.Spec.Template.Spec.Containers[0]
	runID := fmt.Sprintf("indexed-job-test-%d", time.Now().UnixNano())
	labels := map[string]string{sut.Label: runID, sut.LabelPID: strconv.Itoa(os.Getpid())}

	var logs bytes.Buffer
	for i := range shards {
		env := map[string]string{}
		for _, e := range spec.Env {
			env[e.Name] = e.Value
			if e.ValueFrom != nil && e.ValueFrom.FieldRef != nil && strings.Contains(e.ValueFrom.FieldRef.FieldPath, "job-completion-index") {
				env[e.Name] = strconv.Itoa(i) // the annotation the Job controller sets
			}
		}
		if env[kube.IndexEnv] != strconv.Itoa(i) {
			t.Fatalf("the manifest does not give the pod %s: env %+v", kube.IndexEnv, spec.Env)
		}
		args := make([]string, len(spec.Args))
		for k, a := range spec.Args {
			args[k] = kubeletVar.ReplaceAllStringFunc(a, func(v string) string { return env[v[2:len(v)-1]] })
		}
		opts := []testcontainers.ContainerCustomizer{
			testcontainers.WithCmd(args...), testcontainers.WithEnv(env), testcontainers.WithLabels(labels),
			testcontainers.WithWaitStrategy(wait.ForExit().WithExitTimeout(5 * time.Minute)),
		}
		img := spec.Image
		if b := imageBuild(t); b != "" {
			repo, tag, _ := strings.Cut(img, ":")
			opts = append(opts, testcontainers.WithDockerfile(testcontainers.FromDockerfile{Context: b, Dockerfile: "Dockerfile", Repo: repo, Tag: tag, KeepImage: true}))
			img = ""
		}
		c, err := testcontainers.Run(ctx, img, opts...)
		testcontainers.CleanupContainer(t, c)
		if err != nil {
			t.Fatalf("pod %d (%q): %v", i, args, err)
		}
		state, err := c.State(ctx)
		if err != nil {
			t.Fatal(err)
		}
		rc, err := c.Logs(ctx)
		if err != nil {
			t.Fatal(err)
		}
		out, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if state.ExitCode != 0 {
			t.Fatalf("pod %d (%q): exit %d, log:\n%s", i, args, state.ExitCode, out)
		}
		logs.Write(out)
		if err := testcontainers.TerminateContainer(c); err != nil {
			t.Fatalf("pod %d: %v", i, err)
		}
	}
	assertNoneLabelled(t, runID)

	// kubectl logs -l job-name=paydrill --tail=-1 | paydrill merge -
	parts, err := shard.Read("logs", &logs)
	if err != nil {
		t.Fatal(err)
	}
	parts, err = shard.Check(parts)
	if err != nil {
		t.Fatal(err)
	}
	var ss []*reports.Seeds
	for _, p := range parts {
		ss = append(ss, p.Seeds)
	}
	merged, err := seeds.Merge(ss, parts[0].Job.Seeds, drill)
	if err != nil {
		t.Fatal(err)
	}

	// One process, every seed.
	data, err := scenarios.Read(strings.TrimPrefix(drill, "builtin:"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := scenario.Parse(drill, data)
	if err != nil {
		t.Fatal(err)
	}
	whole, err := seeds.Run(ctx, s, seeds.Options{Seeds: parts[0].Job.Seeds, File: drill})
	if err != nil {
		t.Fatal(err)
	}
	if len(whole.Seeds) != 12 {
		t.Fatalf("one process ran %d seeds, want 12", len(whole.Seeds))
	}
	if diff := cmp.Diff(seedsJSON(t, whole), seedsJSON(t, merged)); diff != "" {
		t.Errorf("the Job's merged result differs from one process's (-whole +merged):\n%s", diff)
	}
}

// seedsJSON is the JSON report without its engine block.
func seedsJSON(t *testing.T, r *reports.Seeds) string {
	t.Helper()
	c := *r
	c.Engine = reports.SeedsEngine{}
	var b bytes.Buffer
	if err := reports.WriteSeedsJSON(&b, &c); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// assertNoneLabelled: no container or network carries the run id.
func assertNoneLabelled(t *testing.T, runID string) {
	t.Helper()
	ctx := context.Background()
	cli, err := testcontainers.NewDockerClientWithOpts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	f := make(client.Filters).Add("label", sut.Label+"="+runID)
	cs, err := cli.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: f})
	if err != nil {
		t.Fatal(err)
	}
	if len(cs.Items) > 0 {
		t.Errorf("%d containers labelled %s=%s left behind", len(cs.Items), sut.Label, runID)
	}
}
