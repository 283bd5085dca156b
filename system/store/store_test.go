package store

import (
	"errors"
	"reflect"
	"testing"

	"github.com/jepsen-lite/jepsen-lite/trace"
)

// ev is a one-event append body of the given type.
func ev(typ string) []NewEvent {
	return []NewEvent{{Type: typ, SchemaVersion: 2, CausationID: "op-1", CorrelationID: "o-1", Data: []byte(`{}`)}}
}

// mustAppend appends and fails the test on an error.
func mustAppend(t *testing.T, s *Store, owner string, req AppendRequest) []trace.Envelope {
	t.Helper()
	envs, err := s.Append(owner, req)
	if err != nil {
		t.Fatalf("Append(%s, %+v): %v", owner, req, err)
	}
	return envs
}

func TestAppendAssignsVersionsPositionsAndIDs(t *testing.T) {
	s := New()
	a := mustAppend(t, s, "orders", AppendRequest{Stream: "order-o-1", Expected: 0,
		Events: append(ev("OrderPlaced"), ev("OrderReserved")...)})
	b := mustAppend(t, s, "inventory", AppendRequest{Stream: "sku-s-1", Expected: 0, Events: ev("StockRestocked")})
	c := mustAppend(t, s, "orders", AppendRequest{Stream: "order-o-1", Expected: 2, Events: ev("OrderCharged")})

	got := append(append(a, b...), c...)
	want := []struct {
		id, stream string
		version    int
		position   int64
	}{
		{"ev-1", "order-o-1", 1, 1},
		{"ev-2", "order-o-1", 2, 2},
		{"ev-3", "sku-s-1", 1, 3},
		{"ev-4", "order-o-1", 3, 4},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d envelopes, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.ID != w.id || g.Aggregate != w.stream || g.Version != w.version || g.Position != w.position {
			t.Errorf("envelope %d = {%s %s v%d p%d}, want {%s %s v%d p%d}",
				i, g.ID, g.Aggregate, g.Version, g.Position, w.id, w.stream, w.version, w.position)
		}
	}
	if got[0].CausationID != "op-1" || got[0].CorrelationID != "o-1" || got[0].SchemaVersion != 2 || got[0].Type != "OrderPlaced" {
		t.Errorf("metadata not carried over: %+v", got[0])
	}
	if v := s.Version("order-o-1"); v != 3 {
		t.Errorf("Version(order-o-1) = %d, want 3", v)
	}
	if v := s.Version("order-o-404"); v != 0 {
		t.Errorf("Version of an empty stream = %d, want 0", v)
	}
	if h := s.Head(); h != 4 {
		t.Errorf("Head = %d, want 4", h)
	}
}

func TestAppendConflictReportsExpectedAndActual(t *testing.T) {
	s := New()
	mustAppend(t, s, "orders", AppendRequest{Stream: "order-o-1", Expected: 0, Events: ev("OrderPlaced")})

	for _, expected := range []int{0, 2} {
		_, err := s.Append("orders", AppendRequest{Stream: "order-o-1", Expected: expected, Events: ev("OrderCancelled")})
		var ce *ConflictError
		if !errors.As(err, &ce) {
			t.Fatalf("Expected=%d: err = %v, want *ConflictError", expected, err)
		}
		if ce.Stream != "order-o-1" || ce.Expected != expected || ce.Actual != 1 {
			t.Errorf("Expected=%d: conflict = %+v, want {order-o-1 %d 1}", expected, *ce, expected)
		}
	}
	if v, h := s.Version("order-o-1"), s.Head(); v != 1 || h != 1 {
		t.Errorf("a refused append wrote: version %d head %d, want 1 1", v, h)
	}
	if n := s.OutboxLen("orders"); n != 1 {
		t.Errorf("a refused append reached the outbox: OutboxLen = %d, want 1", n)
	}
}

func TestAppendAnyVersionSkipsTheCheck(t *testing.T) {
	s := New()
	mustAppend(t, s, "inventory", AppendRequest{Stream: "sku-dlq", Expected: AnyVersion, Events: ev("StockRejected")})
	envs := mustAppend(t, s, "inventory", AppendRequest{Stream: "sku-dlq", Expected: AnyVersion, Events: ev("StockRejected")})
	if envs[0].Version != 2 {
		t.Errorf("second AnyVersion append got version %d, want 2", envs[0].Version)
	}
}

