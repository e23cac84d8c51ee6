package scenario

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/paydrill/paydrill/internal/replay"
)

// surveyReplay reads the scenario's replay file once (after defaults) and
// checks the scenario against the orders it holds (CheckReplayTraffic).
func (s *Scenario) surveyReplay() Errors {
	r := s.Traffic.Replay
	if r == nil {
		return nil
	}
	so, err := s.SourceOptions()
	if err != nil {
		return nil // reported by Validate
	}
	until := s.Duration.D()
	if r.Loop {
		until = 0 // a looped file repeats: one pass holds every method
	}
	sum, err := replay.Survey(r.File, so, until)
	if err != nil {
		return Errors{{Path: "traffic.replay.file", Msg: err.Error()}}
	}
	return s.CheckReplayTraffic(sum, "traffic.replay")
}

// FitToReplay sets the duration to cover every order of the replay file
// sum describes: the bucket after its last order's. It returns the
// duration it replaced.
func (s *Scenario) FitToReplay(sum replay.Summary) Duration {
	old := s.Duration
	b := s.Bucket.D()
	if b <= 0 {
		b = defaultBucket.D()
	}
	s.Duration = Duration((sum.Last/b + 1) * b)
	return old
}

// CheckReplayTraffic checks the scenario (defaults applied) against the
// orders its replay file holds, so that a drill is judged on traffic it
// sends: every order's method is taken by some provider, the orders are
// in one currency (which becomes the catalog's, so every report labels
// amounts with it), the run reads the whole file (unless
// traffic.replay.partial or loop says otherwise) and every fault ends
// before the file's last order. what names the file in the problems
// ("traffic.replay", or "--replay" for compare's flag); sum is Survey's
// with the run's duration as until (0 for a looped file).
func (s *Scenario) CheckReplayTraffic(sum replay.Summary, what string) Errors {
	var errs Errors
	add := func(path, format string, args ...any) {
		errs = append(errs, &FieldError{Path: path, Msg: fmt.Sprintf(format, args...)})
	}
	r := s.Traffic.Replay
	loop, partial := r != nil && r.Loop, r != nil && r.Partial
	if sum.Within == 0 {
		if sum.Orders == 0 {
			add(what, "the file holds no orders")
		} else {
			add(what, "no order of the file comes before the end of the run (duration %s; the first comes at %s)",
				s.Duration.short(), Duration(sum.First).short())
		}
		return errs
	}

	// Methods: an order no provider takes fails without an attempt.
	var unrouted int64
	var lost []string
	for _, m := range replay.Sorted(sum.Methods) {
		if !slices.ContainsFunc(s.Providers, func(p Provider) bool { return len(p.Methods) == 0 || slices.Contains(p.Methods, m) }) {
			unrouted += sum.Methods[m]
			lost = append(lost, fmt.Sprintf("%s (%d)", m, sum.Methods[m]))
		}
	}
	if unrouted > 0 && (r == nil || r.Unroutable != "report") {
		add(what, "%d of the %d orders the run reads pay by a method no provider takes: %s; the providers take %s. "+
			"Such an order fails without a single attempt. List the file's methods in traffic.methods (providers without methods take those) or in a provider's methods (or set traffic.replay.unroutable: report to run them and count them in every report)",
			unrouted, sum.Within, strings.Join(lost, ", "), strings.Join(s.providerMethods(), ", "))
	}

	// Currency: amounts are added up in one currency, the file's.
	switch cs := replay.Sorted(sum.Currencies); len(cs) {
	case 1:
		s.Traffic.Catalog.Currency = cs[0]
	default:
		list := make([]string, len(cs))
		for i, c := range cs {
			list[i] = fmt.Sprintf("%s (%d)", c, sum.Currencies[c])
		}
		add(what, "the orders are in %d currencies: %s; a run adds amounts up in one currency: replay one currency per run (split the file by currency)",
			len(cs), strings.Join(list, ", "))
	}

	if loop {
		return errs
	}
	// Span: the run reads the whole file, or says it reads a part.
	if sum.Orders > sum.Within && !partial {
		fit := *s
		fit.FitToReplay(sum)
		add("duration", "%s reads %d of the file's %d orders (its last order comes at %s): set duration: %s to replay the whole file, or traffic.replay.partial: true to replay only its first %s",
			s.Duration.short(), sum.Within, sum.Orders, Duration(sum.Last.Truncate(time.Second)).short(), fit.Duration.short(), s.Duration.short())
	}
	// Faults: each one needs traffic during it and after it.
	last := Duration(sum.LastWithin)
	for i, f := range s.Faults {
		path := index("faults", i)
		switch end := f.At + f.For; {
		case f.At >= last:
			add(path+".at", "%s is after the last order the run reads (%s of %s): no order would meet the fault; move it, or set traffic.replay.loop: true",
				f.At.short(), last.D().Truncate(time.Second), what)
		case f.For > 0 && end >= last:
			add(path+".for", "the fault runs to %s, after the last order the run reads (%s of %s): nothing would measure its recovery; shorten or move it, or set traffic.replay.loop: true",
				end.short(), last.D().Truncate(time.Second), what)
		}
	}
	return errs
}

// providerMethods lists the methods any provider takes, sorted; "any"
// when a provider takes every method.
func (s *Scenario) providerMethods() []string {
	var out []string
	for _, p := range s.Providers {
		if len(p.Methods) == 0 {
			return []string{"any"}
		}
		for _, m := range p.Methods {
			if !slices.Contains(out, m) {
				out = append(out, m)
			}
		}
	}
	slices.Sort(out)
	return out
}
