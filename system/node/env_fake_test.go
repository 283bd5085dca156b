package node

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/jepsen-lite/jepsen-lite/system/services"
	"github.com/jepsen-lite/jepsen-lite/system/store"
	"github.com/jepsen-lite/jepsen-lite/trace"
)

// fakeEnv is a tiny deterministic driver for one node: a virtual clock and a
// slice of timers run in (time, sequence) order, with everything the node
// publishes, commits and traces kept for the test to inspect.
type fakeEnv struct {
	now    time.Duration
	seq    uint64
	timers []timer
	rng    *rand.Rand

	published   []published
	committed   map[topicPartition]int64
	commits     []commitRec // successful commits, in order
	events      []trace.Event
	unreachable bool // Publish and Commit fail, as in a partition
}

type timer struct {
	at  time.Duration
	seq uint64
	fn  func()
}

type published struct {
	topic string
	ev    trace.Envelope
}

type commitRec struct {
	topic     string
	partition int
	next      int64
}

// stepsMax bounds one runFor: the node's relay ticks forever once started.
const stepsMax = 100_000

func newFakeEnv(seed uint64) *fakeEnv {
	return &fakeEnv{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), committed: map[topicPartition]int64{}}
}

func (e *fakeEnv) Now() time.Duration { return e.now }
func (e *fakeEnv) Rand() *rand.Rand   { return e.rng }

func (e *fakeEnv) After(d time.Duration, fn func()) {
	e.seq++
	e.timers = append(e.timers, timer{at: e.now + max(d, 0), seq: e.seq, fn: fn})
}

func (e *fakeEnv) Publish(topic string, ev trace.Envelope) error {
	if e.unreachable {
		return errUnreachable
	}
	e.published = append(e.published, published{topic, ev})
	return nil
}

func (e *fakeEnv) Committed(topic string, partition int) int64 {
	return e.committed[topicPartition{topic, partition}]
}

func (e *fakeEnv) Commit(topic string, partition int, next int64) error {
	if e.unreachable {
		return errUnreachable
	}
	e.committed[topicPartition{topic, partition}] = next
	e.commits = append(e.commits, commitRec{topic, partition, next})
	return nil
}

func (e *fakeEnv) Trace(ev trace.Event) {
	ev.Seq = int64(len(e.events))
	ev.Time = int64(e.now)
	e.events = append(e.events, ev)
}

type unreachableError struct{}

func (unreachableError) Error() string { return "fake: bus unreachable" }

var errUnreachable error = unreachableError{}

// runFor runs every timer due within d of now, then sets the clock to now+d.
func (e *fakeEnv) runFor(d time.Duration) {
	until := e.now + d
	for range stepsMax {
		i := e.earliest()
		if i < 0 || e.timers[i].at > until {
			e.now = until
			return
		}
		t := e.timers[i]
		e.timers = append(e.timers[:i], e.timers[i+1:]...)
		e.now = t.at
		t.fn()
	}
	panic("fakeEnv: step limit reached")
}

func (e *fakeEnv) earliest() int {
	best := -1
	for i, t := range e.timers {
		if best < 0 || t.at < e.timers[best].at || (t.at == e.timers[best].at && t.seq < e.timers[best].seq) {
			best = i
		}
	}
	return best
}

// fixture is one node over a fresh store and a fake env.
type fixture struct {
	t   *testing.T
	env *fakeEnv
	st  *store.Store
	n   *Node
	cfg Config
}

// testConfig is DefaultConfig with a fixed store latency (so that who wins a
// race is decided by scheduling order) and every OrderPlaced at schema 2.
func testConfig(svc string, bugs Bugs) Config {
	cfg := DefaultConfig(svc, bugs)
	cfg.StoreLatencyMin, cfg.StoreLatencyMax = time.Millisecond, time.Millisecond
	cfg.LegacyEvery, cfg.FutureEvery = 0, 0
	return cfg
}

func newFixture(t *testing.T, cfg Config) *fixture {
	t.Helper()
	env := newFakeEnv(1)
	st := store.New()
	return &fixture{t: t, env: env, st: st, n: New(cfg, env, st), cfg: cfg}
}

// write appends one event as its owner would and returns its envelope.
func (f *fixture) write(owner, stream, typ string, schema int, d services.Data) trace.Envelope {
	f.t.Helper()
	envs, err := f.st.Append(owner, store.AppendRequest{Stream: stream, Expected: f.st.Version(stream),
		Events: []store.NewEvent{{Type: typ, SchemaVersion: schema, CorrelationID: d.Order,
			Data: services.Encode(typ, d, schema)}}})
	if err != nil {
		f.t.Fatalf("write %s to %s: %v", typ, stream, err)
	}
	return envs[0]
}

func delivery(topic string, off int64, ev trace.Envelope) Delivery {
	return Delivery{Topic: topic, Partition: 0, Offset: off, Event: ev}
}

// outcomes returns the handle outcomes traced for an event, in order.
func (f *fixture) outcomes(id string) []string {
	var out []string
	for _, e := range f.env.events {
		if e.Kind == trace.KindHandle && e.Ref.ID == id {
			out = append(out, e.Outcome)
		}
	}
	return out
}

// traced returns the trace events of a kind, in order.
func (f *fixture) traced(kind string) []trace.Event {
	var out []trace.Event
	for _, e := range f.env.events {
		if e.Kind == kind {
			out = append(out, e)
		}
	}
	return out
}

// types returns the event types of a stream, in version order.
func (f *fixture) types(stream string) []string {
	var out []string
	for _, e := range f.st.Read(stream, 1) {
		out = append(out, e.Type)
	}
	return out
}

// replay folds every event of a stream from version 1, without snapshots.
func (f *fixture) replay(stream string) (services.State, int) {
	f.t.Helper()
	s := services.NewState(stream)
	version := 0
	for _, e := range f.st.Read(stream, 1) {
		d, err := services.Decode(&e, 3)
		if err != nil {
			f.t.Fatalf("replay %s: %v", stream, err)
		}
		s.Apply(e.Type, d)
		version = e.Version
	}
	return s, version
}

// do sends a command and returns a pointer that holds the reply once it came.
func (f *fixture) do(c Command) **Reply {
	got := new(*Reply)
	f.n.Handle(c, func(r Reply) {
		if *got != nil {
			f.t.Errorf("command %s %s replied twice", c.F, c.Key)
		}
		*got = &r
	})
	return got
}
