package bot

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/pollen-team/pollen/internal/slackfake"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// seedRoster writes n people and a last round in which the last `out` of
// them sat out, and returns their IDs in roster order.
func seedRoster(t *testing.T, h *harness, n, out int) []string {
	t.Helper()
	ids := make([]string, n)
	round := pairing.Round{ID: "2026-W48", PlannedAt: start}
	var c store.Change
	for i := range ids {
		ids[i] = fmt.Sprintf("UP%04d", i)
		c.People = append(c.People, pairing.NewPerson(ids[i], "p"+strconv.Itoa(i), "America/Argentina/ComodRivadavia", start))
		if i >= n-out {
			round.SatOut = append(round.SatOut, pairing.SitOut{Person: ids[i], Code: pairing.SitOutOdd, Reason: "Odd one out."})
		}
	}
	c.Rounds = []pairing.Round{round}
	_, err := h.db.Apply(h.ctx(), func(store.Reader) (store.Change, error) { return c, nil })
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// roster runs /pair roster as the admin and returns the reply as sent.
func (h *harness) roster() slackfake.Message {
	h.t.Helper()
	ack, err := h.fake.SlashCommand(h.ctx(), "UANA", "", "/pair", "roster")
	if err != nil || ack.Message == nil {
		h.t.Fatalf("/pair roster: %v", err)
	}
	return *ack.Message
}

var mentionRE = regexp.MustCompile(`<@(U[A-Z0-9]+)>`)

// rosterBlocks reads the mentions in the order the blocks show them, the
// context line if there is one, and checks every text fits Slack.
func rosterBlocks(t *testing.T, m slackfake.Message) (shown []string, more string) {
	t.Helper()
	if len(m.BlockList) > maxBlocksMessage {
		t.Errorf("%d blocks, Slack takes %d", len(m.BlockList), maxBlocksMessage)
	}
	for i, b := range m.BlockList {
		txt := strings.TrimPrefix(slackfake.Message{BlockList: []map[string]any{b}}.AllText(), "\n")
		if n := utf8.RuneCountInString(txt); n > maxSectionText {
			t.Errorf("block %d: %d characters", i, n)
		}
		if b["type"] == "context" {
			more = txt
			continue
		}
		for _, sm := range mentionRE.FindAllStringSubmatch(txt, -1) {
			shown = append(shown, sm[1])
		}
	}
	return shown, more
}

// Everyone on a team of 61 is listed, over several sections, those left
// out first; before, one 3,000-character section showed 46 of them.
func TestRosterListsEveryoneOfALargeTeam(t *testing.T) {
	h := newHarness(t)
	ids := seedRoster(t, h, 61, 3)
	m := h.roster()
	shown, more := rosterBlocks(t, m)
	if more != "" {
		t.Errorf("61 people fit in Slack, yet: %q", more)
	}
	left := ids[len(ids)-3:]
	if len(shown) < 3 || !slices.Equal(shown[:3], left) {
		t.Errorf("the roster starts with %v, want those left out first: %v", shown[:min(3, len(shown))], left)
	}
	slices.Sort(shown)
	if !slices.Equal(shown, ids) {
		t.Errorf("the roster shows %d of %d people", len(shown), len(ids))
	}
	if !strings.Contains(m.AllText(), "*Roster* (61 people; 3 left out, listed first)") {
		t.Errorf("no head line:\n%.300s", m.AllText())
	}
}

// A team too large for one Slack reply ends with a line that counts those
// not shown, and those left out are still shown.
func TestRosterCountsWhoDoesNotFit(t *testing.T) {
	h := newHarness(t)
	ids := seedRoster(t, h, 400, 5)
	m := h.roster() // the fake flags an ack frame Slack would drop
	shown, more := rosterBlocks(t, m)
	want := fmt.Sprintf("…and %d more people not shown", len(ids)-len(shown))
	if len(shown) == len(ids) || !strings.Contains(more, want) {
		t.Fatalf("%d of %d people shown; last line %q, want %q", len(shown), len(ids), more, want)
	}
	for _, id := range ids[len(ids)-5:] {
		if !slices.Contains(shown, id) {
			t.Errorf("%s, left out of the last round, is not shown", id)
		}
	}
	if len(shown) < 100 {
		t.Errorf("only %d people shown; the reply has room for more", len(shown))
	}
}
