module github.com/jepsen-lite/jepsen-lite

go 1.26.0

require (
	github.com/anishathalye/porcupine v1.3.1 // indirect
	pgregory.net/rapid v1.3.0 // indirect
)
