package scenario

// ProviderIndex returns the index of the provider called name, or -1.
func (s *Scenario) ProviderIndex(name string) int {
	for i, p := range s.Providers {
		if p.Name == name {
			return i
		}
	}
	return -1
}

// TargetIndexes returns the indexes of the providers f targets, by name
// or by tag, each once, in provider order.
func (s *Scenario) TargetIndexes(f Fault) []int {
	var out []int
	for i, p := range s.Providers {
		if targets(f.Target, p) {
			out = append(out, i)
		}
	}
	return out
}

func targets(t Target, p Provider) bool {
	for _, name := range t.Providers {
		if name == p.Name {
			return true
		}
	}
	if t.Tag == "" {
		return false
	}
	for _, tag := range p.Tags {
		if tag == t.Tag {
			return true
		}
	}
	return false
}
