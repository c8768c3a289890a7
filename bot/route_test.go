package bot

import (
	"errors"
	"strings"
	"testing"

	"github.com/pollen-team/pollen/internal/slackfake"
	"github.com/pollen-team/pollen/pairing"
	"github.com/pollen-team/pollen/store"
)

// runIn types "/pair text" as user in channel ("" for their DM with
// Pollen) and returns the reply the user sees, with its blocks.
func (h *harness) runIn(user, channel, text string) slackfake.Message {
	h.t.Helper()
	ack, err := h.fake.SlashCommand(h.ctx(), user, channel, "/pair", text)
	if err != nil {
		h.t.Fatalf("/pair %s: %v", text, err)
	}
	if ack.Message == nil {
		h.t.Fatalf("/pair %s: the ack carried no reply", text)
	}
	return *ack.Message
}

// addRotation records a rotation for the channel, as /pair rotation start
// would.
func (h *harness) addRotation(channel string) {
	h.t.Helper()
	_, err := h.db.Apply(store.WithRotation(h.ctx(), channel), func(store.Reader) (store.Change, error) {
		return store.Change{Rotations: []pairing.Rotation{{ID: channel, Channel: channel, StartedAt: start}}}, nil
	})
	if err != nil {
		h.t.Fatal(err)
	}
}

// memberIn reads a person's membership of a rotation.
func (h *harness) memberIn(rotation, id string) (pairing.Person, bool) {
	h.t.Helper()
	p, err := h.db.Person(store.WithRotation(h.ctx(), rotation), id)
	if errors.Is(err, pairing.ErrNotFound) {
		return p, false
	}
	if err != nil {
		h.t.Fatal(err)
	}
	return p, true
}

// A command typed in a rotation's channel acts on that rotation; in a DM,
// on the person's only rotation, or it asks which with a button per
// rotation that runs it there; anywhere else, on the default rotation.
func TestCommandsFollowTheRotationOfTheirChannel(t *testing.T) {
	h := newHarness(t)
	h.addRotation("CFORE")

	h.runIn("UANA", "CFORE", "join")
	if _, in := h.memberIn("CFORE", "UANA"); !in {
		t.Fatal("/pair join in #fore did not join its rotation")
	}
	if _, in := h.memberIn(pairing.DefaultRotation, "UANA"); in {
		t.Fatal("/pair join in #fore joined the default rotation too")
	}

	// In a DM, Ana's only rotation is #fore's.
	h.runIn("UANA", "", "skip")
	if p, _ := h.memberIn("CFORE", "UANA"); !p.SkipNext {
		t.Fatalf("/pair skip in a DM did not act on Ana's only rotation: %+v", p)
	}

	// Bo is in no rotation, and the workspace has two: a DM command cannot
	// guess, and writes nothing.
	before := h.snapshot()
	if got := h.runIn("UBO", "", "join").Text; !strings.Contains(got, "not in any rotation") {
		t.Fatalf("DM join with no rotation: %q", got)
	}
	if h.snapshot() != before {
		t.Fatal("a DM command with no rotation wrote something")
	}

	// A channel without a rotation of its own is the default rotation's.
	h.runIn("UANA", "CGENERAL", "join")
	if _, in := h.memberIn(pairing.DefaultRotation, "UANA"); !in {
		t.Fatal("/pair join in a channel without a rotation did not join the default rotation")
	}

	// Ana is in two rotations: a DM command asks which, and writes nothing
	// until she picks.
	before = h.snapshot()
	ask := h.runIn("UANA", "", "resume")
	if !strings.Contains(ask.AllText(), "Which rotation?") {
		t.Fatalf("DM command of someone in two rotations: %q", ask.AllText())
	}
	if h.snapshot() != before {
		t.Fatal("the question wrote something")
	}
	if _, err := h.fake.ClickButton(h.ctx(), "UANA", ask, actionRotationPick+":CFORE", ""); err != nil {
		t.Fatal(err)
	}
	if err := h.fake.WaitFor(h.ctx(), func() bool { p, _ := h.memberIn("CFORE", "UANA"); return !p.SkipNext }); err != nil {
		t.Fatal("picking #fore did not run the command there")
	}
	if p, _ := h.memberIn(pairing.DefaultRotation, "UANA"); p.Status != pairing.Active {
		t.Fatalf("the default rotation's membership changed: %+v", p)
	}
}

// A DM command too long to carry in a button is not cut: the person is
// told to type it in the rotation's channel, and nothing is written.
func TestWhichRotationNeverCutsTheCommand(t *testing.T) {
	h := newHarness(t)
	h.addRotation("CFORE")
	h.runIn("UANA", "CFORE", "join")
	h.runIn("UANA", "CGENERAL", "join")
	before := h.snapshot()
	long := "config admins " + strings.Repeat("<@UBO|bo> ", 200)
	if got := h.runIn("UANA", "", long).Text; !strings.Contains(got, "too long to ask which") {
		t.Fatalf("a long DM command: %q", got)
	}
	if h.snapshot() != before {
		t.Fatal("it wrote something")
	}
}

// A DM command finds its person's rotations from their own memberships,
// not by reading every rotation's roster: someone else's record that no
// longer decodes, in a rotation the person is not in, does not stop it.
func TestDMRoutingReadsOnlyThePersonsMemberships(t *testing.T) {
	h := newHarness(t)
	h.addRotation("CFORE")
	h.addRotation("CML")
	h.runIn("UANA", "CFORE", "join")
	h.runIn("UBO", "CML", "join")
	h.damage("people", []byte("UBO"))
	if got := h.runIn("UANA", "", "skip").Text; got == apology {
		t.Fatalf("Ana's DM command read Bo's damaged record: %q", got)
	}
	if p, _ := h.memberIn("CFORE", "UANA"); !p.SkipNext {
		t.Fatalf("/pair skip in a DM did not act on Ana's only rotation: %+v", p)
	}
}
