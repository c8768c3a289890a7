package store

import "github.com/google/uuid"

// NewID returns a new UUID v7 for a session or an event. Its first 48 bits
// are the current Unix time in milliseconds, so keys made from it sort by
// creation time in bbolt.
func NewID() string { return uuid.Must(uuid.NewV7()).String() }