func TestReadFromVersion(t *testing.T) {
	s := New()
	for i := range 4 {
		mustAppend(t, s, "inventory", AppendRequest{Stream: "sku-s-1", Expected: i, Events: ev("StockRestocked")})
		mustAppend(t, s, "inventory", AppendRequest{Stream: "sku-s-2", Expected: i, Events: ev("StockRestocked")})
	}
	versions := func(es []trace.Envelope) []int {
		var out []int
		for _, e := range es {
			if e.Aggregate != "sku-s-1" {
				t.Errorf("Read(sku-s-1) returned an event of %s", e.Aggregate)
			}
			out = append(out, e.Version)
		}
		return out
	}
	cases := []struct {
		from int
		want []int
	}{
		{-3, []int{1, 2, 3, 4}},
		{0, []int{1, 2, 3, 4}},
		{1, []int{1, 2, 3, 4}},
		{3, []int{3, 4}},
		{4, []int{4}},
		{5, nil},
	}
	for _, c := range cases {
		if got := versions(s.Read("sku-s-1", c.from)); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Read(sku-s-1, %d) versions = %v, want %v", c.from, got, c.want)
		}
	}
	if got := s.Read("sku-s-404", 1); got != nil {
		t.Errorf("Read of an empty stream = %v, want nil", got)
	}
}

func TestReadAllByPositionWithMax(t *testing.T) {
	s := New()
	for i := range 5 {
		mustAppend(t, s, "orders", AppendRequest{Stream: "order-o-1", Expected: i, Events: ev("E")})
	}
	positions := func(es []trace.Envelope) []int64 {
		var out []int64
		for _, e := range es {
			out = append(out, e.Position)
		}
		return out
	}
	cases := []struct {
		from int64
		max  int
		want []int64
	}{
		{0, 10, []int64{1, 2, 3, 4, 5}},
		{1, 2, []int64{1, 2}},
		{2, 3, []int64{2, 3, 4}},
		{4, 10, []int64{4, 5}},
		{5, 1, []int64{5}},
		{6, 10, nil},
	}
	for _, c := range cases {
		if got := positions(s.ReadAll(c.from, c.max)); !reflect.DeepEqual(got, c.want) {
			t.Errorf("ReadAll(%d, %d) = %v, want %v", c.from, c.max, got, c.want)
		}
	}
	// The result is a copy: changing it does not change the log.
	got := s.ReadAll(1, 1)
	got[0].Type = "Tampered"
	if s.ReadAll(1, 1)[0].Type != "E" {
		t.Error("ReadAll returned the log's backing array")
	}
}

func TestAppendDedupRefusesAndWritesNothing(t *testing.T) {
	s := New()
	ref := &trace.Ref{ID: "ev-9", Aggregate: "order-o-1", Version: 1, Type: "OrderPlaced"}
	mustAppend(t, s, "inventory", AppendRequest{Stream: "sku-s-1", Expected: 0, Events: ev("StockReserved"),
		Consumer: "inventory", Handled: ref})
	if !s.Handled("inventory", "ev-9") {
		t.Fatal("the dedup record was not written with the append")
	}
	logBefore := s.ReadAll(1, 100)

	// Even with a matching expected version, the dedup check refuses first.
	envs, err := s.Append("inventory", AppendRequest{Stream: "sku-s-1", Expected: 1, Events: ev("StockReserved"),
		Consumer: "inventory", Handled: ref})
	if !errors.Is(err, ErrDuplicate) {
		t.Fatalf("second append of a handled event: err = %v, want ErrDuplicate", err)
	}
	if envs != nil {
		t.Errorf("a refused duplicate returned envelopes %v", envs)
	}
	if v := s.Version("sku-s-1"); v != 1 {
		t.Errorf("stream version after the duplicate = %d, want 1", v)
	}
	if logAfter := s.ReadAll(1, 100); !reflect.DeepEqual(logAfter, logBefore) {
		t.Errorf("the log changed on a refused duplicate:\nbefore %v\nafter  %v", logBefore, logAfter)
	}
	if n := s.OutboxLen("inventory"); n != 1 {
		t.Errorf("OutboxLen after the duplicate = %d, want 1", n)
	}

	// Another consumer has its own dedup records.
	if _, err := s.Append("payment", AppendRequest{Stream: "acct-c-1", Expected: 0, Events: ev("PaymentCharged"),
		Consumer: "payment", Handled: ref}); err != nil {
		t.Errorf("another consumer handling the same event: %v", err)
	}
}

