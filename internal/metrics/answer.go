package metrics

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
)

// answerNone labels a call whose body is not a Slack JSON answer: an HTML
// error page, an upload, no response at all.
const answerNone = "n/a"

// answerPeek bounds how much of a body slackAnswer reads. Slack's error
// answers are short (the code, a few warnings), so a JSON object longer
// than this with no "ok":false in its start is a success, such as a page of
// history; it is never read in full here. Slack writes "ok" first, which
// settles most answers within a few bytes anyway.
const answerPeek = 4096

// slackAnswer reads Slack's verdict from a JSON response: "ok", the error
// code of {"ok":false,"error":…}, or answerNone. It reads at most
// answerPeek bytes and puts them back in front of the rest of the body, so
// the caller (slack-go) reads the body as if untouched.
func slackAnswer(resp *http.Response) string {
	if resp.Body == nil || resp.Body == http.NoBody {
		return answerNone
	}
	if mt, _, err := mime.ParseMediaType(resp.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		return answerNone
	}
	buf := make([]byte, answerPeek)
	n, err := io.ReadFull(resp.Body, buf) // a read error comes back to the caller from the body below
	resp.Body = rewound{Reader: io.MultiReader(bytes.NewReader(buf[:n]), resp.Body), Closer: resp.Body}
	return answerOf(buf[:n], err == nil)
}

// rewound is a body whose first bytes were read and put back.
type rewound struct {
	io.Reader
	io.Closer
}

// answerOf finds the top-level "ok" and "error" in the start of a JSON
// object; cut says the body goes on beyond prefix (which may end anywhere).
func answerOf(prefix []byte, cut bool) string {
	dec := json.NewDecoder(bytes.NewReader(prefix))
	depth, atKey, key, object := 0, false, "", false
	ok, code := "", ""
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		if d, isDelim := tok.(json.Delim); isDelim {
			if d == '{' || d == '[' {
				depth++
				atKey = depth == 1 && d == '{'
				object = object || atKey
			} else if depth--; depth == 1 {
				atKey = true // a nested value ended; a key comes next
			}
			continue
		}
		switch {
		case depth != 1:
		case atKey:
			key, _ = tok.(string)
			atKey = false
		default:
			switch v := tok.(type) {
			case bool:
				if key == "ok" && v {
					ok = "ok"
				} else if key == "ok" {
					ok = "false"
				}
			case string:
				if key == "error" {
					code = v
				}
			}
			atKey = true
		}
		if ok == "ok" || ok == "false" && code != "" {
			break
		}
	}
	switch {
	case ok == "ok":
		return "ok"
	case ok == "false" && validCode(code):
		return code
	case ok == "false":
		return "unknown_error"
	case cut && object:
		return "ok" // too long for an error answer
	}
	return answerNone
}

// validCode keeps label values few and tidy: Slack's codes are short
// snake_case words.
func validCode(code string) bool {
	if code == "" || len(code) > 64 {
		return false
	}
	for _, c := range code {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' && c != '.' {
			return false
		}
	}
	return true
}
