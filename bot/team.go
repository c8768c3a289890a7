package bot

import (
	"context"
	"fmt"
	"sync"

	"github.com/pollen-team/pollen/pairing"
)

// errOtherTeam is what a command or a click from another workspace hears:
// Pollen's records belong to the one workspace it is installed in.
var errOtherTeam = pairing.Errorf(pairing.CodeConflict, "This came from another Slack workspace, so it changes nothing here.")

// ownTeam is the workspace the bot is installed in, learned once from
// auth.test.
type ownTeam struct {
	mu   sync.Mutex
	id   string
	user string // the bot's own user ID
}

// checkTeam returns errOtherTeam unless team is the bot's own workspace.
func (b *Bot) checkTeam(ctx context.Context, team string) error {
	b.team.mu.Lock()
	defer b.team.mu.Unlock()
	if b.team.id == "" {
		resp, err := b.api.AuthTestContext(ctx)
		if err != nil {
			return fmt.Errorf("auth.test: %w", err)
		}
		b.team.id, b.team.user = resp.TeamID, resp.UserID
	}
	if team != b.team.id {
		return errOtherTeam
	}
	return nil
}

// isOwnUser reports whether id is the bot's own user, as auth.test named it
// when checkTeam first ran.
func (b *Bot) isOwnUser(id string) bool {
	b.team.mu.Lock()
	defer b.team.mu.Unlock()
	return id != "" && id == b.team.user
}
