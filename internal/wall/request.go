package wall

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync"

	"github.com/paydrill/paydrill/internal/payment"
	"github.com/paydrill/paydrill/internal/router"
	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/internal/traffic"
)

// orderPost builds the load generator's POST /v1/orders requests from a
// template: the URL is parsed and the header made once, the body is
// appended with the scenario's strings quoted beforehand, and the answer
// is read into a pooled buffer. Per order that
// leaves the request value, its body and the answer's own fields: no URL
// parse, no header map, no reflection on the way out. The bytes are
// those of json.Marshal(router.OrderRequest) (checked by a test).
type orderPost struct {
	url    *url.URL
	header http.Header
	quoted map[string][]byte // JSON of each string the scenario can draw; read-only
	bufs   sync.Pool         // *[]byte, for answers
	tmpl   *http.Request
}

func newOrderPost(sut string, t scenario.Traffic) (*orderPost, error) {
	u, err := url.Parse(sut + "/v1/orders")
	if err != nil {
		return nil, fmt.Errorf("router URL %q: %w", sut, err)
	}
	p := &orderPost{url: u, header: http.Header{"Content-Type": {"application/json"}}, quoted: map[string][]byte{}}
	add := func(s string) {
		if _, ok := p.quoted[s]; !ok {
			p.quoted[s], _ = json.Marshal(s)
		}
	}
	add(t.Catalog.Currency)
	for _, m := range []map[string]float64{t.Methods, t.Regions, t.Catalog.Categories} {
		for k := range m {
			add(k)
		}
	}
	p.bufs.New = func() any { b := make([]byte, 0, 512); return &b }
	p.tmpl = &http.Request{Method: http.MethodPost, URL: u, Header: p.header, Proto: "HTTP/1.1",
		ProtoMajor: 1, ProtoMinor: 1, Host: u.Host}
	return p, nil
}

// appendString appends s as JSON, from the table when the scenario can
// draw it, as it is when it needs no escaping (a buyer's email, IP and
// user agent), else through json.Marshal.
func (p *orderPost) appendString(b []byte, s string) []byte {
	if q, ok := p.quoted[s]; ok {
		return append(b, q...)
	}
	if plainJSON(s) {
		b = append(b, '"')
		b = append(b, s...)
		return append(b, '"')
	}
	q, _ := json.Marshal(s)
	return append(b, q...)
}

// plainJSON reports whether json.Marshal writes s as it is between
// quotes: printable ASCII without a quote, backslash or HTML character.
func plainJSON(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20 || c > 0x7e, c == '"', c == '\\', c == '<', c == '>', c == '&':
			return false
		}
	}
	return true
}

// body appends the JSON of the order's request to b; buyer is the
// order's buyer (nil: none known, only the index is sent).
func (p *orderPost) body(b []byte, id string, o *payment.Order, buyer *traffic.Buyer) []byte {
	b = append(b, `{"order_id":`...)
	b = p.appendString(b, id)
	b = append(b, `,"amount":`...)
	b = strconv.AppendInt(b, int64(o.Amount), 10)
	b = append(b, `,"currency":`...)
	b = p.appendString(b, o.Currency)
	b = append(b, `,"method":`...)
	b = p.appendString(b, o.Method)
	if o.Category != "" {
		b = append(b, `,"category":`...)
		b = p.appendString(b, o.Category)
	}
	if o.Region != "" {
		b = append(b, `,"region":`...)
		b = p.appendString(b, o.Region)
	}
	// BuyerID is never empty: strconv.Itoa of an index.
	b = append(b, `,"buyer_id":"`...)
	b = strconv.AppendInt(b, int64(o.Buyer), 10)
	b = append(b, '"')
	if buyer != nil {
		for _, f := range [...]struct{ key, v string }{{`,"buyer_email":`, buyer.Email}, {`,"buyer_ip":`, buyer.IP}, {`,"user_agent":`, buyer.Device}} {
			if f.v != "" {
				b = append(b, f.key...)
				b = p.appendString(b, f.v)
			}
		}
	}
	return append(b, '}')
}

// do posts the order with client, the request bound to ctx, and decodes
// the router's answer into v.
func (p *orderPost) do(ctx context.Context, client *http.Client, id string, o *payment.Order, buyer *traffic.Buyer, v *router.OrderView) error {
	// The body has a buffer of its own: the transport may still be
	// writing it after the answer came (a router that answers early).
	body := p.body(make([]byte, 0, 384), id, o, buyer)
	req := p.tmpl.WithContext(ctx)
	req.Body = io.NopCloser(bytes.NewReader(body))
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	req.ContentLength = int64(len(body))
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return &statusError{url: p.url.String(), code: resp.StatusCode}
	}
	bp := p.bufs.Get().(*[]byte)
	defer p.bufs.Put(bp)
	b, err := readAll((*bp)[:0], resp.Body, 1<<16)
	*bp = b
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// readAll appends what r holds to b, up to limit bytes.
func readAll(b []byte, r io.Reader, limit int) ([]byte, error) {
	for len(b) < limit {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):min(cap(b), limit)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
	return b, nil
}
