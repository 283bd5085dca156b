package kv

import (
	"context"
	"fmt"
	"slices"

	"github.com/jepsen-lite/jepsen-lite/sut"
)

// Client is the store's sut.Client: one per client process, bound to one
// node. Its calls are sut.KVModel's: read (result: the value or nil),
// write v, cas [from, to].
type Client struct {
	store *Store
	node  string
}

// Open binds the client to node.
func (c *Client) Open(_ context.Context, node string) error {
	if !slices.Contains(c.store.Names(), node) {
		return fmt.Errorf("kv: no node %q", node)
	}
	c.node = node
	return nil
}

// Invoke performs op on the client's node. Every error of the store means
// the operation did not take effect, so it is a Fail; the store never
// leaves an operation's outcome unknown.
func (c *Client) Invoke(_ context.Context, op sut.Op) sut.Reply {
	var err error
	switch op.F {
	case "read":
		val, ok, rerr := c.store.Read(c.node, op.Key)
		if rerr != nil {
			return sut.Failed("%v", rerr)
		}
		if !ok {
			return sut.Ok(nil)
		}
		return sut.Ok(val)
	case "write":
		v, ok := op.Value.(int)
		if !ok {
			return sut.Failed("write: value %v is not an int", op.Value)
		}
		err = c.store.Write(c.node, op.Key, v)
	case "cas":
		ft, ok := op.Value.([2]int)
		if !ok {
			return sut.Failed("cas: value %v is not [from, to]", op.Value)
		}
		err = c.store.CAS(c.node, op.Key, ft[0], ft[1])
	default:
		return sut.Failed("unknown operation %q", op.F)
	}
	if err != nil {
		return sut.Failed("%v", err)
	}
	return sut.Ok(nil)
}

// Close does nothing: the client holds no connection.
func (c *Client) Close(context.Context) error { return nil }
