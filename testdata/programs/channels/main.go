// Command channels: four producers send numbered items to one consumer over
// an unbuffered channel; the consumer also selects on a done channel. The
// consumer pauses now and then, so producers block on chan send, and it
// waits in select at the end, before done is closed.
package main

import (
	"os"
	"runtime/trace"
	"sync"
	"time"
)

const producers = 4
const items = 50

func producer(id int, out chan<- int, wg *sync.WaitGroup) {
	defer wg.Done()
	for i := 0; i < items; i++ {
		out <- id*1000 + i
	}
}

func consumer(in <-chan int, done <-chan struct{}, got chan<- int) {
	n := 0
	for {
		select {
		case <-in:
			n++
			if n%10 == 0 {
				// Let the producers pile up on the channel.
				time.Sleep(100 * time.Microsecond)
			}
		case <-done:
			got <- n
			return
		}
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

	ch := make(chan int)
	done := make(chan struct{})
	got := make(chan int)
	var wg sync.WaitGroup
	go consumer(ch, done, got)
	for id := 0; id < producers; id++ {
		wg.Add(1)
		go producer(id, ch, &wg)
	}
	wg.Wait()
	// The consumer now waits in select until done is closed.
	time.Sleep(5 * time.Millisecond)
	close(done)
	if n := <-got; n != producers*items {
		panic("lost items")
	}
}
