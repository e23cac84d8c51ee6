package mocks

import (
	"bytes"
	"net/http"
	"sync"

	json "github.com/goccy/go-json"
)

// bodies are the request-body buffers of the JSON protocols, reused.
var bodies = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// decodeBody reads r's body (at most maxBody bytes) and decodes the one
// JSON value it holds into v. goccy/go-json decodes a create-payment body
// in about a fifth of encoding/json's time and keeps its rules (field
// names matched case-insensitively, unknown fields ignored); the whole
// body must be that value (trailing bytes are an error). Decoded strings
// are copies, as encoding/json makes them (never DecodeNoCopyString): a
// payment the ledger keeps must not keep its whole body alive
// (TestGenericCreateKeepsNoBody).
func decodeBody(w http.ResponseWriter, r *http.Request, v any) error {
	buf := bodies.Get().(*bytes.Buffer)
	defer bodies.Put(buf)
	if err := readBody(w, r, buf); err != nil {
		return err
	}
	return json.Unmarshal(buf.Bytes(), v)
}

// decodeCreate is decodeBody for a create body: its plain shape taken by
// parseCreate, anything else by the decoder.
func decodeCreate(w http.ResponseWriter, r *http.Request, in *CreatePayment) error {
	buf := bodies.Get().(*bytes.Buffer)
	defer bodies.Put(buf)
	if err := readBody(w, r, buf); err != nil {
		return err
	}
	if parseCreate(buf.Bytes(), in) {
		return nil
	}
	// Decoded apart, so that in does not escape: on the fast path, the
	// caller's CreatePayment stays on its stack.
	slow := new(CreatePayment)
	err := json.Unmarshal(buf.Bytes(), slow)
	*in = *slow
	return err
}

// readBody reads r's body, at most maxBody bytes, into buf.
func readBody(w http.ResponseWriter, r *http.Request, buf *bytes.Buffer) error {
	buf.Reset()
	_, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, maxBody))
	return err
}
