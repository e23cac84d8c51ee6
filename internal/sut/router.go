package sut

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	stdlog "log"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/types/container"
	"github.com/testcontainers/testcontainers-go"
	tclog "github.com/testcontainers/testcontainers-go/log"
	"github.com/testcontainers/testcontainers-go/wait"
)

// DefaultImage is the paydrill image `make image` builds: its entrypoint is
// the paydrill binary, and StartRouter runs `paydrill router` in it.
const DefaultImage = "paydrill:dev"

// scenarioPath is where a scenario file is copied inside the container.
const scenarioPath = "/scenario.yaml"

// Options say which router to start and how to point it at the drill.
type Options struct {
	// Image is the router's image (default DefaultImage). Only an image
	// present on the engine is used: nothing is pulled when Build is empty.
	Image string
	// Build, when set, is a directory with a Dockerfile: the image is built
	// from it and kept under the name Image before the router starts.
	Build string
	// Cmd replaces the image's command. Empty with a paydrill image (one
	// whose repository is named paydrill, as paydrill:dev or
	// ghcr.io/you/paydrill:1.2): `router SCENARIO --listen 127.0.0.1:PORT`
	// plus the flags below. Empty with another image: its own command.
	Cmd []string
	// Scenario is the drill's scenario for `paydrill router`: a host file
	// (copied into the container) or builtin:NAME.
	Scenario string
	// Strategy, Seed and Scale are passed to `paydrill router` when set.
	Strategy string
	Seed     uint64
	Scale    float64
	// Providers are the mock providers' URLs by name, given to the router as
	// PAYDRILL_PROVIDER_<NAME> (upper case, dashes as underscores).
	Providers map[string]string
	// Secret signs provider notifications (PAYDRILL_SECRET).
	Secret []byte
	// Port is the loopback port the router listens on (0: a free one). The
	// container gets it as PORT and PAYDRILL_LISTEN=127.0.0.1:PORT.
	Port int
	// Env adds to the container's environment.
	Env map[string]string
	// RunID labels the container (default: random).
	RunID string
	// Log receives testcontainers' own log lines (nil: none).
	Log io.Writer
	// Wait bounds the wait for GET /healthz to answer 200 (default 30s).
	Wait time.Duration
}

// Router is a router under test running in a container.
type Router struct {
	URL   string // base URL on loopback, e.g. http://127.0.0.1:41234
	RunID string
	c     *testcontainers.DockerContainer
}

// StartRouter starts the router under test in a container on the host's
// network and waits until GET /healthz answers 200. Close removes it.
func StartRouter(ctx context.Context, opt Options) (*Router, error) {
	configure()
	if opt.Image == "" {
		opt.Image = DefaultImage
	}
	if opt.RunID == "" {
		opt.RunID = newRunID()
	}
	if opt.Wait <= 0 {
		opt.Wait = 30 * time.Second
	}
	if opt.Port == 0 {
		p, err := freePort()
		if err != nil {
			return nil, fmt.Errorf("router container: %w", err)
		}
		opt.Port = p
	}
	listen := "127.0.0.1:" + strconv.Itoa(opt.Port)
	env := map[string]string{"PORT": strconv.Itoa(opt.Port), "PAYDRILL_LISTEN": listen}
	if len(opt.Secret) > 0 {
		env["PAYDRILL_SECRET"] = string(opt.Secret)
	}
	for name, u := range opt.Providers {
		env[ProviderEnv(name)] = u
	}
	for k, v := range opt.Env {
		env[k] = v
	}
	img := opt.Image
	var logger tclog.Logger = tclog.NewNoopLogger()
	if opt.Log != nil {
		logger = stdlog.New(opt.Log, "testcontainers: ", stdlog.LstdFlags)
	}
	reqOpts := []testcontainers.ContainerCustomizer{
		testcontainers.WithLogger(logger),
		testcontainers.WithEnv(env),
		testcontainers.WithLabels(map[string]string{Label: opt.RunID, LabelPID: strconv.Itoa(os.Getpid())}),
		testcontainers.WithHostConfigModifier(func(hc *container.HostConfig) { hc.NetworkMode = "host" }),
		testcontainers.WithWaitStrategy(wait.ForHTTP("/healthz").WithPort(strconv.Itoa(opt.Port) + "/tcp").
			WithStartupTimeout(opt.Wait).WithPollInterval(100 * time.Millisecond)),
	}
	if opt.Build != "" {
		repo, tag, _ := strings.Cut(opt.Image, ":")
		if tag == "" {
			tag = "latest"
		}
		reqOpts = append(reqOpts, testcontainers.WithDockerfile(testcontainers.FromDockerfile{
			Context: opt.Build, Dockerfile: "Dockerfile", Repo: repo, Tag: tag, KeepImage: true,
		}))
		img = ""
	}
	cmd := opt.Cmd
	if len(cmd) == 0 && IsPaydrill(opt.Image) {
		scen := opt.Scenario
		if scen == "" {
			return nil, fmt.Errorf("router container: no scenario for paydrill router")
		}
		if !strings.HasPrefix(scen, "builtin:") {
			if _, err := os.Stat(scen); err != nil {
				return nil, fmt.Errorf("router container: scenario: %w", err)
			}
			reqOpts = append(reqOpts, testcontainers.WithFiles(testcontainers.ContainerFile{
				HostFilePath: scen, ContainerFilePath: scenarioPath, FileMode: 0o644}))
			scen = scenarioPath
		}
		cmd = routerCmd(scen, listen, opt)
	}
	if len(cmd) > 0 {
		reqOpts = append(reqOpts, testcontainers.WithCmd(cmd...))
	}
	if img != "" {
		if err := present(ctx, img); err != nil {
			return nil, err
		}
	}
	c, err := testcontainers.Run(ctx, img, reqOpts...)
	if err != nil {
		if c != nil {
			_ = testcontainers.TerminateContainer(c)
		}
		return nil, fmt.Errorf("router container %s: %w", opt.Image, err)
	}
	return &Router{URL: "http://" + listen, RunID: opt.RunID, c: c}, nil
}

