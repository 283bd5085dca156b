package realtime

import (
	"context"
	"sync"
)

// Actor runs posted functions one at a time on its own goroutine: the
// mailbox of one service node. Its mailbox is bounded, so a producer that
// outruns the node (a fetch loop) waits instead of growing memory.
type Actor struct {
	mailbox chan func()
	quit    chan struct{}
	done    chan struct{}
	once    sync.Once
}

// NewActor starts an actor whose mailbox holds up to capacity functions.
func NewActor(capacity int) *Actor {
	a := &Actor{mailbox: make(chan func(), capacity), quit: make(chan struct{}), done: make(chan struct{})}
	go a.run()
	return a
}

func (a *Actor) run() {
	defer close(a.done)
	for {
		select {
		case fn := <-a.mailbox:
			fn()
		case <-a.quit:
			return
		}
	}
}

// Post queues fn, waiting while the mailbox is full. It reports false,
// without queueing, when ctx ends or the actor stops first.
func (a *Actor) Post(ctx context.Context, fn func()) bool {
	select {
	case <-a.quit: // first: the select below picks at random among ready cases
		return false
	default:
	}
	select {
	case a.mailbox <- fn:
		return true
	case <-ctx.Done():
		return false
	case <-a.quit:
		return false
	}
}

// Len is the number of functions waiting in the mailbox.
func (a *Actor) Len() int { return len(a.mailbox) }

// Stop ends the actor after the function it is running, dropping the rest,
// and waits for its goroutine to exit.
func (a *Actor) Stop() {
	a.once.Do(func() { close(a.quit) })
	<-a.done
}
