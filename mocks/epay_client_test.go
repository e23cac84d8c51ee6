package mocks_test

// A shop's client of the epay protocol written only from its public
// description (docs/protocol.md, "The epay protocol"), not from the mock's
// code: its own signing, its own parsing. It drives the mock as a card shop
// would: create by form and by API, take the signed notification, query.

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/mocks"
)

// shopSign is the protocol's signature as the description states it.
func shopSign(params map[string]string, key string) string {
	var names []string
	for k, v := range params {
		if v != "" && k != "sign" && k != "sign_type" {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, k := range names {
		parts[i] = k + "=" + params[k]
	}
	sum := md5.Sum([]byte(strings.Join(parts, "&") + key))
	return hex.EncodeToString(sum[:])
}

// Signatures computed by hand: printf '%s' 'STRING' | md5sum.
func TestEpaySignatureByHand(t *testing.T) {
	cases := []struct {
		params map[string]string
		key    string
		want   string
	}{
		{ // money=1.00&name=game key&notify_url=http://127.0.0.1:9000/notify&out_trade_no=20260101001&pid=1000&type=alipayepay-key
			params: map[string]string{"pid": "1000", "type": "alipay", "out_trade_no": "20260101001",
				"notify_url": "http://127.0.0.1:9000/notify", "name": "game key", "money": "1.00",
				"sign_type": "MD5", "return_url": ""},
			key: "epay-key", want: "66f229c688d530754e5a08c7f0b8cd2d"},
		{ // money=12.50&name=key&notify_url=http://shop.test/n?x=1&out_trade_no=A1&param=category=game-keys&pid=1000&return_url=http://shop.test/r&type=wxpaysecret
			params: map[string]string{"pid": "1000", "type": "wxpay", "out_trade_no": "A1",
				"notify_url": "http://shop.test/n?x=1", "return_url": "http://shop.test/r", "name": "key",
				"money": "12.50", "param": "category=game-keys", "sign": "ignored", "sign_type": "MD5"},
			key: "secret", want: "06a9fc973cc378d78ef23a3791d2e53b"},
	}
	for _, c := range cases {
		if got := shopSign(c.params, c.key); got != c.want {
			t.Errorf("shopSign(%v) = %s, want %s (by hand)", c.params, got, c.want)
		}
		v := url.Values{}
		for k, x := range c.params {
			v.Set(k, x)
		}
		if got := mocks.EpaySign(v, c.key); got != c.want {
			t.Errorf("mocks.EpaySign(%v) = %s, want %s (by hand)", c.params, got, c.want)
		}
		v.Set("sign", c.want)
		if err := mocks.EpayVerify(v, c.key); err != nil {
			t.Errorf("mocks.EpayVerify of the hand signature: %v", err)
		}
		v.Set("money", "1.01")
		if err := mocks.EpayVerify(v, c.key); err == nil {
			t.Errorf("mocks.EpayVerify took a signature over other money")
		}
	}
}

const epayKey = "shop-key-123"

// epayMock serves one epay provider of a scenario, its faults off.
func epayMock(t *testing.T, provider, faults string) (*mocks.Live, *httptest.Server) {
	t.Helper()
	y := "name: t\nduration: 1h\ntraffic:\n  arrivals: {type: constant, rate: 1/s}\n  methods: {alipay: 1, wxpay: 1}\nproviders:\n" +
		provider + faults
	s, err := scenario.Parse("t.yaml", []byte(y))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	l := mocks.NewLive(s, 0, func() time.Duration { return time.Since(start) * 1000 })
	h := mocks.NewEpayHandler(l, mocks.HandlerOptions{Scale: 1000, Secret: []byte(epayKey)})
	srv := httptest.NewServer(h)
	t.Cleanup(func() { h.(io.Closer).Close(); srv.Close() })
	return l, srv
}

const epayProvider = "  - {name: ep, protocol: epay, latency: {median: 100ms, p99: 100ms}, completion: {rate: 1}, notify: {delay: {median: 2s, p99: 2s}}}\n"

func order(id, money, notify string) map[string]string {
	return map[string]string{"pid": "1000", "type": "alipay", "out_trade_no": id, "notify_url": notify,
		"return_url": "http://127.0.0.1:1/return", "name": "game key", "money": money,
		"param": "category=game-keys&region=CN"}
}

func form(params map[string]string, key string) url.Values {
	v := url.Values{}
	for k, x := range params {
		v.Set(k, x)
	}
	v.Set("sign", shopSign(params, key))
	v.Set("sign_type", "MD5")
	return v
}

type apiAnswer struct {
	Code    int    `json:"code"`
	Msg     string `json:"msg"`
	TradeNo string `json:"trade_no"`
	PayURL  string `json:"payurl"`
	QRCode  string `json:"qrcode"`
}

func mapi(t *testing.T, base string, params map[string]string, key string) (int, apiAnswer) {
	t.Helper()
	res, err := http.PostForm(base+"/mapi.php", form(params, key))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var a apiAnswer
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode == 200 {
		if err := json.Unmarshal(b, &a); err != nil {
			t.Fatalf("mapi.php: %s: %v", b, err)
		}
	}
	return res.StatusCode, a
}

type orderAnswer struct {
	Code       int    `json:"code"`
	Msg        string `json:"msg"`
	TradeNo    string `json:"trade_no"`
	OutTradeNo string `json:"out_trade_no"`
	Money      string `json:"money"`
	Status     int    `json:"status"`
	Param      string `json:"param"`
}

func query(t *testing.T, base, by, id, key string) orderAnswer {
	t.Helper()
	res, err := http.Get(base + "/api.php?act=order&pid=1000&key=" + url.QueryEscape(key) + "&" + by + "=" + url.QueryEscape(id))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var o orderAnswer
	if err := json.NewDecoder(res.Body).Decode(&o); err != nil {
		t.Fatal(err)
	}
	return o
}

// shop is a notify_url that verifies each notification by the description
// and answers "fail" to the first tries, then "success".
type shop struct {
	fails  int32
	tries  atomic.Int32
	good   chan url.Values
	forged atomic.Int32
}

func (s *shop) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p := map[string]string{}
	for k := range q {
		p[k] = q.Get(k)
	}
	if r.Method != http.MethodGet || q.Get("sign_type") != "MD5" || shopSign(p, epayKey) != q.Get("sign") {
		s.forged.Add(1)
		io.WriteString(w, "fail")
		return
	}
	if s.tries.Add(1) <= s.fails {
		io.WriteString(w, "fail")
		return
	}
	s.good <- q
	io.WriteString(w, "success")
}

func TestEpayClientAPICreateNotifyQuery(t *testing.T) {
	_, srv := epayMock(t, epayProvider, "")
	sh := &shop{fails: 2, good: make(chan url.Values, 4)}
	notify := httptest.NewServer(sh)
	defer notify.Close()

	code, a := mapi(t, srv.URL, order("20260101001", "12.50", notify.URL+"/notify"), epayKey)
	if code != 200 || a.Code != 1 || a.TradeNo == "" || a.PayURL == "" {
		t.Fatalf("mapi.php: %d %+v, want code 1 with trade_no and payurl", code, a)
	}
	if o := query(t, srv.URL, "out_trade_no", "20260101001", epayKey); o.Code != 1 || o.Status != 0 || o.Money != "12.50" {
		t.Fatalf("query before paying: %+v, want code 1 status 0 money 12.50", o)
	}
	res, err := http.Post(a.PayURL, "", nil) // the buyer pays
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("paying %s: %v %v", a.PayURL, res, err)
	}
	res.Body.Close()
	var q url.Values
	select {
	case q = <-sh.good:
	case <-time.After(20 * time.Second):
		t.Fatalf("no notification taken after %d tries", sh.tries.Load())
	}
	if got := sh.tries.Load(); got != 3 {
		t.Errorf("notification taken at try %d, want 3 (two answered fail)", got)
	}
	want := map[string]string{"pid": "1000", "trade_no": a.TradeNo, "out_trade_no": "20260101001", "type": "alipay",
		"name": "game key", "money": "12.50", "trade_status": "TRADE_SUCCESS", "param": "category=game-keys&region=CN"}
	for k, v := range want {
		if q.Get(k) != v {
			t.Errorf("notification %s = %q, want %q", k, q.Get(k), v)
		}
	}
	if sh.forged.Load() != 0 {
		t.Errorf("%d notifications failed the shop's signature check", sh.forged.Load())
	}
	for _, by := range [][2]string{{"trade_no", a.TradeNo}, {"out_trade_no", "20260101001"}} {
		if o := query(t, srv.URL, by[0], by[1], epayKey); o.Code != 1 || o.Status != 1 || o.TradeNo != a.TradeNo {
			t.Errorf("query by %s after paying: %+v, want code 1 status 1", by[0], o)
		}
	}
	if o := query(t, srv.URL, "trade_no", a.TradeNo, "wrong-key"); o.Code != -1 {
		t.Errorf("query with a wrong key: %+v, want code -1", o)
	}
	if o := query(t, srv.URL, "out_trade_no", "nope", epayKey); o.Code != -1 {
		t.Errorf("query of an unknown order: %+v, want code -1", o)
	}
	// out_trade_no is the idempotency key: the same create answers the same payment.
	if _, b := mapi(t, srv.URL, order("20260101001", "12.50", notify.URL), epayKey); b.TradeNo != a.TradeNo {
		t.Errorf("second create of the order: trade_no %q, want %q", b.TradeNo, a.TradeNo)
	}
}

