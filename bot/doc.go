// Package bot is Pollen's Slack adapter: the Socket Mode loop, the /pair
// command parser and handlers, the retro buttons and modals, the App Home,
// and the Block Kit builders. It translates Slack to domain calls and back;
// Slack types never leave this package, and no planning logic lives here.
package bot
