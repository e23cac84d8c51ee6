package scenario

import (
	"testing"
	"time"
)

func TestRateMarshalText(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"20/s", "20/s"},
		{"3/min", "3/min"},
		{"100/h", "100/h"},
		{"90/min", "1.5/s"},
		{"0", "0"},
		{"7/h", "7/h"},
	}
	for _, tt := range tests {
		r, err := ParseRate(tt.in)
		if err != nil {
			t.Fatalf("ParseRate(%q): %v", tt.in, err)
		}
		b, err := r.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != tt.want {
			t.Errorf("ParseRate(%q).MarshalText() = %q, want %q", tt.in, b, tt.want)
		}
		var back Rate
		if err := back.UnmarshalText(b); err != nil || back != r {
			t.Errorf("UnmarshalText(%q) = %v, %v; want %v", b, back, err, r)
		}
	}
}

func TestDurationAndLimitText(t *testing.T) {
	tests := []struct {
		d    Duration
		want string
	}{
		{Duration(90 * time.Minute), "1h30m"},
		{Duration(time.Hour), "1h"},
		{Duration(40 * time.Minute), "40m"},
		{Duration(90 * time.Second), "1m30s"},
		{Duration(250 * time.Millisecond), "250ms"},
		{0, "0s"},
	}
	for _, tt := range tests {
		b, _ := tt.d.MarshalText()
		if string(b) != tt.want {
			t.Errorf("Duration(%d).MarshalText() = %q, want %q", tt.d, b, tt.want)
		}
		var back Duration
		if err := back.UnmarshalText(b); err != nil || back != tt.d {
			t.Errorf("UnmarshalText(%q) = %v, %v; want %v", b, back, err, tt.d)
		}
	}
	for _, l := range []Limit{{Off: true}, {D: 5 * time.Minute}} {
		b, _ := l.MarshalText()
		var back Limit
		if err := back.UnmarshalText(b); err != nil || back != l {
			t.Errorf("Limit %v: UnmarshalText(%q) = %v, %v", l, b, back, err)
		}
	}
}
