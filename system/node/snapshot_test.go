package node

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/jepsen-lite/jepsen-lite/system/services"
	"github.com/jepsen-lite/jepsen-lite/system/store"
	"github.com/jepsen-lite/jepsen-lite/trace"
	"github.com/jepsen-lite/jepsen-lite/vocab"
)

// snapshotVersions returns the versions of the snapshots traced for stream.
func (f *fixture) snapshotVersions(stream string) []int {
	var out []int
	for _, e := range f.traced(trace.KindSnapshot) {
		if e.Stream == stream {
			out = append(out, e.Version)
		}
	}
	return out
}

// checkLoadMatchesReplay compares the snapshot-based rebuild with a full replay.
func (f *fixture) checkLoadMatchesReplay(stream string) {
	f.t.Helper()
	got, gotV, err := f.n.load(stream, 3)
	if err != nil {
		f.t.Fatalf("load %s: %v", stream, err)
	}
	want, wantV := f.replay(stream)
	if gotV != wantV || !reflect.DeepEqual(got, want) {
		f.t.Errorf("load(%s) = %+v@%d, full replay = %+v@%d", stream, got, gotV, want, wantV)
	}
}

func TestSKUSnapshotRebuildEqualsFullReplay(t *testing.T) {
	cfg := testConfig(vocab.ServiceInventory, Bugs{})
	cfg.SnapshotEvery = 4
	f := newFixture(t, cfg)
	for i := range 5 {
		r := f.do(Command{Op: i, F: vocab.FRestock, Key: "s-1", Qty: 10})
		f.env.runFor(10 * time.Millisecond)
		if *r == nil || !(*r).OK {
			t.Fatalf("restock %d: %+v", i, *r)
		}
	}
	// Four reservations (3 each), then the cancel of o-1 releases its 3:
	// the snapshot at 8 holds reservations, the tail a release.
	for i := 1; i <= 4; i++ {
		d := services.Data{Order: fmt.Sprintf("o-%d", i), Customer: "c-1", SKU: "s-1", Qty: 3, Amount: 30}
		ev := f.write(vocab.ServiceOrders, services.OrderStream(d.Order), vocab.OrderPlaced, 2, d)
		f.n.Deliver(delivery(vocab.TopicOrders, int64(i-1), ev))
		f.env.runFor(10 * time.Millisecond)
	}
	cancel := f.write(vocab.ServiceOrders, "order-o-1", vocab.OrderCancelled, 2,
		services.Data{Order: "o-1", Customer: "c-1", SKU: "s-1", Qty: 3, Amount: 30})
	f.n.Deliver(delivery(vocab.TopicOrders, 4, cancel))
	f.env.runFor(10 * time.Millisecond)

	if v := f.st.Version("sku-s-1"); v != 10 {
		t.Fatalf("sku-s-1 at version %d, want 10", v)
	}
	if got := f.snapshotVersions("sku-s-1"); !reflect.DeepEqual(got, []int{4, 8}) {
		t.Errorf("snapshots traced at %v, want [4 8]", got)
	}
	snap, ok := f.st.LoadSnapshot("sku-s-1")
	if !ok || snap.Version != 8 {
		t.Fatalf("stored snapshot = %+v %v, want version 8", snap, ok)
	}
	f.checkLoadMatchesReplay("sku-s-1")

	stock := f.do(Command{F: vocab.FReadStock, Key: "s-1"})
	f.env.runFor(10 * time.Millisecond)
	if *stock == nil || (*stock).Stock == nil || *(*stock).Stock != 50-12+3 {
		t.Errorf("read-stock = %+v, want 41", *stock)
	}
	// A new incarnation over the same store rebuilds the same state.
	f.n = New(cfg, f.env, f.st)
	f.checkLoadMatchesReplay("sku-s-1")
}

