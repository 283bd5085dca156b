// Package tctest runs the Kafka suite of jepsen-lite against a Kafka broker
// that testcontainers-go starts in Docker (the third broker mode beside the
// embedded kfake cluster and a real cluster by address).
//
// It is a module of its own (go.mod here, with a replace of the main module
// by ../../..) so that testcontainers-go and its ~70 dependencies stay out
// of the main module's go.mod and build. Run it from this directory:
//
//	cd transport/kafka/tctest && go test ./... -count=1 -v
//
// Without a Docker engine that answers, every test skips with a message.
package tctest
