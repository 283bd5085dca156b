// Package trace is the record of a run as the system saw it: appends to the
// event store, publishes, deliveries, handler outcomes, offset commits,
// crashes and fault windows, one JSON object per line in DIR/trace.ndjson.
//
// system/ and the transports write it; checker/ and the model's trace
// validation read it. It holds the format only, no behaviour.
package trace
