package kube

import (
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	kjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"
)

func options() Options {
	return Options{Name: "drill", Namespace: "rehearsal", Image: "ghcr.io/example/paydrill:v1", Shards: 32, Parallelism: 8,
		BackoffLimit: 3, CPU: "1", Memory: "512Mi",
		Args: []string{"run", "scenarios/shop.yaml", "--seeds", "6400"}, ScenarioName: "shop.yaml", ScenarioData: []byte("name: shop\nduration: 1h\n")}
}

// documents splits a manifest into its YAML documents.
func documents(t *testing.T, m []byte) []string {
	t.Helper()
	return regexp.MustCompile(`(?m)^---\n`).Split(string(m), -1)
}

// decodeStrict decodes a YAML document into v as the API server's strict
// field validation does: case-sensitive field names, no unknown or
// duplicate field.
func decodeStrict(doc string, v any) error {
	j, err := yaml.YAMLToJSONStrict([]byte(doc))
	if err != nil {
		return err
	}
	strict, err := kjson.UnmarshalStrict(j, v)
	if err != nil {
		return err
	}
	return errors.Join(strict...)
}

// The manifest decodes strictly into the Kubernetes API types: a
// misspelt or misplaced field fails here, not on a cluster.
func TestJobDecodesStrictly(t *testing.T) {
	m, err := Job(options())
	if err != nil {
		t.Fatal(err)
	}
	docs := documents(t, m)
	if len(docs) != 2 {
		t.Fatalf("%d documents, want a ConfigMap and a Job:\n%s", len(docs), m)
	}
	var cm corev1.ConfigMap
	if err := decodeStrict(docs[0], &cm); err != nil {
		t.Fatalf("ConfigMap: %v\n%s", err, docs[0])
	}
	var j batchv1.Job
	if err := decodeStrict(docs[1], &j); err != nil {
		t.Fatalf("Job: %v\n%s", err, docs[1])
	}
	if cm.Kind != "ConfigMap" || cm.APIVersion != "v1" || cm.Name != "drill-scenario" || cm.Data["shop.yaml"] != "name: shop\nduration: 1h\n" {
		t.Errorf("ConfigMap %+v: want drill-scenario holding shop.yaml byte for byte", cm)
	}
	s := j.Spec
	switch {
	case j.Kind != "Job" || j.APIVersion != "batch/v1" || j.Name != "drill" || j.Namespace != "rehearsal":
		t.Errorf("Job %s %s %s/%s", j.APIVersion, j.Kind, j.Namespace, j.Name)
	case s.CompletionMode == nil || *s.CompletionMode != batchv1.IndexedCompletion:
		t.Errorf("completionMode %v, want Indexed", s.CompletionMode)
	case s.Completions == nil || *s.Completions != 32 || s.Parallelism == nil || *s.Parallelism != 8:
		t.Errorf("completions %v, parallelism %v; want 32 and 8", s.Completions, s.Parallelism)
	case s.BackoffLimit == nil || *s.BackoffLimit != 3:
		t.Errorf("backoffLimit %v, want 3", s.BackoffLimit)
	case s.Template.Spec.RestartPolicy != corev1.RestartPolicyNever:
		t.Errorf("restartPolicy %q, want Never", s.Template.Spec.RestartPolicy)
	}
	if len(s.Template.Spec.Containers) != 1 {
		t.Fatalf("%d containers, want 1", len(s.Template.Spec.Containers))
	}
	c := s.Template.Spec.Containers[0]
	want := []string{"run", "/etc/paydrill/shop.yaml", "--seeds", "6400", "--shard", "$(JOB_COMPLETION_INDEX)/32", "--quiet"}
	if c.Image != "ghcr.io/example/paydrill:v1" || !slices.Equal(c.Args, want) {
		t.Errorf("container %s %q, want the image and %q", c.Image, c.Args, want)
	}
	if len(c.Env) != 1 || c.Env[0].Name != IndexEnv || c.Env[0].ValueFrom == nil || c.Env[0].ValueFrom.FieldRef == nil ||
		c.Env[0].ValueFrom.FieldRef.FieldPath != "metadata.annotations['batch.kubernetes.io/job-completion-index']" {
		t.Errorf("env %+v, want JOB_COMPLETION_INDEX from the completion-index annotation", c.Env)
	}
	if c.Resources.Limits.Cpu().String() != "1" || c.Resources.Requests.Memory().String() != "512Mi" {
		t.Errorf("resources %+v", c.Resources)
	}
	if len(c.VolumeMounts) != 1 || c.VolumeMounts[0].MountPath != ScenarioDir ||
		len(s.Template.Spec.Volumes) != 1 || s.Template.Spec.Volumes[0].ConfigMap == nil || s.Template.Spec.Volumes[0].ConfigMap.Name != "drill-scenario" {
		t.Errorf("the scenario's ConfigMap is not mounted at %s: %+v %+v", ScenarioDir, c.VolumeMounts, s.Template.Spec.Volumes)
	}
}