func TestEpayClientFormCreate(t *testing.T) {
	_, srv := epayMock(t, epayProvider, "")
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.PostForm(srv.URL+"/submit.php", form(order("F1", "3", "http://127.0.0.1:1/n"), epayKey))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusFound || !strings.Contains(res.Header.Get("Location"), "/pay/") {
		t.Fatalf("submit.php: %d Location %q, want 302 to the pay page", res.StatusCode, res.Header.Get("Location"))
	}
	if o := query(t, srv.URL, "out_trade_no", "F1", epayKey); o.Money != "3.00" {
		t.Errorf("money of a form create of 3: %q, want 3.00", o.Money)
	}
	// Also by GET, as a link.
	res, err = c.Get(srv.URL + "/submit.php?" + form(order("F2", "3.10", "http://127.0.0.1:1/n"), epayKey).Encode())
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusFound {
		t.Errorf("submit.php by GET: %d, want 302", res.StatusCode)
	}
	// A wrong signature: the gateway's error page, no payment.
	bad := form(order("F3", "3", "http://127.0.0.1:1/n"), "not-the-key")
	res, err = c.PostForm(srv.URL+"/submit.php", bad)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(b), "sign_error") {
		t.Errorf("submit.php with a wrong signature: %d %s, want 200 and a sign_error page", res.StatusCode, b)
	}
}

