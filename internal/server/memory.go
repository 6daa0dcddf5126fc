package server

import "runtime/debug"

// MemoryLimit is the soft limit of the Go heap that serve sets unless the
// environment sets GOMEMLIMIT (issue 13, item 1): near it the garbage
// collector runs more often rather than let the heap grow to twice what is
// live, so that an import of any upload up to 20 MB keeps the process under
// 256 MB (the SQLite page caches and the program itself take the rest).
// It is a soft limit: a process that needs more still gets it.
const MemoryLimit = 160 << 20

// LimitMemory sets MemoryLimit as the heap's soft limit, unless GOMEMLIMIT
// (read with getenv) sets one.
func LimitMemory(getenv func(string) string) {
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(MemoryLimit)
	}
}
