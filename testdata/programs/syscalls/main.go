// Command syscalls: a reader goroutine blocks in read(2) on a pipe (raw,
// blocking file descriptors, not the network poller) until a writer
// goroutine writes 50ms later (long enough for the runtime to take its P); main also writes a file in small pieces
// (syscalls that return at once).
package main

import (
	"os"
	"path/filepath"
	"runtime/trace"
	"syscall"
	"time"
)

func reader(fd int, done chan<- int) {
	buf := make([]byte, 16)
	n, err := syscall.Read(fd, buf)
	if err != nil {
		panic(err)
	}
	done <- n
}

func writer(fd int) {
	time.Sleep(50 * time.Millisecond)
	if _, err := syscall.Write(fd, []byte("hello")); err != nil {
		panic(err)
	}
}

func main() {
	out := os.Getenv("TRACE_OUT")
	f, err := os.Create(out)
	if err != nil {
		panic(err)
	}
	defer f.Close()
	if err := trace.Start(f); err != nil {
		panic(err)
	}
	defer trace.Stop()

	var p [2]int
	if err := syscall.Pipe(p[:]); err != nil {
		panic(err)
	}
	done := make(chan int)
	go reader(p[0], done)
	go writer(p[1])

	scratch, err := os.Create(filepath.Join(filepath.Dir(out), "syscalls.scratch"))
	if err != nil {
		panic(err)
	}
	for i := 0; i < 20; i++ {
		if _, err := scratch.Write([]byte("some bytes\n")); err != nil {
			panic(err)
		}
	}
	scratch.Close()
	os.Remove(scratch.Name())

	if n := <-done; n != 5 {
		panic("short read")
	}
}
