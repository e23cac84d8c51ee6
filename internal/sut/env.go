package sut

import (
	"os"
	"sync"

	tclog "github.com/testcontainers/testcontainers-go/log"
)

// Environment defaults testcontainers needs on machines without a
// registry: no reaper (its image would be pulled; only the exact value
// "true" turns it off), and published ports reached on localhost rather
// than a bridge gateway address guessed from inside a container.
var envDefaults = [][2]string{
	{"TESTCONTAINERS_RYUK_DISABLED", "true"},
	{"TESTCONTAINERS_HOST_OVERRIDE", "localhost"},
}

var quiet sync.Once

// configure sets the testcontainers environment defaults the user has not
// set, and silences testcontainers' default logger (it prints a banner on
// connecting; Options.Log shows a container's lines). testcontainers reads
// its configuration once, so this must run before its first call.
func configure() {
	quiet.Do(func() { tclog.SetDefault(tclog.NewNoopLogger()) })
	for _, kv := range envDefaults {
		if _, ok := os.LookupEnv(kv[0]); !ok {
			_ = os.Setenv(kv[0], kv[1])
		}
	}
}