func TestAppendSkipDedupWritesAgain(t *testing.T) {
	s := New()
	ref := &trace.Ref{ID: "ev-9", Aggregate: "order-o-1", Version: 1}
	req := AppendRequest{Stream: "ship-o-1", Expected: AnyVersion, Events: ev("ShipmentShipped"),
		Consumer: "shipping", Handled: ref, SkipDedup: true}
	mustAppend(t, s, "shipping", req)
	mustAppend(t, s, "shipping", req)
	if v := s.Version("ship-o-1"); v != 2 {
		t.Errorf("with SkipDedup the effect is written twice: version = %d, want 2", v)
	}
	if !s.Handled("shipping", "ev-9") {
		t.Error("SkipDedup must still record the event as handled")
	}
}

func TestMarkHandledHandledApplied(t *testing.T) {
	s := New()
	if s.Handled("orders", "ev-1") || s.Applied("orders", "sku-s-1") != 0 {
		t.Fatal("a new store reports handled events")
	}
	r1 := &trace.Ref{ID: "ev-1", Aggregate: "sku-s-1", Version: 1}
	r3 := &trace.Ref{ID: "ev-3", Aggregate: "sku-s-1", Version: 3}
	r2 := &trace.Ref{ID: "ev-2", Aggregate: "sku-s-1", Version: 2}
	for _, r := range []*trace.Ref{r1, r3, r2} {
		if err := s.MarkHandled("orders", r, false); err != nil {
			t.Fatalf("MarkHandled(%s): %v", r.ID, err)
		}
	}
	if a := s.Applied("orders", "sku-s-1"); a != 3 {
		t.Errorf("Applied = %d, want the highest version handled, 3", a)
	}
	if err := s.MarkHandled("orders", r2, false); !errors.Is(err, ErrDuplicate) {
		t.Errorf("MarkHandled twice: err = %v, want ErrDuplicate", err)
	}
	if err := s.MarkHandled("orders", r2, true); err != nil {
		t.Errorf("MarkHandled twice with skipDedup: err = %v, want nil", err)
	}
	if !s.Handled("orders", "ev-2") || s.Handled("payment", "ev-2") || s.Handled("orders", "ev-4") {
		t.Error("Handled is not per consumer and per event ID")
	}
	if a := s.Applied("orders", "sku-s-2"); a != 0 {
		t.Errorf("Applied of another aggregate = %d, want 0", a)
	}
}

func TestOutboxPendingAndCursor(t *testing.T) {
	s := New()
	for i := range 3 {
		mustAppend(t, s, "orders", AppendRequest{Stream: "order-o-1", Expected: i, Events: ev("E")})
		mustAppend(t, s, "inventory", AppendRequest{Stream: "sku-s-1", Expected: i, Events: ev("E")})
	}
	ids := func(es []trace.Envelope) []string {
		var out []string
		for _, e := range es {
			out = append(out, e.ID)
		}
		return out
	}
	if got, want := ids(s.OutboxPending("orders", 0, 10)), []string{"ev-1", "ev-3", "ev-5"}; !reflect.DeepEqual(got, want) {
		t.Errorf("OutboxPending(orders, 0, 10) = %v, want %v (only its own events, in order)", got, want)
	}
	if got, want := ids(s.OutboxPending("orders", 1, 1)), []string{"ev-3"}; !reflect.DeepEqual(got, want) {
		t.Errorf("OutboxPending(orders, 1, 1) = %v, want %v", got, want)
	}
	if got := s.OutboxPending("orders", 3, 10); got != nil {
		t.Errorf("OutboxPending past the end = %v, want nil", got)
	}
	if n := s.OutboxLen("inventory"); n != 3 {
		t.Errorf("OutboxLen(inventory) = %d, want 3", n)
	}

	if c := s.OutboxCursor("orders"); c != 0 {
		t.Errorf("initial cursor = %d, want 0", c)
	}
	s.SetOutboxCursor("orders", 2)
	s.SetOutboxCursor("orders", 1) // a stale relay write must not move it back
	if c := s.OutboxCursor("orders"); c != 2 {
		t.Errorf("cursor after 2 then 1 = %d, want 2 (never backwards)", c)
	}
	if c := s.OutboxCursor("inventory"); c != 0 {
		t.Errorf("cursors are per owner: inventory = %d, want 0", c)
	}
}

