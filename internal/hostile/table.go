package hostile

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// WriteTable writes a row per input (both exit codes, whether both
// errors name a place, the longer wall time and the larger peak RSS,
// what it broke), then every breach with the first line of its stderr,
// then the summary. It returns the number of inputs that broke a rule.
func WriteTable(w io.Writer, outcomes []Outcome, lim Limits) int {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "input\tvalidate\trun\tlocated\twall\tpeak RSS\tverdict")
	broken := 0
	for _, o := range outcomes {
		located := "-"
		if !o.Input.Accepted {
			located = "yes"
			for _, r := range o.Results {
				if !Located(r.Stderr, o.Input) {
					located = "NO"
				}
			}
		}
		wall, rss := maxOf(o.Results)
		verdict := "ok"
		if len(o.Breaches) > 0 {
			verdict, broken = "BROKE", broken+1
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", o.Input.Name, code(o.Results, "validate"), code(o.Results, "run"),
			located, seconds(wall), mib(rss), verdict)
	}
	tw.Flush()

	for _, o := range outcomes {
		for _, b := range o.Breaches {
			fmt.Fprintf(w, "BROKE %s: %s\n", o.Input.Name, b)
		}
		if len(o.Breaches) > 0 {
			for _, r := range o.Results {
				first, _, _ := strings.Cut(strings.TrimSpace(r.Stderr), "\n")
				fmt.Fprintf(w, "  %s stderr: %.200s\n", r.Command, first)
			}
		}
	}
	writeSummary(w, outcomes, lim, broken)
	return broken
}

func writeSummary(w io.Writer, outcomes []Outcome, lim Limits, broken int) {
	var (
		malformed, accepted, located, procs, killed, panics int
		walls                                               []time.Duration
		rsss                                                []int64
		maxWall, maxRSS                                     string
	)
	var topWall time.Duration
	var topRSS int64
	for _, o := range outcomes {
		if o.Input.Accepted {
			accepted++
		} else {
			malformed++
			ok := true
			for _, r := range o.Results {
				ok = ok && r.Code == exitUsage && Located(r.Stderr, o.Input)
			}
			if ok {
				located++
			}
		}
		for _, r := range o.Results {
			procs++
			if r.Code == exitKilled {
				killed++
			}
			if r.Code == exitInternal || panicked(r.Stderr) {
				panics++
			}
			walls, rsss = append(walls, r.Wall), append(rsss, r.RSS)
			if r.Wall >= topWall {
				topWall, maxWall = r.Wall, o.Input.Name+" "+r.Command
			}
			if r.RSS >= topRSS {
				topRSS, maxRSS = r.RSS, o.Input.Name+" "+r.Command
			}
		}
	}
	slices.Sort(walls)
	slices.Sort(rsss)
	fmt.Fprintf(w, "\ninputs %d (malformed %d, accepted %d), processes %d (validate and run of each)\n", len(outcomes), malformed, accepted, procs)
	fmt.Fprintf(w, "malformed inputs refused with exit 2 and a FILE:LINE by validate and run: %d of %d\n", located, malformed)
	fmt.Fprintf(w, "internal errors or panic traces: %d; killed: %d\n", panics, killed)
	if len(walls) > 0 {
		fmt.Fprintf(w, "wall time per process: median %s, max %s (%s); limit %s\n", seconds(walls[len(walls)/2]), seconds(topWall), maxWall, lim.Wall)
		fmt.Fprintf(w, "peak RSS per process: median %s, max %s (%s); limit %s (a figure includes the campaign's own peak, %s)\n",
			mib(rsss[len(rsss)/2]), mib(topRSS), maxRSS, mib(lim.RSS), mib(selfPeakRSS()))
	}
	verdict := "PASS"
	if broken > 0 {
		verdict = "FAIL"
	}
	fmt.Fprintf(w, "%s: %d of %d inputs broke a rule\n", verdict, broken, len(outcomes))
}

func maxOf(rs []Result) (time.Duration, int64) {
	var wall time.Duration
	var rss int64 = -1
	for _, r := range rs {
		wall, rss = max(wall, r.Wall), max(rss, r.RSS)
	}
	return wall, rss
}

func code(rs []Result, command string) string {
	for _, r := range rs {
		if r.Command == command {
			if r.Code == exitKilled {
				return "killed"
			}
			return fmt.Sprint(r.Code)
		}
	}
	return "-"
}

func seconds(d time.Duration) string {
	return fmt.Sprintf("%.2f s", d.Seconds())
}