// present checks that an image is on the engine: nothing is pulled, and a
// missing image otherwise surfaces as a registry error.
func present(ctx context.Context, image string) error {
	cli, err := testcontainers.NewDockerClientWithOpts(ctx)
	if err != nil {
		return fmt.Errorf("docker client: %w", err)
	}
	defer cli.Close()
	if _, err := cli.ImageInspect(ctx, image); err != nil {
		if cerrdefs.IsNotFound(err) {
			return fmt.Errorf("image %s is not on this Docker engine: build it (make image builds paydrill:dev) or load it first; paydrill pulls nothing", image)
		}
		return fmt.Errorf("image %s: %w", image, err)
	}
	return nil
}

// routerCmd is the command line of `paydrill router` in the paydrill image.
func routerCmd(scen, listen string, opt Options) []string {
	cmd := []string{"router", scen, "--listen", listen}
	if opt.Strategy != "" {
		cmd = append(cmd, "--router", opt.Strategy)
	}
	if opt.Seed != 0 {
		cmd = append(cmd, "--seed", strconv.FormatUint(opt.Seed, 10))
	}
	if opt.Scale > 0 {
		cmd = append(cmd, "--time-scale", strconv.FormatFloat(opt.Scale, 'g', -1, 64))
	}
	return cmd
}

// IsPaydrill reports whether an image is a paydrill image by its
// repository's name: paydrill:dev, registry.example/team/paydrill:1.2.
func IsPaydrill(image string) bool {
	repo := image
	if i := strings.LastIndex(repo, "/"); i >= 0 {
		repo = repo[i+1:]
	}
	repo, _, _ = strings.Cut(repo, "@")
	repo, _, _ = strings.Cut(repo, ":")
	return repo == "paydrill"
}

// ProviderEnv is the environment variable that gives a router the URL of
// the named provider: PAYDRILL_PROVIDER_<NAME>.
func ProviderEnv(name string) string {
	return "PAYDRILL_PROVIDER_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
}

// ID is the container's id.
func (r *Router) ID() string { return r.c.GetContainerID() }

// Logs returns what the router wrote to stdout and stderr so far.
func (r *Router) Logs(ctx context.Context) (string, error) {
	rc, err := r.c.Logs(ctx)
	if err != nil {
		return "", fmt.Errorf("router container logs: %w", err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	return string(b), err
}

// Close stops and removes the container.
func (r *Router) Close() error {
	if r == nil || r.c == nil {
		return nil
	}
	if err := testcontainers.TerminateContainer(r.c); err != nil {
		return fmt.Errorf("router container %.12s: %w", r.c.GetContainerID(), err)
	}
	return nil
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("free loopback port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func newRunID() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
