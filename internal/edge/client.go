package edge

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	toxiclient "github.com/Shopify/toxiproxy/v2/client"

	"github.com/paydrill/paydrill/mocks"
)

// Client drives an edge from the drill: toxics through Toxiproxy's own
// client, the tap's log and the clock through /_paydrill/.
type Client struct {
	url  string
	http *http.Client
	tox  *toxiclient.Client
}

// NewClient is a client of the edge whose API is at url.
func NewClient(url string) *Client {
	return &Client{url: url, http: &http.Client{Timeout: 10 * time.Second}, tox: toxiclient.NewClient(url)}
}

// AddToxic puts a toxic on the provider's connections, on the answers'
// direction (downstream): the request reaches the provider, which may act
// on it, and the router is left with what the toxic does to the answer.
func (c *Client) AddToxic(provider, name, typ string, attrs map[string]int64) error {
	p, err := c.tox.Proxy(provider)
	if err != nil {
		return fmt.Errorf("edge: proxy %s: %w", provider, err)
	}
	a := toxiclient.Attributes{}
	for k, v := range attrs {
		a[k] = v
	}
	if _, err := p.AddToxic(name, typ, "downstream", 1, a); err != nil {
		return fmt.Errorf("edge: toxic %s on %s: %w", name, provider, err)
	}
	return nil
}

// RemoveToxic takes a toxic off the provider's connections.
func (c *Client) RemoveToxic(provider, name string) error {
	p, err := c.tox.Proxy(provider)
	if err != nil {
		return fmt.Errorf("edge: proxy %s: %w", provider, err)
	}
	if err := p.RemoveToxic(name); err != nil {
		return fmt.Errorf("edge: removing toxic %s from %s: %w", name, provider, err)
	}
	return nil
}

// Attempts reads the tap's log from index since on.
func (c *Client) Attempts(since int) ([]Attempt, error) {
	resp, err := c.http.Get(c.url + PathAttempts + "?since=" + strconv.Itoa(since))
	if err != nil {
		return nil, fmt.Errorf("edge: attempts: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("edge: attempts: status %d", resp.StatusCode)
	}
	var a []Attempt
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		return nil, fmt.Errorf("edge: attempts: %w", err)
	}
	return a, nil
}

// SetStart tells the edge when scenario time 0 is.
func (c *Client) SetStart(t time.Time) error { return mocks.PostClock(c.http, c.url, t) }
