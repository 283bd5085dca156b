package node

import (
	"errors"
	"fmt"

	"github.com/jepsen-lite/jepsen-lite/system/services"
	"github.com/jepsen-lite/jepsen-lite/system/store"
	"github.com/jepsen-lite/jepsen-lite/trace"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// Command is a client request. Op is the history index of its invoke, kept
// in the trace so that checkers can tie appends to commands.
type Command struct {
	Op       int
	F        string
	Key      string
	Customer string
	SKU      string
	Qty      int
	Amount   int
}

// Reply is a command's outcome: ok or fail (never info: an unknown outcome is
// what a client sees when no reply comes).
type Reply struct {
	OK      bool
	Error   string
	Status  string
	Stock   *int
	Balance *int
}

func fail(err error) Reply { return Reply{Error: err.Error()} }

// ServiceFor names the service that serves a client operation.
func ServiceFor(f string) string {
	switch f {
	case vocab.FRestock, vocab.FReadStock:
		return vocab.ServiceInventory
	case vocab.FDeposit, vocab.FReadBalance:
		return vocab.ServicePayment
	}
	return vocab.ServiceOrders
}

// Handle executes a command; reply is called at most once, later, unless
// the node crashes first.
func (n *Node) Handle(c Command, reply func(Reply)) {
	switch c.F {
	case vocab.FPlace:
		n.place(c, reply)
	case vocab.FCancel:
		n.write(c, services.OrderStream(c.Key), 3, func(s services.State) (services.Emit, error) {
			return services.Cancel(s.(*services.Order))
		}, reply)
	case vocab.FRestock:
		n.write(c, services.SKUStream(c.Key), services.CurrentSchema, func(services.State) (services.Emit, error) {
			return services.Restock(c.Key, c.Qty)
		}, reply)
	case vocab.FDeposit:
		n.write(c, services.AccountStream(c.Key), services.CurrentSchema, func(services.State) (services.Emit, error) {
			return services.Deposit(c.Key, c.Amount)
		}, reply)
	case vocab.FReadStrong, vocab.FReadProjection, vocab.FReadStock, vocab.FReadBalance:
		n.env.After(n.storeLatency(), func() { reply(n.read(c)) })
	default:
		reply(Reply{Error: fmt.Sprintf("%s: unknown operation %q", vocab.ErrInvalid, c.F)})
	}
}

// place decides an order on its (empty) stream and appends it; with the
// ack-before-persist bug it acknowledges first and writes later.
func (n *Node) place(c Command, reply func(Reply)) {
	stream := services.OrderStream(c.Key)
	s, version, err := n.load(stream, 3)
	if err != nil {
		reply(fail(err))
		return
	}
	emit, err := services.Place(s.(*services.Order), c.Key, c.Customer, c.SKU, c.Qty, c.Amount)
	if err != nil {
		reply(fail(err))
		return
	}
	op := c.Op
	req := store.AppendRequest{Stream: stream, Expected: version,
		Events: n.newEvents([]services.Emit{emit}, fmt.Sprintf("op-%d", c.Op), c.Key)}
	if n.cfg.Bugs.AckBeforePersist {
		if len(n.writeBehind) == 0 {
			n.env.After(n.cfg.WriteBehind, n.flushWriteBehind)
		}
		n.writeBehind = append(n.writeBehind, req)
		n.acked(op, reply, Reply{OK: true})
		return
	}
	n.env.After(n.storeLatency(), func() {
		if _, err := n.append(req, &op); err != nil {
			reply(fail(services.ErrDuplicateID)) // only a concurrent place of the same id conflicts
			return
		}
		n.acked(op, reply, Reply{OK: true})
	})
}

// write runs a command on one stream with optimistic concurrency: decide on
// the state read, append at that version, and on a conflict start over.
func (n *Node) write(c Command, stream string, maxSchema int, decide func(services.State) (services.Emit, error), reply func(Reply)) {
	var try func(conflicts int)
	try = func(conflicts int) {
		s, version, err := n.load(stream, maxSchema)
		if err != nil {
			reply(fail(err))
			return
		}
		emit, err := decide(s)
		if err != nil {
			reply(fail(err))
			return
		}
		op := c.Op
		n.env.After(n.storeLatency(), func() {
			_, err := n.append(store.AppendRequest{Stream: stream, Expected: version,
				Events: n.newEvents([]services.Emit{emit}, fmt.Sprintf("op-%d", c.Op), correlationOf(c))}, &op)
			var ce *store.ConflictError
			switch {
			case errors.As(err, &ce) && conflicts < n.cfg.ConflictRetriesMax:
				n.env.After(n.backoff(conflicts+1), func() { try(conflicts + 1) })
			case err != nil:
				reply(fail(err)) // nothing was written
			default:
				n.acked(op, reply, Reply{OK: true})
			}
		})
	}
	try(0)
}

func correlationOf(c Command) string {
	if c.F == vocab.FCancel {
		return c.Key
	}
	return ""
}

func (n *Node) acked(op int, reply func(Reply), r Reply) {
	n.env.Trace(trace.Event{Kind: trace.KindAck, Node: n.cfg.Service, Op: &op})
	reply(r)
}

// flushWriteBehind writes the ack-before-persist bug's buffered appends once
// they are WriteBehind old; a crash before that loses acknowledged orders.
func (n *Node) flushWriteBehind() {
	for _, req := range n.writeBehind {
		_, _ = n.append(req, nil)
	}
	n.writeBehind = nil
}

// read serves the read operations: strong reads from the store, projection
// reads from the read model (and strong ones too, with the stale-read bug).
func (n *Node) read(c Command) Reply {
	switch {
	case c.F == vocab.FReadProjection || (c.F == vocab.FReadStrong && n.cfg.Bugs.StaleRead):
		row, ok := n.st.Projection(c.Key)
		if !ok {
			return Reply{OK: true, Status: vocab.StatusNone}
		}
		return Reply{OK: true, Status: row.Status}
	case c.F == vocab.FReadStrong:
		s, _, err := n.load(services.OrderStream(c.Key), 3)
		if err != nil {
			return fail(err)
		}
		return Reply{OK: true, Status: s.(*services.Order).Status}
	case c.F == vocab.FReadStock:
		s, _, err := n.load(services.SKUStream(c.Key), services.CurrentSchema)
		if err != nil {
			return fail(err)
		}
		v := s.(*services.SKU).Stock
		return Reply{OK: true, Stock: &v}
	default:
		s, _, err := n.load(services.AccountStream(c.Key), services.CurrentSchema)
		if err != nil {
			return fail(err)
		}
		v := s.(*services.Account).Balance
		return Reply{OK: true, Balance: &v}
	}
}
