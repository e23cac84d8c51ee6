package sut

import (
	"context"
	"fmt"
	"io"
	stdlog "log"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/moby/moby/api/types/container"
	mobynet "github.com/moby/moby/api/types/network"
	"github.com/testcontainers/testcontainers-go"
	tclog "github.com/testcontainers/testcontainers-go/log"
	"github.com/testcontainers/testcontainers-go/network"
	"github.com/testcontainers/testcontainers-go/wait"
)

// spec is one container paydrill starts.
type spec struct {
	image string
	build string // a directory with a Dockerfile: built and kept as image
	cmd   []string
	env   map[string]string
	files []testcontainers.ContainerFile
	// network and aliases put the container on a drill's network, with
	// port published on 127.0.0.1 only; without a network it shares the
	// host's network and listens on port itself.
	network string
	aliases []string
	port    string // "8080/tcp"
	health  string // GET path that answers 200 when ready
	runID   string
	wait    time.Duration
	log     io.Writer
	// hosts are /etc/hosts entries (name -> IP) for a container on a
	// network: names it then resolves without the network's DNS.
	hosts map[string]string
}

// start runs a container from a spec and waits for its health path.
// Nothing is pulled: the image must be on the engine, or be built.
func start(ctx context.Context, s spec) (*testcontainers.DockerContainer, error) {
	configure()
	if s.wait <= 0 {
		s.wait = 30 * time.Second
	}
	var logger tclog.Logger = tclog.NewNoopLogger()
	if s.log != nil {
		logger = stdlog.New(s.log, "testcontainers: ", stdlog.LstdFlags)
	}
	opts := []testcontainers.ContainerCustomizer{
		testcontainers.WithLogger(logger),
		testcontainers.WithEnv(s.env),
		testcontainers.WithLabels(map[string]string{Label: s.runID, LabelPID: strconv.Itoa(os.Getpid())}),
		testcontainers.WithWaitStrategy(wait.ForHTTP(s.health).WithPort(s.port).
			WithStartupTimeout(s.wait).WithPollInterval(100 * time.Millisecond)),
	}
	if s.network == "" {
		opts = append(opts, testcontainers.WithHostConfigModifier(func(hc *container.HostConfig) { hc.NetworkMode = "host" }))
	} else {
		port, err := mobynet.ParsePort(s.port)
		if err != nil {
			return nil, fmt.Errorf("port %q: %w", s.port, err)
		}
		// Published on loopback only: synthetic traffic and the control
		// APIs stay on this machine.
		opts = append(opts, network.WithNetworkName(s.aliases, s.network),
			testcontainers.WithExposedPorts(s.port),
			testcontainers.WithHostConfigModifier(func(hc *container.HostConfig) {
				hc.PortBindings = mobynet.PortMap{port: {{HostIP: netip.MustParseAddr("127.0.0.1")}}}
				for name, ip := range s.hosts {
					hc.ExtraHosts = append(hc.ExtraHosts, name+":"+ip)
				}
			}))
	}
	if len(s.files) > 0 {
		opts = append(opts, testcontainers.WithFiles(s.files...))
	}
	if len(s.cmd) > 0 {
		opts = append(opts, testcontainers.WithCmd(s.cmd...))
	}
	img := s.image
	if s.build != "" {
		repo, tag, _ := strings.Cut(s.image, ":")
		if tag == "" {
			tag = "latest"
		}
		opts = append(opts, testcontainers.WithDockerfile(testcontainers.FromDockerfile{
			Context: s.build, Dockerfile: "Dockerfile", Repo: repo, Tag: tag, KeepImage: true,
		}))
		img = ""
	} else if err := present(ctx, img); err != nil {
		return nil, err
	}
	return retryPortClash(func() (*testcontainers.DockerContainer, error) {
		c, err := testcontainers.Run(ctx, img, opts...)
		if err != nil {
			if c != nil {
				_ = testcontainers.TerminateContainer(c)
			}
			return nil, err
		}
		return c, nil
	})
}

// endpoint is the base URL of a container's published port on loopback.
func endpoint(ctx context.Context, c *testcontainers.DockerContainer, port string) (string, error) {
	p, err := c.MappedPort(ctx, port)
	if err != nil {
		return "", fmt.Errorf("container %.12s: port %s: %w", c.GetContainerID(), port, err)
	}
	return "http://127.0.0.1:" + p.Port(), nil
}
