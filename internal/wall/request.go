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
// draw it.
func (p *orderPost) appendString(b []byte, s string) []byte {
	if q, ok := p.quoted[s]; ok {
		return append(b, q...)
	}
	q, _ := json.Marshal(s)
	return append(b, q...)
}

// body appends the JSON of the order's request to b.
func (p *orderPost) body(b []byte, id string, o *payment.Order) []byte {
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
	return append(b, `"}`...)
}

// do posts the order with client, the request bound to ctx, and decodes
// the router's answer into v.
func (p *orderPost) do(ctx context.Context, client *http.Client, id string, o *payment.Order, v *router.OrderView) error {
	// The body has a buffer of its own: the transport may still be
	// writing it after the answer came (a router that answers early).
	body := p.body(make([]byte, 0, 160), id, o)
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
