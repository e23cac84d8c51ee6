package mocks_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/paydrill/paydrill/internal/scenario"
	"github.com/paydrill/paydrill/mocks"
)

// TestEpayDocExamples runs docs/protocol.md's epay examples as written
// (the shell blocks between the epay-examples markers) against a mock of
// builtin:epay-freeze, and checks what they print.
func TestEpayDocExamples(t *testing.T) {
	for _, tool := range []string{"sh", "curl", "md5sum", "sed", "cut"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("the examples need %s: %v", tool, err)
		}
	}
	doc, err := os.ReadFile("../docs/protocol.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(doc), "<!-- epay-examples -->")
	body, _, ok2 := strings.Cut(rest, "<!-- /epay-examples -->")
	if !ok || !ok2 {
		t.Fatal("docs/protocol.md: no <!-- epay-examples --> ... <!-- /epay-examples --> section")
	}
	var script strings.Builder
	script.WriteString("set -e\n")
	for _, part := range strings.Split(body, "```sh\n")[1:] {
		code, _, _ := strings.Cut(part, "```")
		script.WriteString(code)
		script.WriteString("echo\n")
	}
	data, err := os.ReadFile("../scenarios/epay-freeze.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s, err := scenario.Parse("epay-freeze.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	m, err := mocks.ServeScenario(s, mocks.ServeOptions{Secret: []byte("shop-key-123")})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	p := m.Providers()["alpha"]
	cmd := exec.Command("sh", "-c", script.String())
	cmd.Env = append(os.Environ(), "P="+p, "KEY=shop-key-123")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the examples failed: %v\n%s\nscript:\n%s", err, out, script.String())
	}
	for _, want := range []string{
		`{"code":1,"msg":"succ","trade_no":"pay_alpha_1","payurl":"` + p + `/pay/pay_alpha_1"}`,
		"302 " + p + "/pay/pay_alpha_2",
		`"merchant_order_id":"1001","amount":1250,"currency":"CNY","status":"succeeded"`,
		`"out_trade_no":"1001","type":"alipay","pid":"1000","name":"game key","money":"12.50","status":1}`,
		`{"code":-1,"msg":"merchant_suspended: the payment was declined"}`,
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the examples' output lacks %s:\n%s", want, out)
		}
	}
}
