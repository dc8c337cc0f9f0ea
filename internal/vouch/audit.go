package vouch

import (
	"fmt"
	"slices"
	"time"
)

// AuditEntry records one change: who, when, which entity, and the fields that changed.
type AuditEntry struct {
	ID         int64     `json:"id"`
	At         time.Time `json:"at"`
	ActorID    int64     `json:"actor_id,omitempty"`
	Actor      string    `json:"actor"`
	Action     string    `json:"action"` // create, update, delete, login, …
	EntityType string    `json:"entity_type"`
	EntityID   int64     `json:"entity_id"`
	Changes    []Change  `json:"changes"`
}

// Change is one field's value before and after; nil is "no value".
type Change struct {
	Field  string `json:"field"`
	Before any    `json:"before"`
	After  any    `json:"after"`
}

// Diff appends a change for field when before and after differ.
func Diff(changes []Change, field string, before, after any) []Change {
	if sameValue(before, after) {
		return changes
	}
	return append(changes, Change{Field: field, Before: before, After: after})
}

// AuditFilter selects audit entries; zero values match everything.
type AuditFilter struct {
	EntityType string
	EntityID   int64
	ActorID    int64
	Action     string
	Since      time.Time
	Until      time.Time
	BeforeID   int64 // cursor: entries with a smaller id
	Limit      int
}

// sameValue reports whether before and after print the same, as fmt.Sprint
// would show them. The common kinds are compared directly: an import diffs
// some twenty fields of every reference, and printing each costs more than
// the rest of the comparison.
func sameValue(before, after any) bool {
	switch b := before.(type) {
	case string:
		if a, ok := after.(string); ok {
			return a == b
		}
	case int64:
		if a, ok := after.(int64); ok {
			return a == b
		}
	case []int64:
		if a, ok := after.([]int64); ok {
			return slices.Equal(a, b)
		}
	}
	return fmt.Sprint(before) == fmt.Sprint(after)
}
