package bot

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	goldenfile "github.com/pollen-team/pollen/internal/golden"
	"github.com/pollen-team/pollen/outbox"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// TestEveryMessageKindTranscript writes every kind of message Pollen sends
// a person or the team, as the Block Kit JSON Slack gets, to
// testdata/messages.golden, and checks each against slackfake's limits
// and our mrkdwn escaping. Read the golden file as the person receiving
// them: that is what it is for.
func TestEveryMessageKindTranscript(t *testing.T) {
	h := newHarness(t)
	setupTeam(t, h)
	h.run("UDI", "join")
	b := h.bot
	slot := time.Date(2026, 11, 26, 14, 0, 0, 0, time.UTC)
	s := pairing.Session{ID: "0192d6a8-0000-7000-8000-000000000001", Kind: pairing.Pair, Project: "churn-model", Host: "UANA",
		Learners: []string{"UCY"}, Round: "2026-W48", Slot: slot, Length: time.Hour, State: pairing.Proposed,
		Reason: "Ana is the only one who knows churn-model; Cy works next to it.", CreatedAt: start, UpdatedAt: start}
	trio := s
	trio.Learners = []string{"UCY", "UDI"}
	people, err := b.participants(h.ctx(), trio)
	if err != nil {
		t.Fatal(err)
	}

	var out strings.Builder
	c := newSurfaceCheck()
	add := func(kind string, m message) {
		t.Helper()
		checkMessage(t, kind, m)
		blocks, err := json.MarshalIndent(m.Blocks, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&out, "## %s\ntext: %s\n%s\n\n", kind, m.Text, blocks)
	}
	addView := func(kind string, v slack.ModalViewRequest) {
		t.Helper()
		data, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		c.view(kind, data)
		fmt.Fprintf(&out, "## %s\n%s\n\n", kind, data)
	}

	add("proposal", withWayOut(b.roundProposal(s, people), ""))
	accepted := s
	accepted.State, accepted.Accepted = pairing.Accepted, s.Participants()
	add("proposal, partly accepted", withWayOut(b.roundProposal(func() pairing.Session { p := s; p.Accepted = []string{"UANA"}; return p }(), people), ""))
	add("proposal, everyone accepted", withWayOut(b.roundProposal(accepted, people), ""))
	add("proposal of a trio", withWayOut(b.roundProposal(trio, people), ""))
	movedProposal := accepted
	movedProposal.Slot, movedProposal.Moves, movedProposal.MovedBy = s.Slot.Add(24*time.Hour), 1, "UCY"
	add("proposal, moved by a participant", withWayOut(b.roundProposal(movedProposal, people), ""))
	declined := s
	declined.State, declined.Note = pairing.Skipped, notePrefixDeclined+"UCY"
	add("proposal, called off", withWayOut(b.roundProposal(declined, people), ""))
	trioLeft := trio
	trioLeft.Note, trioLeft.Learners = notePrefixLeft+trio.Learners[1], trio.Learners[:1]
	trioLeft.Accepted = []string{trio.Host}
	add("proposal of a trio a learner left", withWayOut(b.roundProposal(trioLeft, people), ""))
	add("ad-hoc proposal (/pair now)", withWayOut(b.proposalMessage(pairing.Session{ID: s.ID, Kind: pairing.Review, Project: "etl",
		Host: "UBO", Learners: []string{"UCY"}, Reason: "Bo knows etl; Cy is learning it.", State: pairing.Proposed}, "https://git.example/pr/7"), ""))

	for _, item := range []outbox.Item{
		{Kind: outbox.HeadsUp, Round: "2026-W49", Users: []string{"UDI"}, At: time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)},
		{Kind: outbox.Notice, Notice: outbox.NoticeSatOut, Round: "2026-W49", Users: []string{"UBO"},
			Text: "Odd one out: everyone you could pair with this round is in a session that teaches more, and no session could take a third person."},
		{Kind: outbox.Notice, Notice: outbox.NoticeAway, Round: "2026-W49", Users: []string{"UBO"}, Text: "Your Slack status says you're away"},
		{Kind: outbox.Notice, Notice: outbox.NoticeHoliday, Round: "2026-W52", Text: "2026-12-21..2027-01-01"},
		{Kind: outbox.Ghost, Round: "2026-W49", Users: []string{"UBO"}},
	} {
		item.CreatedAt = time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC) // when the round is planned
		m, err := b.noticeMessage(h.ctx(), item)
		if err != nil {
			t.Fatal(err)
		}
		add(fmt.Sprintf("%s %s", item.Kind, item.Notice), m)
	}
	add("reminder", withWayOut(b.reminderMessage(accepted, people), ""))
	add("retro", withWayOut(b.retroMessage(accepted), ""))
	done := accepted
	done.State = pairing.Done
	moved := accepted
	moved.Slot = slot.AddDate(0, 0, 5)
	add("retro, moved with Reschedule", withWayOut(rescheduledMessage(moved, "UCY"), ""))
	add("retro, answered We paired", withWayOut(b.retroMessage(done), ""))
	rated := trio
	rated.State = pairing.Done
	rated.Ratings = []pairing.Rating{{Person: "UCY", Rating: 4, At: start}}
	add("retro of a trio, one rated", withWayOut(b.retroMessage(rated), ""))
	addView("rating modal, learner", ratingModal(done, "UCY", "D1", "1.0"))
	addView("rating modal, host", ratingModal(done, "UANA", "D1", "1.0"))
	digest, err := b.digestMessage(h.ctx(), "2026-W48")
	if err != nil {
		t.Fatal(err)
	}
	add("digest", digest)
	if p, err := h.person("UDI"); err == nil {
		add("welcome", withWayOut(welcomeMessage(p, ", on Monday 30 November"), ""))
	}
	for _, said := range []string{"help", "skip", "pause", "stop", "can't make it"} {
		add("DM answer to "+said, b.dmAnswer(h.ctx(), "UBO", said))
	}
	var tm team
	var sessions []pairing.Session
	h.read(func(r store.Reader) (err error) {
		if tm, err = b.teamIn(r); err != nil {
			return err
		}
		sessions, err = r.Sessions()
		return err
	})
	home := slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: b.homeBlocks(tm, "UCY", sessions, true)}}
	data, _ := json.MarshalIndent(home, "", "  ")
	c.view("App Home", data)
	fmt.Fprintf(&out, "## App Home\n%s\n", data)
	reportProblems(t, c.problems)

	golden := filepath.Join("testdata", "messages.golden")
	want := goldenfile.Read(t, golden, []byte(out.String()))
	if got := out.String(); got != string(want) {
		t.Errorf("messages differ from %s (rerun with -update if the change is intended):\n%s", golden, diff(string(want), got))
	}
}
