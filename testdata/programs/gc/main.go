// Command gc: allocates garbage on two goroutines and forces two
// collections, so the trace has GC cycles, stop-the-world pauses, sweeping
// and heap metrics.
package main

import (
	"os"
	"runtime"
	"runtime/trace"
	"sync"
)

var sink [][]byte

func churn(n int, wg *sync.WaitGroup) {
	defer wg.Done()
	var local [][]byte
	for i := 0; i < n; i++ {
		local = append(local, make([]byte, 1<<12))
		if len(local) > 256 {
			local = nil
		}
	}
	sink = append(sink, local...)
}

func main() {
	f, err := os.Create(os.Getenv("TRACE_OUT"))
	if err != nil {
		panic(err)
	}
	defer f.Close()
	if err := trace.Start(f); err != nil {
		panic(err)
	}
	defer trace.Stop()

	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go churn(20000, &wg)
	}
	wg.Wait()
	runtime.GC()
	sink = nil
	runtime.GC()
}
