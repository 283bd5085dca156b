package difftest

// Mutation is a change to a built trace: Kind is drop, duplicate or
// reorder; At is the index of the trace event it applies to.
type Mutation struct {
	Kind string `json:"kind"`
	At   int    `json:"at"`
}