// A built-in drill needs no ConfigMap; parallelism 0 is every shard at once.
func TestJobBuiltin(t *testing.T) {
	o := options()
	o.Args[1], o.ScenarioData, o.Parallelism = "builtin:merchant-freeze", nil, 0
	m, err := Job(o)
	if err != nil {
		t.Fatal(err)
	}
	var j batchv1.Job
	if err := decodeStrict(string(m), &j); err != nil {
		t.Fatalf("Job: %v\n%s", err, m)
	}
	if *j.Spec.Parallelism != 32 || len(j.Spec.Template.Spec.Volumes) != 0 || j.Spec.Template.Spec.Containers[0].Args[1] != "builtin:merchant-freeze" {
		t.Errorf("built-in drill: parallelism %d, volumes %v, args %q", *j.Spec.Parallelism, j.Spec.Template.Spec.Volumes, j.Spec.Template.Spec.Containers[0].Args)
	}
}

// With a claim, each pod writes its partial to the shared volume.
func TestJobPVC(t *testing.T) {
	o := options()
	o.PVC = "paydrill-results"
	m, err := Job(o)
	if err != nil {
		t.Fatal(err)
	}
	var j batchv1.Job
	if err := decodeStrict(documents(t, m)[1], &j); err != nil {
		t.Fatalf("Job: %v", err)
	}
	p := j.Spec.Template.Spec
	args := p.Containers[0].Args
	if !slices.Equal(args[len(args)-2:], []string{"--partial", "/results/part-$(JOB_COMPLETION_INDEX).json"}) ||
		len(p.Volumes) != 2 || p.Volumes[1].PersistentVolumeClaim == nil || p.Volumes[1].PersistentVolumeClaim.ClaimName != "paydrill-results" ||
		p.Containers[0].VolumeMounts[1].MountPath != ResultsDir || p.SecurityContext.FSGroup == nil {
		t.Errorf("--pvc: args %q, volumes %+v, mounts %+v", args, p.Volumes, p.Containers[0].VolumeMounts)
	}
}

// The strict decoding does catch a misspelt field (the test can fail).
func TestStrictDecodingCatchesTypos(t *testing.T) {
	o := options()
	o.ScenarioData = nil
	m, err := Job(o)
	if err != nil {
		t.Fatal(err)
	}
	for _, typo := range [][2]string{{"completionMode:", "completionmode:"}, {"parallelism:", "paralelism:"}, {"fieldPath:", "fieldpath:"}} {
		bad := strings.Replace(string(m), typo[0], typo[1], 1)
		if err := decodeStrict(bad, &batchv1.Job{}); err == nil {
			t.Errorf("%s misspelt %s decoded without error", typo[0], typo[1])
		}
	}
}

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*Options)
		want string
	}{
		{"name", func(o *Options) { o.Name = "Drill_1" }, "--name"},
		{"shards", func(o *Options) { o.Shards = 0 }, "--shards 0"},
		{"parallelism", func(o *Options) { o.Parallelism = 33 }, "--parallelism 33"},
		{"image", func(o *Options) { o.Image = "" }, "--image"},
		{"command", func(o *Options) { o.Args = []string{"run"} }, "COMMAND FILE"},
		{"key", func(o *Options) { o.ScenarioName = "my shop.yaml" }, "ConfigMap key"},
	} {
		o := options()
		tc.edit(&o)
		if _, err := Job(o); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one naming %q", tc.name, err, tc.want)
		}
	}
}