func TestLoadStartsFromTheSnapshot(t *testing.T) {
	f := newFixture(t, testConfig(vocab.ServiceInventory, Bugs{}))
	for range 3 {
		f.write(vocab.ServiceInventory, "sku-s-1", vocab.StockRestocked, 2, services.Data{SKU: "s-1", Qty: 1})
	}
	// A snapshot at version 2 that disagrees with the events it stands for:
	// only a rebuild that really starts from it sees 100 + the tail's 1.
	f.st.SaveSnapshot("sku-s-1", store.Snapshot{Version: 2, State: []byte(`{"stock":100}`)})
	s, v, err := f.n.load("sku-s-1", services.CurrentSchema)
	if err != nil {
		t.Fatal(err)
	}
	if sku := s.(*services.SKU); sku.Stock != 101 || v != 3 || sku.Reserved == nil {
		t.Errorf("load = %+v@%d, want stock 101 at version 3 with a usable Reserved map", *sku, v)
	}
	f.st.SaveSnapshot("sku-s-2", store.Snapshot{Version: 1, State: []byte(`{not json`)})
	if _, _, err := f.n.load("sku-s-2", services.CurrentSchema); err == nil {
		t.Error("a corrupt snapshot loaded without an error")
	}
}

func TestOrderSnapshotAcrossMultiEventAppend(t *testing.T) {
	cfg := testConfig(vocab.ServiceOrders, Bugs{})
	cfg.SnapshotEvery = 2
	f := newFixture(t, cfg)
	r := f.do(placeCmd(1, "o-1"))
	f.env.runFor(10 * time.Millisecond)
	if *r == nil || !(*r).OK {
		t.Fatalf("place: %+v", *r)
	}
	saga := []struct {
		owner, stream, typ string
		topic              string
	}{
		{vocab.ServiceInventory, "sku-s-1", vocab.StockReserved, vocab.TopicInventory},
		{vocab.ServicePayment, "acct-c-1", vocab.PaymentCharged, vocab.TopicPayments},
		{vocab.ServiceShipping, "ship-o-1", vocab.ShipmentShipped, vocab.TopicShipping},
	}
	for _, s := range saga {
		ev := f.write(s.owner, s.stream, s.typ, 2, placed1)
		f.n.Deliver(delivery(s.topic, 0, ev))
		f.env.runFor(10 * time.Millisecond)
	}
	want := []string{vocab.OrderPlaced, vocab.OrderReserved, vocab.OrderCharged, vocab.OrderShipped, vocab.OrderCompleted}
	if got := f.types("order-o-1"); !reflect.DeepEqual(got, want) {
		t.Fatalf("order-o-1 = %v, want %v", got, want)
	}
	// Versions 2 and 5: the last append (shipped + completed) crossed 4.
	if got := f.snapshotVersions("order-o-1"); !reflect.DeepEqual(got, []int{2, 5}) {
		t.Errorf("order snapshots at %v, want [2 5]", got)
	}
	f.checkLoadMatchesReplay("order-o-1")
	read := f.do(Command{F: vocab.FReadStrong, Key: "o-1"})
	f.env.runFor(10 * time.Millisecond)
	if *read == nil || (*read).Status != vocab.StatusCompleted {
		t.Errorf("read-strong = %+v, want completed", *read)
	}
}

func TestPlaceSchemaMixesReleases(t *testing.T) {
	cfg := testConfig(vocab.ServiceOrders, Bugs{})
	cfg.LegacyEvery, cfg.FutureEvery = 2, 3
	f := newFixture(t, cfg)
	for i := 1; i <= 6; i++ {
		f.do(placeCmd(i, fmt.Sprintf("o-%d", i)))
	}
	f.env.runFor(10 * time.Millisecond)
	// Order n is written at 3 when n%3 == 0, else at 1 when n%2 == 0.
	wantSchema := []int{2, 1, 3, 1, 2, 3}
	for i, want := range wantSchema {
		key := fmt.Sprintf("o-%d", i+1)
		evs := f.st.Read(services.OrderStream(key), 1)
		if len(evs) != 1 || evs[0].SchemaVersion != want {
			t.Errorf("%s written at schema %v, want %d", key, evs, want)
			continue
		}
		// Whatever the schema, the orders service reads the same order back.
		d, err := services.Decode(&evs[0], 3)
		if err != nil || d.Amount != 20 || d.Qty != 2 || d.SKU != "s-1" {
			t.Errorf("%s at schema %d decodes to %+v, %v", key, want, d, err)
		}
	}
}
