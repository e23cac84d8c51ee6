package bare

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestCreatePayment(t *testing.T) {
	for _, tt := range []struct {
		body string
		code int
	}{
		{`{"amount":1500,"currency":"USD"}`, http.StatusCreated},
		{`{"currency":"USD"}`, http.StatusBadRequest},
		{``, http.StatusBadRequest},
	} {
		w := httptest.NewRecorder()
		CreatePayment(w, httptest.NewRequest("POST", "/v1/payments", strings.NewReader(tt.body)))
		if w.Code != tt.code {
			t.Errorf("%q: %d, want %d", tt.body, w.Code, tt.code)
		}
		if tt.code == http.StatusCreated && w.Body.String() != Payment {
			t.Errorf("%q: body %q", tt.body, w.Body.String())
		}
	}
}
