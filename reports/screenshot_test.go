package reports_test

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/paydrill/paydrill/reports"
)

// TestChartsDrawnInChromium opens the HTML report and each chart alone in
// headless Chromium with every host name unresolvable (so no request
// could leave the page), takes screenshots and checks that the charts
// are drawn: each chart's screenshot holds coloured pixels (data lines,
// bands, shading; axes and text are grey), and the whole page is not blank.
// It fails under CI=true when chromium is missing, and skips otherwise.
func TestChartsDrawnInChromium(t *testing.T) {
	chromium := needTool(t, "chromium", "chromium")
	r := seededRun(t, "merchant-freeze", "health")
	dir := t.TempDir()
	shot := func(name, html string, w, h int) []float64 {
		t.Helper()
		page := filepath.Join(dir, name+".html")
		if err := os.WriteFile(page, []byte(html), 0o644); err != nil {
			t.Fatal(err)
		}
		pngPath := filepath.Join(dir, name+".png")
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
			"--host-resolver-rules=MAP * ~NOTFOUND", "--user-data-dir="+filepath.Join(dir, "profile"),
			"--window-size="+itoa(w)+","+itoa(h), "--screenshot="+pngPath, "file://"+page)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("chromium: %v\n%s", err, out)
		}
		f, err := os.ReadFile(pngPath)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(f))
		if err != nil {
			t.Fatal(err)
		}
		// Per quarter of the height: the share of non-white and of
		// coloured pixels.
		b := img.Bounds()
		var nonWhite, coloured, total int
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				cr, cg, cb, _ := img.At(x, y).RGBA()
				r8, g8, b8 := int(cr>>8), int(cg>>8), int(cb>>8)
				total++
				if r8 < 240 || g8 < 240 || b8 < 240 {
					nonWhite++
				}
				if max(r8, g8, b8)-min(r8, g8, b8) > 60 {
					coloured++
				}
			}
		}
		return []float64{float64(nonWhite) / float64(total), float64(coloured) / float64(total)}
	}

	charts, err := reports.Charts(r)
	if err != nil {
		t.Fatal(err)
	}
	if len(charts) != 4 {
		t.Fatalf("%d charts, want 4", len(charts))
	}
	for i, c := range charts {
		html := `<!DOCTYPE html><html><body style="margin:0;background:#fff">` + c.SVG + `</body></html>`
		got := shot("chart"+itoa(i), html, 720, 260)
		if got[1] < 0.01 {
			t.Errorf("chart %q: %.4f of its pixels coloured, want at least 1%%: not drawn", c.Title, got[1])
		}
	}
	var page bytes.Buffer
	if err := reports.WriteHTML(&page, r); err != nil {
		t.Fatal(err)
	}
	if got := shot("page", page.String(), 1100, 2400); got[0] < 0.05 || got[1] < 0.01 {
		t.Errorf("whole page: %.3f non-white, %.3f coloured: blank", got[0], got[1])
	}
}

func itoa(n int) string {
	return strconv.Itoa(n)
}
