// Package calendar turns a session into an iCalendar (.ics) event and a
// Google Calendar link, so an accepted session lands in people's calendars.
// The event's UID is stable per session: sending it again (after a
// reschedule) updates the same event instead of adding a second one.
package calendar

import (
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Event is what goes into the calendar.
type Event struct {
	UID         string // stable per session, e.g. "<session ID>@pollen"
	Start       time.Time
	Length      time.Duration
	Summary     string
	Description string
	Sequence    int       // raise it when the event changes
	Stamp       time.Time // when this version was made
}

const stamp = "20060102T150405Z"

// ICS renders the event as an iCalendar file (RFC 5545): CRLF line ends,
// times in UTC, text escaped, long lines folded.
func (e Event) ICS() []byte {
	lines := []string{
		"BEGIN:VCALENDAR",
		"VERSION:2.0",
		"PRODID:-//Pollen//Pollen//EN",
		"CALSCALE:GREGORIAN",
		"METHOD:PUBLISH",
		"BEGIN:VEVENT",
		"UID:" + escape(e.UID),
		"DTSTAMP:" + e.Stamp.UTC().Format(stamp),
		"DTSTART:" + e.Start.UTC().Format(stamp),
		"DTEND:" + e.Start.Add(e.Length).UTC().Format(stamp),
		fmt.Sprintf("SEQUENCE:%d", e.Sequence),
		"SUMMARY:" + escape(e.Summary),
		"DESCRIPTION:" + escape(e.Description),
		"END:VEVENT",
		"END:VCALENDAR",
	}
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(fold(l))
		b.WriteString("\r\n")
	}
	return []byte(b.String())
}

// GoogleLink is a Google Calendar "add event" link for the event.
func (e Event) GoogleLink() string {
	q := url.Values{}
	q.Set("action", "TEMPLATE")
	q.Set("text", e.Summary)
	q.Set("dates", e.Start.UTC().Format(stamp)+"/"+e.Start.Add(e.Length).UTC().Format(stamp))
	q.Set("details", e.Description)
	return "https://calendar.google.com/calendar/render?" + q.Encode()
}

// escape escapes TEXT values: backslash, semicolon, comma and newlines.
func escape(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`).Replace(s)
}

// fold splits a content line into lines of at most 75 octets, continuing
// with a space, without cutting a UTF-8 sequence.
func fold(line string) string {
	if len(line) <= 75 {
		return line
	}
	var b strings.Builder
	width := 75
	for len(line) > width {
		cut := width
		for cut > 0 && !utf8Start(line[cut]) {
			cut--
		}
		b.WriteString(line[:cut])
		b.WriteString("\r\n ")
		line = line[cut:]
		width = 74 // the leading space counts
	}
	b.WriteString(line)
	return b.String()
}

func utf8Start(c byte) bool { return c&0xC0 != 0x80 }
