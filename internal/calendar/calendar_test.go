package calendar

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestICS(t *testing.T) {
	e := Event{
		UID: "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b@pollen", Start: time.Date(2026, 11, 30, 11, 0, 0, 0, time.FixedZone("CET", 3600)),
		Length: time.Hour, Summary: "Pair session on churn-model", Sequence: 2,
		Description: "Host: Ana; learning: Bo, Cy\nWhy: " + strings.Repeat("é", 60), Stamp: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC),
	}
	ics := string(e.ICS())
	for _, want := range []string{
		"UID:0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b@pollen\r\n", "DTSTART:20261130T100000Z\r\n", "DTEND:20261130T110000Z\r\n",
		"SEQUENCE:2\r\n", `DESCRIPTION:Host: Ana\; learning: Bo\, Cy\nWhy: `, "BEGIN:VEVENT\r\n", "END:VCALENDAR\r\n",
	} {
		if !strings.Contains(ics, want) {
			t.Errorf("ics lacks %q:\n%s", want, ics)
		}
	}
	for _, line := range strings.Split(strings.TrimSuffix(ics, "\r\n"), "\r\n") {
		if len(line) > 75 || !utf8.ValidString(line) {
			t.Errorf("line of %d octets or broken UTF-8: %q", len(line), line)
		}
	}
	link := e.GoogleLink()
	if !strings.Contains(link, "dates=20261130T100000Z%2F20261130T110000Z") || !strings.HasPrefix(link, "https://calendar.google.com/") {
		t.Errorf("link = %s", link)
	}
}
