// Command annotations: one user task "checkout" with a child task
// "payment", regions "validate", "charge" and "ship" (one nested), and log
// messages with categories.
package main

import (
	"context"
	"os"
	"runtime/trace"
	"time"
)

// charge runs the "charge" region of the payment task on its own goroutine.
func charge(ctx context.Context, done chan<- struct{}) {
	defer close(done)
	r := trace.StartRegion(ctx, "charge")
	trace.Logf(ctx, "amount", "%d cents", 1999)
	time.Sleep(time.Millisecond)
	r.End()
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

	ctx, task := trace.NewTask(context.Background(), "checkout")
	trace.Log(ctx, "order", "id=42")
	trace.WithRegion(ctx, "validate", func() {
		time.Sleep(time.Millisecond)
	})
	payCtx, pay := trace.NewTask(ctx, "payment")
	done := make(chan struct{})
	go charge(payCtx, done)
	<-done
	pay.End()
	trace.WithRegion(ctx, "ship", func() {
		trace.WithRegion(ctx, "label", func() {
			trace.Log(ctx, "", "printed")
		})
	})
	task.End()
}
