// Package kube writes the Kubernetes manifest that runs a sharded
// paydrill command as an Indexed Job: completions N, one pod per shard,
// each running the paydrill image with --shard $(JOB_COMPLETION_INDEX)/N
// and printing its partial result as one line on stdout, which
// `kubectl logs | paydrill merge -` collects (docs/kubernetes.md).
//
// The manifest is written from the package's own small types, so the
// binary does not carry the Kubernetes API packages; a test decodes it
// strictly into k8s.io/api's types so that a misspelt field fails.
package kube

import (
	"bytes"
	"fmt"
	"path"
	"regexp"
	"strconv"

	"github.com/goccy/go-yaml"
)

// IndexEnv is the variable the Job controller sets to a pod's completion
// index; the manifest declares it from the pod's annotation too, so the
// $(JOB_COMPLETION_INDEX) in the arguments is expanded by the kubelet
// (the image has no shell).
const IndexEnv = "JOB_COMPLETION_INDEX"

// ScenarioDir is where a scenario file given as a path is mounted from
// its ConfigMap.
const ScenarioDir = "/etc/paydrill"

// ResultsDir is where --pvc's volume is mounted.
const ResultsDir = "/results"

// Options are the Job's choices.
type Options struct {
	// Name of the Job (and prefix of its ConfigMap); a DNS label.
	Name      string
	Namespace string
	Image     string
	// Shards is completions: one pod per shard. Parallelism is how many
	// run at once (0: all).
	Shards, Parallelism int
	// BackoffLimit is how many failed pods the Job retries in all.
	BackoffLimit int
	// CPU and Memory are each pod's request and limit ("1", "512Mi").
	CPU, Memory string
	// Args is the paydrill command line before --shard: COMMAND FILE
	// FLAGS. When ScenarioData is set, Args[1] is replaced by the path
	// at which its ConfigMap is mounted.
	Args []string
	// PVC, when set, names a PersistentVolumeClaim (ReadWriteMany)
	// mounted at ResultsDir; each pod writes its partial there as
	// part-I.json instead of printing it.
	PVC string
	// ScenarioName and ScenarioData are a scenario file's base name and
	// bytes, carried in a ConfigMap (nil for a built-in drill).
	ScenarioName string
	ScenarioData []byte
}

var configKey = regexp.MustCompile(`^[-._a-zA-Z0-9]+$`)

var dnsLabel = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)

// Check reports what makes o unusable.
func (o *Options) Check() error {
	switch {
	case !dnsLabel.MatchString(o.Name) || len(o.Name) > 52:
		return fmt.Errorf("--name %q: a Job name is lower-case letters, digits and '-', at most 52 characters (pods add a suffix)", o.Name)
	case o.Namespace != "" && !dnsLabel.MatchString(o.Namespace):
		return fmt.Errorf("--namespace %q: lower-case letters, digits and '-'", o.Namespace)
	case o.Image == "":
		return fmt.Errorf("--image is empty")
	case o.Shards < 1 || o.Shards > 10_000:
		return fmt.Errorf("--shards %d: 1 to 10000", o.Shards)
	case o.Parallelism < 0 || o.Parallelism > o.Shards:
		return fmt.Errorf("--parallelism %d: 0 (all shards at once) to %d", o.Parallelism, o.Shards)
	case o.BackoffLimit < 0:
		return fmt.Errorf("--backoff-limit %d: at least 0", o.BackoffLimit)
	case o.PVC != "" && !dnsLabel.MatchString(o.PVC):
		return fmt.Errorf("--pvc %q: a claim name is lower-case letters, digits and '-'", o.PVC)
	case o.ScenarioData != nil && !configKey.MatchString(o.ScenarioName):
		return fmt.Errorf("scenario file name %q: a ConfigMap key is letters, digits, '-', '_' and '.'", o.ScenarioName)
	case len(o.Args) < 2:
		return fmt.Errorf("the paydrill command: COMMAND FILE [FLAGS], like run builtin:merchant-freeze --seeds 400")
	}
	return nil
}

