package sut

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/testcontainers/testcontainers-go"
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
	// Cmd replaces the image's command; ${VAR} in it names the
	// container's environment (${PAYDRILL_PROVIDER_ALPHA}, ${PORT}). Empty with a paydrill image (one
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
	// Port is the port the router listens on: on the host's network a
	// loopback port (0: a free one), on a drill's network the container's
	// port (0: RouterPort). The router gets it as PORT and PAYDRILL_LISTEN.
	Port int
	// Env adds to the container's environment.
	Env map[string]string
	// RunID labels the container (default: random).
	RunID string
	// Log receives testcontainers' own log lines (nil: none).
	Log io.Writer
	// Wait bounds the wait for GET /healthz to answer 200 (default 30s).
	Wait time.Duration
	// Network, when set, is the drill's network the router joins (as
	// RouterAlias); empty: the host's network.
	Network string
	// Hosts are /etc/hosts entries (name -> IP) for a router on Network.
	Hosts map[string]string
	// Health is the path that answers 200 once the router is ready
	// (default /healthz).
	Health string
}

// Router is a router under test running in a container.
type Router struct {
	URL   string // base URL on loopback, e.g. http://127.0.0.1:41234
	RunID string
	c     *testcontainers.DockerContainer
}

// RouterPort is the router's port inside a container on a drill's network.
const RouterPort = 8080

// RouterAlias is the router's name on a drill's network: providers notify
// http://router:8080 (PAYDRILL_ROUTER_URL).
const RouterAlias = "router"

// StartRouter starts the router under test in a container and waits until
// GET /healthz answers 200. Close removes it. On a drill's network
// (Network set) it listens on RouterPort, is reached from the host through
// a port published on 127.0.0.1, and providers reach it as RouterAlias;
// otherwise it shares the host's network and listens on a loopback port.
func StartRouter(ctx context.Context, opt Options) (*Router, error) {
	configure()
	if opt.Image == "" {
		opt.Image = DefaultImage
	}
	if opt.RunID == "" {
		opt.RunID = newRunID()
	}
	listen := ""
	env := map[string]string{}
	if opt.Health == "" {
		opt.Health = "/healthz"
	}
	if opt.Network != "" {
		if opt.Port == 0 {
			opt.Port = RouterPort
		}
		listen = "0.0.0.0:" + strconv.Itoa(opt.Port)
		env["PAYDRILL_ROUTER_URL"] = fmt.Sprintf("http://%s:%d", RouterAlias, opt.Port)
	} else {
		if opt.Port == 0 {
			p, err := freePort()
			if err != nil {
				return nil, fmt.Errorf("router container: %w", err)
			}
			opt.Port = p
		}
		listen = "127.0.0.1:" + strconv.Itoa(opt.Port)
	}
	env["PORT"], env["PAYDRILL_LISTEN"] = strconv.Itoa(opt.Port), listen
	if opt.Scale > 0 {
		env["PAYDRILL_TIME_SCALE"] = strconv.FormatFloat(opt.Scale, 'g', -1, 64)
	}
	if len(opt.Secret) > 0 {
		env["PAYDRILL_SECRET"] = string(opt.Secret)
	}
	for name, u := range opt.Providers {
		env[ProviderEnv(name)] = u
	}
	for k, v := range opt.Env {
		// ${PAYDRILL_PROVIDER_ALPHA} and the like: the router's own names.
		env[k] = os.Expand(v, func(name string) string { return env[name] })
	}
	cmd := make([]string, len(opt.Cmd))
	for i, a := range opt.Cmd {
		cmd[i] = os.Expand(a, func(name string) string { return env[name] })
	}
	sp := spec{image: opt.Image, build: opt.Build, cmd: cmd, env: env, network: opt.Network,
		aliases: []string{RouterAlias}, port: strconv.Itoa(opt.Port) + "/tcp", health: opt.Health,
		runID: opt.RunID, wait: opt.Wait, log: opt.Log, hosts: opt.Hosts}
	if opt.Scenario != "" || (len(sp.cmd) == 0 && IsPaydrill(opt.Image)) {
		// The scenario file goes into every router container, at
		// /scenario.yaml: the reference router reads it, and so may yours.
		scen, files, err := scenarioFile(opt.Scenario)
		if err != nil {
			return nil, fmt.Errorf("router container: %w", err)
		}
		sp.files = files
		if len(sp.cmd) == 0 && IsPaydrill(opt.Image) {
			sp.cmd = routerCmd(scen, listen, opt)
		}
	}
	c, err := start(ctx, sp)
	if err != nil {
		return nil, fmt.Errorf("router container %s: %w", opt.Image, err)
	}
	r := &Router{URL: "http://" + listen, RunID: opt.RunID, c: c}
	if opt.Network != "" {
		if r.URL, err = endpoint(ctx, c, sp.port); err != nil {
			_ = r.Close()
			return nil, err
		}
	}
	return r, nil
}

// scenarioFile is how a paydrill container names the drill's scenario: a
// builtin:NAME as is, a host file copied into the container.
func scenarioFile(scen string) (string, []testcontainers.ContainerFile, error) {
	if scen == "" {
		return "", nil, fmt.Errorf("no scenario for paydrill")
	}
	if strings.HasPrefix(scen, "builtin:") {
		return scen, nil, nil
	}
	if _, err := os.Stat(scen); err != nil {
		return "", nil, fmt.Errorf("scenario: %w", err)
	}
	return scenarioPath, []testcontainers.ContainerFile{{HostFilePath: scen, ContainerFilePath: scenarioPath, FileMode: 0o644}}, nil
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
