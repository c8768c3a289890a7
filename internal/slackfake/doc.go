// Package slackfake is an in-process Slack-compatible server for tests and
// local demos.
//
// It speaks the Web API over real HTTP and Socket Mode over a real WebSocket,
// so the Pollen bot can be exercised end to end through the unmodified
// github.com/slack-go/slack client:
//
//	srv := slackfake.New()
//	defer srv.Close()
//	api := slack.New(srv.BotToken,
//		slack.OptionAppLevelToken(srv.AppToken),
//		slack.OptionAPIURL(srv.APIURL()))
//	sm := socketmode.New(api, socketmode.OptionPingInterval(2*time.Second))
//
// # Web API
//
// Every method answers HTTP 200 with {"ok":true,...} or {"ok":false,"error":...}
// exactly as Slack shapes it, except rate limits (429, Retry-After,
// "ratelimited"). The token is read from the Authorization header or the
// token form field; apps.connections.open wants the app-level token and every
// other method the bot token. Supported methods: auth.test,
// apps.connections.open, users.info, users.list, users.lookupByEmail,
// conversations.open, conversations.history, conversations.info,
// conversations.members, chat.postMessage,
// chat.postEphemeral, chat.update, views.open, views.push, views.update,
// views.publish, files.getUploadURLExternal, files.completeUploadExternal, the
// upload URL itself (served on the API host, because slack-go only sends the
// token there) and response_url endpoints. Anything else is unknown_method.
//
// Users and channels are registered by the test with AddUser and AddChannel.
// IM and MPIM channels are created by conversations.open.
//
// # Block Kit limits
//
// Every message, view and ack payload the bot sends is checked against the
// table in limits.go. A request that breaks a limit is answered with
// invalid_blocks (or msg_too_long for text) and recorded; Violations returns
// every breach so a suite can assert it never sent anything Slack would
// reject.
//
// # Socket Mode
//
// apps.connections.open hands out a single-use ticket URL. The WebSocket sends
// hello at once and WebSocket pings on an interval. Tests push envelopes with
// SlashCommand, ClickButton, SelectOption, ClickViewButton, SubmitView,
// OpenAppHome, SendEvent, JoinChannel, LeaveChannel (member_joined_channel and
// member_left_channel events) and SendRaw; each call blocks until the bot acks and
// returns the ack payload and latency. Ack payloads are routed the way Slack
// does: a slash command ack becomes an ephemeral message (or an in_channel
// one), a view_submission ack applies its response_action.
//
// # Recording and faults
//
// Every call is recorded (Calls, Messages, Ephemerals, Uploads, Views,
// HomeView, Acks, Frames). WaitFor and friends poll a condition until it holds
// or the context ends, so tests never sleep. FailNext and FailRate inject rate
// limits, 5xx answers, delays and Slack errors; DropWebSockets, Disconnect and
// StopPinging break the socket.
//
// IDs, timestamps and trigger expiry use the server clock, which WithClock
// replaces (see ManualClock).
package slackfake
