// Package workloads generates the client operations of a run and drives
// them: a setup phase (deposits and restocks), a main phase of seeded
// place / cancel / read-strong / read-projection / restock ops over a
// number of concurrent processes with uniform or zipf key choice, and a
// final phase that heals faults, waits for quiescence and reads every order,
// SKU and account (Jepsen's final reads).
//
// It drives the system only through the Client interface and a
// clock.Scheduler, and records every invoke and completion in the history.
package workloads
