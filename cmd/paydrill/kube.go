package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"github.com/paydrill/paydrill/internal/kube"
)

const kubeUsage = `Usage: paydrill kube job [flags] -- run|sweep|compare FILE|builtin:NAME [FLAGS]

Prints a Kubernetes manifest that runs a paydrill command as an Indexed
Job: completions --shards, one pod per shard, each running the paydrill
image with the command line given after -- and --shard
$(JOB_COMPLETION_INDEX)/N. Each pod prints its partial result as one line
on stdout; collect and merge them with kubectl logs:

  paydrill kube job --shards 32 --image REGISTRY/paydrill:TAG \
      -- run builtin:merchant-freeze --seeds 6400 | kubectl apply -f -
  kubectl wait --for=condition=complete job/paydrill --timeout=24h
  kubectl logs -l job-name=paydrill --tail=-1 --max-log-requests=32 |
      paydrill merge - --html report.html

A scenario given as a file goes into a ConfigMap of the manifest, mounted
at /etc/paydrill. docs/kubernetes.md has the workflows (logs, or a
shared volume with --partial) and the same shards as a CI matrix.

Flags:
%s
Examples:
  paydrill kube job --shards 8 -- run builtin:merchant-freeze --seeds 400
  paydrill kube job --shards 32 --parallelism 16 --image ghcr.io/acme/paydrill:v1 \
      -- sweep drill.yaml --rates 1/min,10/min,1/s --routers health,priority --seeds 200

Exit codes: 0 printed, 2 invalid input or usage.
`

func cmdKube(_ context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "job" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			fmt.Fprintf(stdout, kubeUsage, "  (see paydrill kube job --help)\n")
			return exitPass
		}
		fmt.Fprintf(stderr, "paydrill kube: the subcommand is job\n\n"+kubeUsage, "  (see paydrill kube job --help)\n")
		return exitUsage
	}
	o := kube.Options{}
	fs := pflag.NewFlagSet("kube job", pflag.ContinueOnError)
	fs.IntVar(&o.Shards, "shards", 0, "`N` shards: the Job's completions, one pod each (required)")
	fs.IntVar(&o.Parallelism, "parallelism", 0, "`N` pods at once (default 0: every shard at once)")
	fs.StringVar(&o.Image, "image", "paydrill:dev", "the paydrill `IMAGE` (make image builds paydrill:dev; push it where the cluster pulls from)")
	fs.StringVar(&o.Name, "name", "paydrill", "the Job's `NAME` (its pods carry the label job-name=NAME)")
	fs.StringVar(&o.Namespace, "namespace", "", "the `NAMESPACE` (default: kubectl's)")
	fs.StringVar(&o.PVC, "pvc", "", "write each partial to /results/part-I.json on the PersistentVolumeClaim `NAME` (ReadWriteMany) instead of stdout")
	fs.IntVar(&o.BackoffLimit, "backoff-limit", 6, "failed pods retried in all before the Job fails")
	fs.StringVar(&o.CPU, "cpu", "1", "each pod's CPU request and limit (paydrill runs as many seeds at once as it gets CPUs)")
	fs.StringVar(&o.Memory, "memory", "512Mi", "each pod's memory request and limit")
	usage := func() string { return fmt.Sprintf(kubeUsage, flagUsages(fs)) }
	if code, ok := parseFlags(fs, args[1:], usage, stdout, stderr); !ok {
		return code
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "paydrill kube job: "+format+"\n", a...)
		return exitUsage
	}
	cmd := fs.Args()
	switch {
	case fs.ArgsLenAtDash() != 0 || len(cmd) < 2:
		return fail("give the paydrill command after --: -- run FILE --seeds N, or -- sweep FILE --rates LIST ...")
	case cmd[0] != "run" && cmd[0] != "sweep" && cmd[0] != "compare":
		return fail("%q: the Job shards run --seeds, sweep or compare", cmd[0])
	case strings.HasPrefix(cmd[1], "-"):
		return fail("%s %s: the scenario comes right after the command: %s FILE [FLAGS]", cmd[0], cmd[1], cmd[0])
	case cmd[0] == "run" && !slices.ContainsFunc(cmd, func(a string) bool { return a == "--seeds" || strings.HasPrefix(a, "--seeds=") }):
		return fail("run shards its seeds: add --seeds N (or A..B)")
	}
	for _, a := range cmd[2:] {
		flag, _, _ := strings.Cut(a, "=")
		switch flag {
		case "--shard", "--partial", "--progress":
			return fail("%s: the Job sets --shard per pod and the partial goes to stdout", flag)
		case "--json", "--html", "--markdown", "--junit":
			return fail("%s: a shard writes a partial result; give %s to paydrill merge", flag, flag)
		}
	}
	if _, err := loadScenario(cmd[1]); err != nil {
		fmt.Fprintln(stderr, err)
		return exitUsage
	}
	o.Args = cmd
	if !strings.HasPrefix(cmd[1], builtinPrefix) {
		data, err := os.ReadFile(cmd[1])
		if err != nil {
			return fail("%v", err)
		}
		o.ScenarioName, o.ScenarioData = filepath.Base(cmd[1]), data
	}
	m, err := kube.Job(o)
	if err != nil {
		return fail("%v", err)
	}
	if _, err := stdout.Write(m); err != nil {
		fmt.Fprintf(stderr, "paydrill kube job: %v\n", err)
		return exitAborted
	}
	return exitPass
}
