package slackfake

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"unicode/utf8"
)

// parseBlocksParam decodes a blocks parameter (a JSON array). It returns nil
// for an absent parameter.
func parseBlocksParam(raw string) (json.RawMessage, []any, error) {
	if raw == "" {
		return nil, nil, nil
	}
	var blocks []any
	if err := json.Unmarshal([]byte(raw), &blocks); err != nil {
		return nil, nil, err
	}
	if blocks == nil {
		blocks = []any{}
	}
	return json.RawMessage(raw), blocks, nil
}

// checkMessage validates a message's text and blocks. It answers the Slack
// error code and messages, or "" when the message is fine.
func checkMessage(text string, blocks []any) (string, []string) {
	if n := utf8.RuneCountInString(text); n > limits.MessageText {
		return "msg_too_long", []string{fmt.Sprintf("must be less than %d characters [json-pointer:/text]", limits.MessageText+1)}
	}
	if errs := checkMessageBlocks(blocks); len(errs) > 0 {
		return "invalid_blocks", errs
	}
	return "", nil
}

// autoBlockID is the block_id Slack would have given a block sent without
// one. Slack's are random; these are stable per surface and index.
func autoBlockID(surface string, i int) string {
	h := fnv.New32a()
	_, _ = fmt.Fprintf(h, "%s/%d", surface, i)
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+="
	sum := h.Sum32()
	out := make([]byte, 5)
	for j := range out {
		out[j] = alphabet[sum%64]
		sum /= 64
	}
	return string(out)
}

// blockID returns the block's block_id or the automatic one.
func blockID(surface string, i int, b map[string]any) string {
	if id, _ := b["block_id"].(string); id != "" {
		return id
	}
	return autoBlockID(surface, i)
}

// elementsOf returns the interactive elements of a block.
func elementsOf(b map[string]any) []map[string]any {
	var out []map[string]any
	add := func(v any) {
		if m, ok := v.(map[string]any); ok {
			if _, has := m["action_id"]; has || m["type"] != "image" {
				out = append(out, m)
			}
		}
	}
	switch b["type"] {
	case "actions", "context_actions":
		elems, _ := b["elements"].([]any)
		for _, e := range elems {
			add(e)
		}
	case "section":
		add(b["accessory"])
	case "input":
		add(b["element"])
	}
	return out
}

// foundElement is an interactive element located in a surface.
type foundElement struct {
	blockID  string
	actionID string
	el       map[string]any
}

// findElement finds the element with actionID in blocks.
func findElement(surface string, blocks []map[string]any, actionID string) (foundElement, bool) {
	for i, b := range blocks {
		for _, el := range elementsOf(b) {
			if id, _ := el["action_id"].(string); id == actionID {
				return foundElement{blockID: blockID(surface, i, b), actionID: id, el: el}, true
			}
		}
	}
	return foundElement{}, false
}

// actionIDs lists every action_id in blocks.
func actionIDs(blocks []map[string]any) []string {
	var out []string
	for _, b := range blocks {
		for _, el := range elementsOf(b) {
			if id, _ := el["action_id"].(string); id != "" {
				out = append(out, id)
			}
		}
	}
	return out
}

// findOption finds the option with value in a select, overflow, radio or
// checkbox element, looking inside option_groups too.
func findOption(el map[string]any, value string) (map[string]any, bool) {
	lists := []any{el["options"]}
	if groups, ok := el["option_groups"].([]any); ok {
		for _, g := range groups {
			if gm, ok := g.(map[string]any); ok {
				lists = append(lists, gm["options"])
			}
		}
	}
	for _, l := range lists {
		opts, _ := l.([]any)
		for _, o := range opts {
			if om, ok := o.(map[string]any); ok && om["value"] == value {
				return om, true
			}
		}
	}
	return nil, false
}

// textOf returns the "text" of a text object field.
func textOf(v any) string {
	if m, ok := v.(map[string]any); ok {
		s, _ := m["text"].(string)
		return s
	}
	return ""
}
