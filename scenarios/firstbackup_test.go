//go:build !race

package scenarios_test

import "testing"

// firstBackupFails lists drills the first-backup design (a primary and
// one backup per method, switched for good) must fail, beside the cascade
// drill's own test: it never returns to the primary, so it fails a drill
// that expects fail back (merchant-freeze, epay-freeze), and one backup is
// not enough when the backup is frozen too (industry-freeze and
// backup-capacity: the card pair is alpha and gamma, both gaming;
// backup-freeze; small-backup-capacity-10-per-min).
var firstBackupFails = []string{"epay-freeze", "backup-capacity", "merchant-freeze", "industry-freeze", "backup-freeze", "small-backup-capacity-10-per-min"}

func TestFirstBackupFails(t *testing.T) {
	var jobs []job
	for _, n := range firstBackupFails {
		jobs = append(jobs, job{n, "first-backup", 0})
	}
	got := runAll(t, jobs)
	for _, j := range jobs {
		if r := got[j]; r != nil && r.Passed() {
			t.Errorf("%s --router first-backup: verdict %s, want fail", j.drill, r.Verdict)
		}
	}
}
