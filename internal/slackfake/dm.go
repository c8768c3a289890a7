package slackfake

import "context"

// SendDM has user write text to the app in their direct message with it
// (the app's Messages tab) and delivers what Slack delivers to an app
// subscribed to message.im: an events_api envelope over Socket Mode whose
// event_callback carries a "message" event with channel_type "im"
// (docs.slack.dev/reference/events/message.im: "Differentiate direct
// messages from other message.* events by looking for the event's
// channel_type field set to \"im\""). The user's message is not recorded
// among Messages, which holds what the bot made.
func (s *Server) SendDM(ctx context.Context, user, text string) (Ack, error) {
	s.mu.Lock()
	if _, err := s.lookupUserLocked(user); err != nil {
		s.mu.Unlock()
		return Ack{}, err
	}
	ch, _ := s.openConvLocked([]string{user})
	ts := s.nextTSLocked()
	s.mu.Unlock()
	return s.SendEvent(ctx, map[string]any{
		"type":         "message",
		"channel":      ch.id,
		"user":         user,
		"text":         text,
		"ts":           ts,
		"event_ts":     ts,
		"channel_type": "im",
	})
}
