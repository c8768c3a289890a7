package slackfake

import (
	"fmt"
	"strconv"
	"unicode/utf8"
)

// checker collects Slack-style validation messages such as
// "must be less than 3001 characters [json-pointer:/blocks/0/text/text]".
type checker struct{ errs []string }

func (c *checker) add(ptr, format string, args ...any) {
	c.errs = append(c.errs, fmt.Sprintf(format, args...)+" [json-pointer:"+ptr+"]")
}

func (c *checker) length(ptr, s string, minLen, maxLen int) {
	n := utf8.RuneCountInString(s)
	switch {
	case n < minLen:
		c.add(ptr, "must be more than %d characters", minLen-1)
	case n > maxLen:
		c.add(ptr, "must be less than %d characters", maxLen+1)
	}
}

func (c *checker) count(ptr string, n, minN, maxN int) {
	switch {
	case n < minN:
		c.add(ptr, "must provide at least %d items", minN)
	case n > maxN:
		c.add(ptr, "no more than %d items allowed", maxN)
	}
}

// str checks an optional string field's length.
func (c *checker) str(ptr string, obj map[string]any, key string, maxLen int) {
	v, present := obj[key]
	if !present || v == nil {
		return
	}
	s, isStr := v.(string)
	if !isStr {
		c.add(ptr+"/"+key, "must be a string")
		return
	}
	c.length(ptr+"/"+key, s, 0, maxLen)
}

// text checks a text object. plain demands plain_text; required demands the
// field be present.
func (c *checker) text(ptr string, obj map[string]any, key string, maxLen int, plain, required bool) {
	v, present := obj[key]
	if !present || v == nil {
		if required {
			c.add(ptr, "missing required field: %s", key)
		}
		return
	}
	ptr += "/" + key
	t, isObj := v.(map[string]any)
	if !isObj {
		c.add(ptr, "must be a text object")
		return
	}
	typ, _ := t["type"].(string)
	switch {
	case plain && typ != "plain_text":
		c.add(ptr+"/type", "must be plain_text")
	case typ != "plain_text" && typ != "mrkdwn":
		c.add(ptr+"/type", "must be one of plain_text, mrkdwn")
	}
	s, isStr := t["text"].(string)
	if !isStr {
		c.add(ptr+"/text", "missing required field: text")
		return
	}
	c.length(ptr+"/text", s, 1, maxLen)
}

// blocks checks a blocks array holding at most maxBlocks blocks.
func (c *checker) blocks(ptr string, blocks []any, maxBlocks int) {
	c.count(ptr, len(blocks), 0, maxBlocks)
	ids := map[string]bool{}
	for i, b := range blocks {
		bp := ptr + "/" + strconv.Itoa(i)
		block, isObj := b.(map[string]any)
		if !isObj {
			c.add(bp, "must be an object")
			continue
		}
		if id, isStr := block["block_id"].(string); isStr {
			c.length(bp+"/block_id", id, 1, limits.BlockID)
			if ids[id] {
				c.add(bp+"/block_id", "block_id %q already exists", id)
			}
			ids[id] = true
		}
		c.block(bp, block)
	}
}

func (c *checker) block(ptr string, b map[string]any) {
	switch b["type"] {
	case "section":
		_, hasText := b["text"]
		fields, _ := b["fields"].([]any)
		if !hasText && len(fields) == 0 {
			c.add(ptr, "must provide either text or fields")
		}
		c.text(ptr, b, "text", limits.SectionText, false, false)
		c.count(ptr+"/fields", len(fields), 0, limits.SectionFields)
		for i := range fields {
			c.text(ptr+"/fields", map[string]any{strconv.Itoa(i): fields[i]}, strconv.Itoa(i), limits.SectionFieldText, false, true)
		}
		if acc, isObj := b["accessory"].(map[string]any); isObj {
			if acc["type"] == "datetimepicker" {
				// "Works with block types: Actions, Input" (Block Kit
				// reference, Date and time picker element).
				c.add(ptr+"/accessory", "datetimepicker is not allowed in a section accessory")
			}
			c.element(ptr+"/accessory", acc)
		}
	case "header":
		c.text(ptr, b, "text", limits.HeaderText, true, true)
	case "actions":
		elems, _ := b["elements"].([]any)
		c.count(ptr+"/elements", len(elems), 1, limits.ActionsElements)
		seen := map[string]bool{}
		for i, e := range elems {
			ep := ptr + "/elements/" + strconv.Itoa(i)
			el, isObj := e.(map[string]any)
			if !isObj {
				c.add(ep, "must be an object")
				continue
			}
			if id, _ := el["action_id"].(string); id != "" {
				if seen[id] {
					c.add(ep+"/action_id", "action_id %q already exists in this block", id)
				}
				seen[id] = true
			}
			c.element(ep, el)
		}
	case "context":
		elems, _ := b["elements"].([]any)
		c.count(ptr+"/elements", len(elems), 1, limits.ContextElements)
		for i, e := range elems {
			el, _ := e.(map[string]any)
			if el != nil && (el["type"] == "plain_text" || el["type"] == "mrkdwn") {
				c.text(ptr+"/elements", map[string]any{strconv.Itoa(i): el}, strconv.Itoa(i), limits.ContextText, false, true)
			}
		}
	case "image":
		c.image(ptr, b)
		c.text(ptr, b, "title", limits.ImageAltText, true, false)
	case "input":
		c.text(ptr, b, "label", limits.InputLabel, true, true)
		c.text(ptr, b, "hint", limits.InputHint, true, false)
		if el, isObj := b["element"].(map[string]any); isObj {
			c.element(ptr+"/element", el)
		} else {
			c.add(ptr, "missing required field: element")
		}
	case "markdown":
		c.str(ptr, b, "text", limits.MarkdownBlock)
	case nil:
		c.add(ptr, "missing required field: type")
	}
}

