//go:build !unix

package wall

// RaiseFileLimit: no open-file limit to read here (-1).
func RaiseFileLimit() int64 { return -1 }

// openFiles: not measured here.
func openFiles() int64 { return -1 }

// ownResourceError: nothing recognised here.
func ownResourceError(error) bool { return false }
