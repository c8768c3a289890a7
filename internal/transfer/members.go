package transfer

import (
	"io"

	"github.com/pollen-team/pollen/pairing"
)

// WriteMembers writes members.csv: one row per membership, rotation by
// rotation in the order given and, within one, in the order of its people
// (members, by rotation ID): the rotation and its channel, whether it is
// stopped, and the person's status, cadence and join date there. Someone
// in two rotations has two rows; their familiarity is in familiarity.csv
// once, since it is theirs whichever rotation taught it.
func WriteMembers(w io.Writer, rotations []pairing.Rotation, members map[string][]pairing.Person) error {
	cw := newCellWriter(w)
	_ = cw.Write([]string{"rotation", "channel", "stopped", "person", "name", "status", "cadence", "joined_at"})
	for _, rot := range rotations {
		stopped := ""
		if !rot.Active() {
			stopped = isoTime(rot.StoppedAt)
		}
		for _, p := range members[rot.ID] {
			_ = cw.Write([]string{rot.ID, rot.Channel, stopped, p.ID, p.Name, string(p.Status), string(p.Cadence), isoTime(p.JoinedAt)})
		}
	}
	return flush(cw)
}
