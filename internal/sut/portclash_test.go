package sut

import (
	"errors"
	"strings"
	"testing"
)

// A start whose published port clashes is tried again (with a fresh
// port, the engine's pick); other errors are not retried.
func TestRetryPortClash(t *testing.T) {
	clash := errors.New("Error response from daemon: driver failed programming external connectivity on endpoint mock-alpha: listen tcp4 127.0.0.1:40123: bind: address already in use")
	other := errors.New("no such image")
	for _, tc := range []struct {
		name    string
		errs    []error // what each try returns; nil: started
		calls   int
		wantErr string
	}{
		{"first try", []error{nil}, 1, ""},
		{"one clash", []error{clash, nil}, 2, ""},
		{"allocated", []error{errors.New("Bind for 127.0.0.1:40123 failed: port is already allocated"), nil}, 2, ""},
		{"other error", []error{other, nil}, 1, "no such image"},
		{"clashes every time", []error{clash, clash, clash, clash, nil}, portTries, "the published port clashed 4 times: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			calls := 0
			got, err := retryPortClash(func() (int, error) {
				e := tc.errs[calls]
				calls++
				return calls, e
			})
			if calls != tc.calls {
				t.Errorf("tried %d times, want %d", calls, tc.calls)
			}
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("error %v, want none", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("error %v, want it to hold %q", err, tc.wantErr)
			case tc.wantErr == "" && got != calls:
				t.Errorf("returned the value of try %d, want the last (%d)", got, calls)
			}
		})
	}
}
