//go:build !race

package scenarios_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/paydrill/paydrill/reports"
	"github.com/paydrill/paydrill/scenarios"
)

// firstBackupPasses lists the library drills (outside the small-shop tier)
// the first-backup design (a primary and one backup per method, switched
// for good) passes on the drill's own seed: the first-backup column of the
// matrix in docs/library.md. It must fail every other one: it never
// returns to the primary, so it fails a drill that expects fail back
// (merchant-freeze, epay-freeze); one backup is not enough when the backup
// is frozen too (industry-freeze and backup-capacity: the card pair is
// alpha and gamma, both gaming; backup-freeze), and moving everything onto
// it trips its review (cascade-review, TestCascadeReview).
var firstBackupPasses = []string{"block-by-amount", "block-by-category", "block-by-region", "duplicate-notifications",
	"flapping", "flash-sale-freeze", "provider-hang", "timeout-storm", "total-blackout"}

// firstBackupFailsSmall lists small-shop drills it must fail on their own
// seed too.
var firstBackupFailsSmall = []string{"small-backup-capacity-10-per-min", "small-cascade-review-10-per-min"}

func TestFirstBackupColumn(t *testing.T) {
	var jobs []job
	for _, n := range scenarios.Names() {
		if !strings.HasPrefix(n, "small-") || slices.Contains(firstBackupFailsSmall, n) {
			jobs = append(jobs, job{n, "first-backup", 0})
		}
	}
	got := runAll(t, jobs)
	for _, j := range jobs {
		r := got[j]
		if r == nil {
			continue
		}
		want := reports.Fail
		if slices.Contains(firstBackupPasses, j.drill) {
			want = reports.Pass
		}
		if r.Verdict != want {
			t.Errorf("%s --router first-backup: verdict %s, want %s (docs/library.md's first-backup column)\n%s", j.drill, r.Verdict, want, failed(r))
		}
	}
}
