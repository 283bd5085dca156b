// Package campaign runs many seeded simulations over a matrix of fault mixes
// in parallel, keeps the failing runs, shrinks a failing run to a smaller
// reproducer, and summarises what it found and which situations it reached
// (coverage marks). It sits on top of harness/: one campaign run is one
// harness run judged by the same checkers.
package campaign