func (c *checker) image(ptr string, obj map[string]any) {
	c.str(ptr, obj, "image_url", limits.ImageURL)
	if _, has := obj["alt_text"]; !has {
		c.add(ptr, "missing required field: alt_text")
	}
	c.str(ptr, obj, "alt_text", limits.ImageAltText)
}

func (c *checker) element(ptr string, e map[string]any) {
	c.str(ptr, e, "action_id", limits.ActionID)
	c.text(ptr, e, "placeholder", limits.Placeholder, true, false)
	switch e["type"] {
	case "button":
		c.text(ptr, e, "text", limits.ButtonText, true, true)
		c.str(ptr, e, "value", limits.ButtonValue)
		c.str(ptr, e, "url", limits.ButtonURL)
		if st, has := e["style"]; has && st != "primary" && st != "danger" {
			c.add(ptr+"/style", "must be one of primary, danger")
		}
	case "static_select", "multi_static_select":
		c.options(ptr, e, 0, limits.SelectOptions, true)
		if groups, isArr := e["option_groups"].([]any); isArr {
			c.count(ptr+"/option_groups", len(groups), 1, limits.SelectOptions)
		}
	case "overflow":
		c.options(ptr, e, 1, limits.OverflowOptions, true)
	case "radio_buttons", "checkboxes":
		c.options(ptr, e, 1, limits.RadioOptions, false)
	case "plain_text_input":
		if n, isNum := e["max_length"].(float64); isNum && int(n) > limits.TextInputMax {
			c.add(ptr+"/max_length", "must be less than %d", limits.TextInputMax+1)
		}
	case "image":
		c.image(ptr, e)
	case "datetimepicker":
		// api.slack.com/reference/block-kit/block-elements#datetimepicker:
		// initial_date_time is "the initial date and time that is selected
		// when the element is loaded, represented as a UNIX timestamp in
		// seconds. This should be in the format of 10 digits".
		if v, has := e["initial_date_time"]; has {
			if n, isNum := v.(float64); !isNum || n != float64(int64(n)) || n < 1e9 || n >= 1e10 {
				c.add(ptr+"/initial_date_time", "must be a UNIX timestamp in seconds, 10 digits")
			}
		}
	}
}

func (c *checker) options(ptr string, e map[string]any, minN, maxN int, plain bool) {
	opts, isArr := e["options"].([]any)
	if !isArr {
		if _, groups := e["option_groups"]; !groups {
			c.add(ptr, "missing required field: options")
		}
		return
	}
	c.count(ptr+"/options", len(opts), minN, maxN)
	for i, o := range opts {
		op := ptr + "/options/" + strconv.Itoa(i)
		opt, isObj := o.(map[string]any)
		if !isObj {
			c.add(op, "must be an object")
			continue
		}
		c.text(op, opt, "text", limits.OptionText, plain, true)
		c.text(op, opt, "description", limits.OptionDescription, plain, false)
		if _, has := opt["value"]; !has {
			c.add(op, "missing required field: value")
		}
		c.str(op, opt, "value", limits.OptionValue)
	}
}

// checkMessageBlocks validates the blocks of a message.
func checkMessageBlocks(blocks []any) []string {
	var c checker
	c.blocks("/blocks", blocks, limits.MessageBlocks)
	return c.errs
}

// checkView validates a modal or Home tab view object.
func checkView(view map[string]any) []string {
	var c checker
	blocks, isArr := view["blocks"].([]any)
	if raw, present := view["blocks"]; !present || (!isArr && raw != nil) {
		// slack-go marshals an empty Blocks as null; that is let through.
		c.add("/view", "missing required field: blocks")
	}
	c.blocks("/view/blocks", blocks, limits.SurfaceBlocks)
	c.str("/view", view, "private_metadata", limits.ViewPrivateMetadata)
	c.str("/view", view, "callback_id", limits.ViewCallbackID)
	c.str("/view", view, "external_id", limits.ViewExternalID)
	if view["type"] == "modal" {
		c.text("/view", view, "title", limits.ViewTitle, true, true)
		c.text("/view", view, "submit", limits.ViewTitle, true, false)
		c.text("/view", view, "close", limits.ViewTitle, true, false)
		if _, hasSubmit := view["submit"]; !hasSubmit && hasInput(blocks) {
			c.add("/view", "missing required field: submit (the view has input blocks)")
		}
	}
	return c.errs
}

func hasInput(blocks []any) bool {
	for _, b := range blocks {
		if m, _ := b.(map[string]any); m != nil && m["type"] == "input" {
			return true
		}
	}
	return false
}
