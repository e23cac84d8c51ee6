package mocks

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Sign returns the signature header value of a notification body sent at
// Unix time t: "t=T,v1=HEX" where HEX is hex(HMAC-SHA256(secret, T + "." + body)).
// It is the scheme of Stripe's webhooks, used by both protocols.
func Sign(secret []byte, t int64, body []byte) string {
	return "t=" + strconv.FormatInt(t, 10) + ",v1=" + hex.EncodeToString(mac(secret, t, body))
}

func mac(secret []byte, t int64, body []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(strconv.FormatInt(t, 10)))
	m.Write([]byte{'.'})
	m.Write(body)
	return m.Sum(nil)
}

// Signature verification errors.
var (
	ErrNoSignature  = errors.New("no valid v1 signature in header")
	ErrSignatureOld = errors.New("signature timestamp outside tolerance")
)

// VerifySignature checks a Paydrill-Signature (or Stripe-Signature) header
// against the body it came with: one of its v1 signatures must match, and
// when tolerance > 0 its timestamp must be within tolerance of now (the
// receiver's wall clock, passed in). Unknown schemes (v0, ...) are ignored.
func VerifySignature(secret []byte, header string, body []byte, now time.Time, tolerance time.Duration) error {
	var (
		t     int64
		haveT bool
		sigs  [][]byte
	)
	for _, part := range strings.Split(header, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			continue
		}
		switch k {
		case "t":
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return fmt.Errorf("signature header: bad timestamp %q", v)
			}
			t, haveT = n, true
		case "v1":
			if b, err := hex.DecodeString(v); err == nil {
				sigs = append(sigs, b)
			}
		}
	}
	if !haveT {
		return errors.New("signature header: no timestamp")
	}
	if len(sigs) == 0 {
		return ErrNoSignature
	}
	if tolerance > 0 {
		if d := now.Sub(time.Unix(t, 0)); d > tolerance || d < -tolerance {
			return fmt.Errorf("%w: %s off", ErrSignatureOld, d)
		}
	}
	want := mac(secret, t, body)
	for _, s := range sigs {
		if hmac.Equal(s, want) {
			return nil
		}
	}
	return ErrNoSignature
}
