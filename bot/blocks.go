package bot

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"
)

// Slack's Block Kit limits that our builders enforce, so no message we send
// is refused (docs.slack.dev/reference/block-kit).
const (
	maxBlocksMessage = 50
	maxBlocksView    = 100
	maxSectionText   = 3000
	maxHeaderText    = 150
	maxButtonText    = 75
	maxActionValue   = 2000
	maxButtonURL     = 3000
	maxMessageText   = 4000 // Slack recommends at most this for the text fallback
	// maxReplyBytes bounds a slash command's reply as JSON, text and
	// blocks together: the reply rides in the Socket Mode ack, Slack drops
	// an ack frame of 20 KB or more, and the envelope needs the rest.
	maxReplyBytes = 19 * 1024
)

// escape makes user text safe inside mrkdwn: only &, < and > are control
// characters there, and escaping them stops forged mentions and links.
func escape(s string) string { return mrkdwnEscaper.Replace(s) }

var mrkdwnEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

var userIDRE = regexp.MustCompile(`^[UW][A-Z0-9]{1,20}$`)

// who renders a person as a mention, which Slack shows as their name. An ID
// that is not a Slack user ID is shown escaped, never as markup.
func who(id string) string {
	if userIDRE.MatchString(id) {
		return "<@" + id + ">"
	}
	return escape(id)
}

// cut shortens s to at most n runes, marking the cut with an ellipsis.
func cut(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// cutMrkdwn is cut for mrkdwn: it never leaves half an entity (&amp;) or
// half a mention or link (<@U1>) at the end, which would show as broken
// markup.
func cutMrkdwn(s string, n int) string {
	c := cut(s, n)
	if c == s {
		return s
	}
	kept := strings.TrimSuffix(c, "…")
	for _, pair := range [][2]string{{"<", ">"}, {"&", ";"}} {
		if i := strings.LastIndex(kept, pair[0]); i >= 0 && !strings.Contains(kept[i:], pair[1]) {
			kept = kept[:i]
		}
	}
	return kept + "…"
}

// message is what the bot says: a plain-text fallback (notifications,
// screen readers) and the blocks that render in the client.
type message struct {
	Text   string
	Blocks []slack.Block
	// outcome is how a command ended, for metrics: "" (ok), "invalid",
	// "refused" or "error".
	outcome string
	// then is slow work to do after the answer has gone out (charts).
	then func(context.Context)
}

// markdown builds a section of mrkdwn text; text over Slack's limit is cut.
func markdown(text string) *slack.SectionBlock {
	return slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, cutMrkdwn(text, maxSectionText), false, false), nil, nil)
}

func header(text string) *slack.HeaderBlock {
	return slack.NewHeaderBlock(slack.NewTextBlockObject(slack.PlainTextType, cut(text, maxHeaderText), false, false))
}

func contextLine(text string) *slack.ContextBlock {
	return slack.NewContextBlock("", slack.NewTextBlockObject(slack.MarkdownType, cutMrkdwn(text, maxSectionText), false, false))
}

// button builds a button whose value carries an ID (a session, a person).
func button(actionID, label, value string, style slack.Style) *slack.ButtonBlockElement {
	b := slack.NewButtonBlockElement(actionID, cut(value, maxActionValue),
		slack.NewTextBlockObject(slack.PlainTextType, cut(label, maxButtonText), false, false))
	if style != "" {
		b.Style = style
	}
	return b
}

func actions(blockID string, elements ...slack.BlockElement) *slack.ActionBlock {
	return slack.NewActionBlock(blockID, elements...)
}

// text is a message of one mrkdwn section with the same text as fallback.
func text(s string) message {
	return message{Text: fallback(s), Blocks: []slack.Block{markdown(s)}}
}

// fallback is the text shown in notifications: the same mrkdwn, within
// the length Slack recommends.
func fallback(s string) string { return cutMrkdwn(s, maxMessageText) }

// capBlocks keeps a message within the block limit, replacing the tail with
// a line that says something was left out.
func capBlocks(blocks []slack.Block, limit int) []slack.Block {
	if len(blocks) <= limit {
		return blocks
	}
	out := append([]slack.Block(nil), blocks[:limit-1]...)
	return append(out, contextLine("…and more; the list is cut to fit in Slack."))
}

// sections sets lines, in order, in as few mrkdwn sections as Slack's text
// limit allows, within maxBlocks blocks and maxBytes bytes of JSON. When
// some lines do not fit, the last block is a context line, worded by more,
// that says how many were left out.
func sections(lines []string, maxBlocks, maxBytes int, more func(left int) string) []slack.Block {
	blocks, n := fitSections(lines, maxBlocks, maxBytes)
	if n == len(lines) {
		return blocks
	}
	widest := contextLine(more(len(lines))) // the count only gets shorter
	blocks, n = fitSections(lines, maxBlocks-1, maxBytes-jsonSize(widest)-1)
	return append(blocks, contextLine(more(len(lines)-n)))
}

// fitSections packs lines into sections of at most maxSectionText
// characters, stopping at the first line that would take the blocks past
// maxBlocks or their JSON past maxBytes, and says how many lines it placed.
func fitSections(lines []string, maxBlocks, maxBytes int) ([]slack.Block, int) {
	perSection := jsonSize(markdown("")) - len(`""`) + len(",")
	var texts, open []string
	openRunes, used, n := 0, len("[]"), 0
	for _, line := range lines {
		line = cutMrkdwn(line, maxSectionText)
		runes, size := utf8.RuneCountInString(line), jsonSize(line)-len(`""`)
		if len(open) > 0 && openRunes+1+runes <= maxSectionText {
			if used+len(`\n`)+size > maxBytes {
				break
			}
			open, openRunes, used = append(open, line), openRunes+1+runes, used+len(`\n`)+size
		} else {
			started := len(texts)
			if len(open) > 0 {
				started++
			}
			if started+1 > maxBlocks || used+perSection+size > maxBytes {
				break
			}
			if len(open) > 0 {
				texts = append(texts, strings.Join(open, "\n"))
			}
			open, openRunes, used = []string{line}, runes, used+perSection+size
		}
		n++
	}
	if len(open) > 0 {
		texts = append(texts, strings.Join(open, "\n"))
	}
	blocks := make([]slack.Block, len(texts))
	for i, t := range texts {
		blocks[i] = markdown(t)
	}
	return blocks, n
}

// jsonSize is how many bytes v takes as JSON, escapes included.
func jsonSize(v any) int {
	b, err := json.Marshal(v)
	if err != nil {
		return 0
	}
	return len(b)
}