func TestSnapshotsIgnoreOlder(t *testing.T) {
	s := New()
	if _, ok := s.LoadSnapshot("sku-s-1"); ok {
		t.Fatal("a new store has a snapshot")
	}
	s.SaveSnapshot("sku-s-1", Snapshot{Version: 8, State: []byte(`{"stock":8}`)})
	s.SaveSnapshot("sku-s-1", Snapshot{Version: 4, State: []byte(`{"stock":4}`)})
	s.SaveSnapshot("sku-s-1", Snapshot{Version: 8, State: []byte(`{"stock":-1}`)})
	snap, ok := s.LoadSnapshot("sku-s-1")
	if !ok || snap.Version != 8 || string(snap.State) != `{"stock":8}` {
		t.Errorf("snapshot = %+v %v, want version 8 stock 8 (older and equal ones ignored)", snap, ok)
	}
	s.SaveSnapshot("sku-s-1", Snapshot{Version: 16, State: []byte(`{"stock":16}`)})
	if snap, _ := s.LoadSnapshot("sku-s-1"); snap.Version != 16 {
		t.Errorf("a newer snapshot was not kept: version %d", snap.Version)
	}
}

func TestProjectionRowsWithDedup(t *testing.T) {
	s := New()
	if _, ok := s.Projection("o-1"); ok {
		t.Fatal("a new store has a projection row")
	}
	r1 := &trace.Ref{ID: "ev-1", Aggregate: "order-o-1", Version: 1}
	r2 := &trace.Ref{ID: "ev-2", Aggregate: "order-o-1", Version: 2}
	if err := s.Project("projector", r1, "o-1", Projected{Status: "placed", Version: 1}, false); err != nil {
		t.Fatal(err)
	}
	if err := s.Project("projector", r2, "o-1", Projected{Status: "reserved", Version: 2}, false); err != nil {
		t.Fatal(err)
	}
	// A redelivered v1 is refused and does not roll the row back.
	if err := s.Project("projector", r1, "o-1", Projected{Status: "placed", Version: 1}, false); !errors.Is(err, ErrDuplicate) {
		t.Errorf("re-projecting a handled event: err = %v, want ErrDuplicate", err)
	}
	if row, ok := s.Projection("o-1"); !ok || row != (Projected{Status: "reserved", Version: 2}) {
		t.Errorf("row = %+v %v, want reserved@2", row, ok)
	}
	if !s.Handled("projector", "ev-2") || s.Applied("projector", "order-o-1") != 2 {
		t.Error("Project did not write the projector's dedup record")
	}
	// With skipDedup (the no-dedup bug) the stale write goes through.
	if err := s.Project("projector", r1, "o-1", Projected{Status: "placed", Version: 1}, true); err != nil {
		t.Fatal(err)
	}
	if row, _ := s.Projection("o-1"); row.Status != "placed" {
		t.Errorf("skipDedup re-projection: row = %+v, want placed", row)
	}
}

func TestDeadLetters(t *testing.T) {
	s := New()
	if n := len(s.DeadLetters()); n != 0 {
		t.Fatalf("a new store has %d dead letters", n)
	}
	d1 := DeadLetter{Consumer: "inventory", Ref: trace.Ref{ID: "ev-1"}, Error: "unknown event schema", Attempts: 5}
	d2 := DeadLetter{Consumer: "inventory", Ref: trace.Ref{ID: "ev-7"}, Error: "boom", Attempts: 5}
	s.AddDeadLetter(d1)
	s.AddDeadLetter(d2)
	got := s.DeadLetters()
	if !reflect.DeepEqual(got, []DeadLetter{d1, d2}) {
		t.Errorf("DeadLetters = %+v, want [d1 d2] in order", got)
	}
	got[0].Error = "tampered"
	if s.DeadLetters()[0].Error != d1.Error {
		t.Error("DeadLetters returned the queue's backing array")
	}
}
