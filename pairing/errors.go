package pairing

import (
	"errors"
	"fmt"
)

// Error is a domain error whose message is meant for the person who caused
// it: the bot shows Message as it is, so it must read well in a chat.
type Error struct {
	Code    Code
	Message string
}

// Code classifies domain errors so callers can react without string matching.
type Code string

// Error codes.
const (
	CodeInvalid  Code = "invalid"   // input that can never be right
	CodeNotFound Code = "not_found" // a name or ID that does not exist
	CodeConflict Code = "conflict"  // a valid request that the current state forbids
)

func (e *Error) Error() string { return e.Message }

// Is lets errors.Is match any *Error with the same code, so callers can test
// errors.Is(err, pairing.ErrNotFound) without caring about the message.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Message == "" && t.Code == e.Code
}

// Sentinels for errors.Is. They carry no message of their own.
var (
	ErrInvalid  = &Error{Code: CodeInvalid}
	ErrNotFound = &Error{Code: CodeNotFound}
	ErrConflict = &Error{Code: CodeConflict}
)

// Errorf builds a domain error with a user-facing message.
func Errorf(code Code, format string, args ...any) error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorMessage returns the user-facing text of a domain error anywhere in
// err's chain, or a generic sentence for any other error, whose details are
// for the logs and not for users.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Something went wrong on our side; it has been logged."
}
