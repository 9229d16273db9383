package app

import (
	"os"
	"runtime/debug"
	"strconv"
)

// TuneGC trades memory for CPU the way a request-per-instance Lambda can: a
// score allocates a few MB that all die with the request, so collecting at
// 4× the live heap instead of 2× halves GC work, and the memory limit (80 %
// of the function's memory) makes the runtime collect early rather than let
// Lambda kill the instance. Every function and the local server call it,
// and so do the benchmarks, so what they measure is what runs.
func TuneGC() {
	debug.SetGCPercent(400)
	if mb, err := strconv.Atoi(os.Getenv("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")); err == nil && mb > 0 {
		debug.SetMemoryLimit(int64(mb) << 20 * 8 / 10)
	}
}
