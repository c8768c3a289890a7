package pairing

// DefaultRotation is the ID of the one rotation a workspace has until it
// starts more: every roster, round and setting of a database written
// before rotations belongs to it. Nothing users see names it.
const DefaultRotation = "team"
