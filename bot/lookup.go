package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/slack-go/slack"
)

// LookupEmails maps emails to Slack user IDs with users.lookupByEmail, for
// the git import: authors whose email Slack does not know are left out of
// the map, not an error. It needs the users:read.email scope.
func LookupEmails(ctx context.Context, botToken, apiURL string, emails []string) (map[string]string, error) {
	api := slack.New(botToken, slack.OptionAPIURL(apiURL), slack.OptionRetry(3))
	found := make(map[string]string)
	for _, email := range emails {
		u, err := api.GetUserByEmailContext(ctx, email)
		var se slack.SlackErrorResponse
		switch {
		case err == nil && !u.IsBot && !u.Deleted:
			found[strings.ToLower(email)] = u.ID
		case err == nil, errors.As(err, &se) && se.Err == "users_not_found", err != nil && strings.Contains(err.Error(), "users_not_found"):
		default:
			return found, fmt.Errorf("users.lookupByEmail: %w", err)
		}
	}
	return found, nil
}
