//go:build !unix

package hostile

import "os"

// peakRSS cannot be measured here: -1.
func peakRSS(*os.ProcessState) int64 { return -1 }

func selfPeakRSS() int64 { return -1 }
