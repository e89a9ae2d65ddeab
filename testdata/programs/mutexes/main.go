// Command mutexes: eight workers take turns on one sync.Mutex, each holding
// it for a short sleep, so the others block in sync.(*Mutex).Lock.
package main

import (
	"os"
	"runtime/trace"
	"sync"
	"time"
)

const workers = 8
const rounds = 5

func worker(mu *sync.Mutex, counter *int, wg *sync.WaitGroup) {
	defer wg.Done()
	for i := 0; i < rounds; i++ {
		mu.Lock()
		*counter++
		time.Sleep(200 * time.Microsecond)
		mu.Unlock()
	}
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

	var mu sync.Mutex
	var wg sync.WaitGroup
	counter := 0
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go worker(&mu, &counter, &wg)
	}
	wg.Wait()
	if counter != workers*rounds {
		panic("bad count")
	}
}