// PodArgs is the command line of every pod, the index left for the
// kubelet to expand: Args, then --shard $(JOB_COMPLETION_INDEX)/N and
// --quiet (the partial line is the pod's output).
func (o *Options) PodArgs() []string {
	args := append([]string{}, o.Args...)
	if o.ScenarioData != nil {
		args[1] = path.Join(ScenarioDir, o.ScenarioName)
	}
	args = append(args, "--shard", "$("+IndexEnv+")/"+strconv.Itoa(o.Shards), "--quiet")
	if o.PVC != "" {
		args = append(args, "--partial", ResultsDir+"/part-$("+IndexEnv+").json")
	}
	return args
}

// Job writes the manifest: a ConfigMap holding the scenario when it is a
// file, then the Job, as YAML documents.
func Job(o Options) ([]byte, error) {
	if err := o.Check(); err != nil {
		return nil, err
	}
	labels := map[string]string{"app.kubernetes.io/name": "paydrill", "app.kubernetes.io/instance": o.Name}
	meta := func(name string) objectMeta {
		return objectMeta{Name: name, Namespace: o.Namespace, Labels: labels}
	}
	var docs []any
	c := container{
		Name:  "paydrill",
		Image: o.Image,
		Args:  o.PodArgs(),
		Env: []envVar{{Name: IndexEnv, ValueFrom: &envSource{FieldRef: &fieldRef{
			FieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']"}}}},
		Resources: resources{
			Requests: map[string]string{"cpu": o.CPU, "memory": o.Memory},
			Limits:   map[string]string{"cpu": o.CPU, "memory": o.Memory},
		},
		SecurityContext: &securityContext{AllowPrivilegeEscalation: new(false), ReadOnlyRootFilesystem: new(true),
			Capabilities: &capabilities{Drop: []string{"ALL"}}},
	}
	pod := podSpec{RestartPolicy: "Never", SecurityContext: &podSecurity{RunAsNonRoot: new(true), RunAsUser: new(int64(65532))}}
	if o.ScenarioData != nil {
		cm := o.Name + "-scenario"
		docs = append(docs, configMap{APIVersion: "v1", Kind: "ConfigMap", Metadata: meta(cm),
			Data: map[string]string{o.ScenarioName: string(o.ScenarioData)}})
		c.VolumeMounts = []volumeMount{{Name: "scenario", MountPath: ScenarioDir, ReadOnly: true}}
		pod.Volumes = []volume{{Name: "scenario", ConfigMap: &configMapVolume{Name: cm}}}
	}
	if o.PVC != "" {
		c.VolumeMounts = append(c.VolumeMounts, volumeMount{Name: "results", MountPath: ResultsDir})
		pod.Volumes = append(pod.Volumes, volume{Name: "results", PersistentVolumeClaim: &claimVolume{ClaimName: o.PVC}})
		pod.SecurityContext.FSGroup = new(int64(65532))
	}
	pod.Containers = []container{c}
	par := o.Parallelism
	if par == 0 {
		par = o.Shards
	}
	docs = append(docs, job{APIVersion: "batch/v1", Kind: "Job", Metadata: meta(o.Name), Spec: jobSpec{
		CompletionMode: "Indexed", Completions: o.Shards, Parallelism: par, BackoffLimit: new(o.BackoffLimit),
		Template: podTemplate{Metadata: templateMeta{Labels: labels}, Spec: pod},
	}})
	var buf bytes.Buffer
	buf.WriteString("# paydrill: one pod per shard; collect with\n")
	fmt.Fprintf(&buf, "#   kubectl wait --for=condition=complete job/%s --timeout=24h\n", o.Name)
	if o.PVC == "" {
		fmt.Fprintf(&buf, "#   kubectl logs -l job-name=%s --tail=-1 --max-log-requests=%d | paydrill merge -\n", o.Name, max(o.Shards, 5))
	} else {
		fmt.Fprintf(&buf, "# then merge %s/part-*.json from the claim %s (docs/kubernetes.md)\n", ResultsDir, o.PVC)
	}
	for i, d := range docs {
		if i > 0 {
			buf.WriteString("---\n")
		}
		b, err := yaml.MarshalWithOptions(d, yaml.UseLiteralStyleIfMultiline(true))
		if err != nil {
			return nil, err
		}
		buf.Write(b)
	}
	return buf.Bytes(), nil
}

// The manifest's shapes: only the fields paydrill writes, with the API's
// names (checked by the test against k8s.io/api).
type (
	objectMeta struct {
		Name      string            `yaml:"name"`
		Namespace string            `yaml:"namespace,omitempty"`
		Labels    map[string]string `yaml:"labels"`
	}
	templateMeta struct {
		Labels map[string]string `yaml:"labels"`
	}
	configMap struct {
		APIVersion string            `yaml:"apiVersion"`
		Kind       string            `yaml:"kind"`
		Metadata   objectMeta        `yaml:"metadata"`
		Data       map[string]string `yaml:"data"`
	}
	job struct {
		APIVersion string     `yaml:"apiVersion"`
		Kind       string     `yaml:"kind"`
		Metadata   objectMeta `yaml:"metadata"`
		Spec       jobSpec    `yaml:"spec"`
	}
	jobSpec struct {
		CompletionMode string      `yaml:"completionMode"`
		Completions    int         `yaml:"completions"`
		Parallelism    int         `yaml:"parallelism"`
		BackoffLimit   *int        `yaml:"backoffLimit"`
		Template       podTemplate `yaml:"template"`
	}
	podTemplate struct {
		Metadata templateMeta `yaml:"metadata"`
		Spec     podSpec      `yaml:"spec"`
	}
	podSpec struct {
		RestartPolicy   string       `yaml:"restartPolicy"`
		SecurityContext *podSecurity `yaml:"securityContext,omitempty"`
		Containers      []container  `yaml:"containers"`
		Volumes         []volume     `yaml:"volumes,omitempty"`
	}
	podSecurity struct {
		RunAsNonRoot *bool  `yaml:"runAsNonRoot,omitempty"`
		RunAsUser    *int64 `yaml:"runAsUser,omitempty"`
		FSGroup      *int64 `yaml:"fsGroup,omitempty"`
	}
	container struct {
		Name            string           `yaml:"name"`
		Image           string           `yaml:"image"`
		Args            []string         `yaml:"args"`
		Env             []envVar         `yaml:"env"`
		Resources       resources        `yaml:"resources"`
		VolumeMounts    []volumeMount    `yaml:"volumeMounts,omitempty"`
		SecurityContext *securityContext `yaml:"securityContext,omitempty"`
	}
	envVar struct {
		Name      string     `yaml:"name"`
		ValueFrom *envSource `yaml:"valueFrom,omitempty"`
	}
	envSource struct {
		FieldRef *fieldRef `yaml:"fieldRef"`
	}
	fieldRef struct {
		FieldPath string `yaml:"fieldPath"`
	}
	resources struct {
		Requests map[string]string `yaml:"requests"`
		Limits   map[string]string `yaml:"limits"`
	}
	securityContext struct {
		AllowPrivilegeEscalation *bool         `yaml:"allowPrivilegeEscalation,omitempty"`
		ReadOnlyRootFilesystem   *bool         `yaml:"readOnlyRootFilesystem,omitempty"`
		Capabilities             *capabilities `yaml:"capabilities,omitempty"`
	}
	capabilities struct {
		Drop []string `yaml:"drop"`
	}
	volumeMount struct {
		Name      string `yaml:"name"`
		MountPath string `yaml:"mountPath"`
		ReadOnly  bool   `yaml:"readOnly,omitempty"`
	}
	volume struct {
		Name                  string           `yaml:"name"`
		ConfigMap             *configMapVolume `yaml:"configMap,omitempty"`
		PersistentVolumeClaim *claimVolume     `yaml:"persistentVolumeClaim,omitempty"`
	}
	claimVolume struct {
		ClaimName string `yaml:"claimName"`
	}
	configMapVolume struct {
		Name string `yaml:"name"`
	}
)
