package mocks

import (
	"errors"
	"testing"
	"time"
)

func TestVerifySignature(t *testing.T) {
	secret, body := []byte("whsec"), []byte(`{"id":"pay_1"}`)
	at := time.Unix(1_800_000_000, 0)
	good := Sign(secret, at.Unix(), body)
	for _, tc := range []struct {
		name   string
		secret []byte
		header string
		body   string
		now    time.Time
		want   error // nil, a sentinel, or errAny
	}{
		{"valid", secret, good, string(body), at, nil},
		{"valid within tolerance", secret, good, string(body), at.Add(4 * time.Minute), nil},
		{"tampered body", secret, good, `{"id":"pay_2"}`, at, ErrNoSignature},
		{"wrong secret", []byte("other"), good, string(body), at, ErrNoSignature},
		{"too old", secret, good, string(body), at.Add(6 * time.Minute), ErrSignatureOld},
		{"from the future", secret, good, string(body), at.Add(-6 * time.Minute), ErrSignatureOld},
		{"rolled secret: one v1 valid", secret, good + ",v1=00ff", string(body), at, nil},
		{"v0 only", secret, "t=1800000000,v0=abcd", string(body), at, ErrNoSignature},
		{"no timestamp", secret, "v1=abcd", string(body), at, errAny},
		{"bad timestamp", secret, "t=x,v1=abcd", string(body), at, errAny},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := VerifySignature(tc.secret, tc.header, []byte(tc.body), tc.now, 5*time.Minute)
			switch {
			case tc.want == nil && err != nil, tc.want != nil && err == nil:
				t.Errorf("VerifySignature: %v, want %v", err, tc.want)
			case tc.want != nil && tc.want != errAny && !errors.Is(err, tc.want):
				t.Errorf("VerifySignature: %v, want %v", err, tc.want)
			}
		})
	}
}

var errAny = errors.New("any error")

func TestSignIsStripesScheme(t *testing.T) {
	// Computed independently: printf '1800000000.{"a":1}' | openssl dgst -sha256 -hmac whsec
	got := Sign([]byte("whsec"), 1_800_000_000, []byte(`{"a":1}`))
	want := "t=1800000000,v1=" + "adf19a16865985b0891b0e7e4f6770e17d6bdd6462d897848f5adb661c4381bb"
	if got != want {
		t.Errorf("Sign = %s, want %s", got, want)
	}
}