func TestEpayFaultShapes(t *testing.T) {
	faults := "faults:\n" +
		"  - {name: frozen, type: suspend, at: 1m, target: {providers: [ep]}}\n" +
		"  - {name: down, type: outage, at: 1m, target: {providers: [ep]}}\n" +
		"  - {name: slow, type: rate_limit, limit: 1/h, at: 1m, target: {providers: [ep]}}\n"
	l, srv := epayMock(t, epayProvider, faults)
	cases := []struct {
		fault string
		code  int
		msg   string
	}{
		{"frozen", 200, "merchant_suspended:"},
		{"down", 502, ""},
		{"slow", 200, "try_again_later:"},
	}
	for i, c := range cases {
		l.SetFault(c.fault, true)
		for try := range 2 { // a rate limit of 1/h takes the first
			status, a := mapi(t, srv.URL, order("X"+c.fault+string(rune('0'+try)), "5.00", "http://127.0.0.1:1/n"), epayKey)
			if c.fault == "slow" && try == 0 {
				continue
			}
			if status != c.code || (c.msg != "" && (a.Code != -1 || !strings.HasPrefix(a.Msg, c.msg))) {
				t.Errorf("case %d, %s on: %d %+v, want %d with code -1 and msg %q...", i, c.fault, status, a, c.code, c.msg)
			}
		}
		l.SetFault(c.fault, false)
	}
	if status, a := mapi(t, srv.URL, order("ok", "5.00", "http://127.0.0.1:1/n"), epayKey); status != 200 || a.Code != 1 {
		t.Errorf("all faults off: %d %+v, want code 1", status, a)
	}
	if _, a := mapi(t, srv.URL, order("m", "5.001", "http://127.0.0.1:1/n"), epayKey); a.Code != -1 {
		t.Errorf("money with three decimals: %+v, want code -1", a)
	}
	if _, a := mapi(t, srv.URL, order("k", "5.00", "http://127.0.0.1:1/n"), "wrong"); a.Code != -1 || !strings.HasPrefix(a.Msg, "sign_error") {
		t.Errorf("wrong key: %+v, want code -1 sign_error", a)
	}
}
