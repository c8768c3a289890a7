package slackfake

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
)

func (s *Server) apiFilesGetUploadURLExternal(req *apiRequest) apiResponse {
	name := req.params["filename"]
	length, err := strconv.Atoi(req.params["length"])
	switch {
	case name == "":
		return fail("invalid_arguments")
	case err != nil || length <= 0:
		return fail("invalid_length")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := &Upload{FileID: s.nextIDLocked("F"), Filename: name, Length: length}
	s.seq++
	token := fmt.Sprintf("%x%08x", s.clock().UnixNano(), s.seq)
	s.uploads[u.FileID] = u
	s.uploadOrder = append(s.uploadOrder, u.FileID)
	s.uploadTokens[token] = u.FileID
	s.notifyLocked()
	// Same scheme, host and port as the API: slack-go sends the token only there.
	return ok(map[string]any{
		"upload_url": s.hs.URL + "/upload/v1/" + token,
		"file_id":    u.FileID,
	})
}

// serveUpload stores the bytes POSTed to an upload URL, either as the
// multipart field "file" (what slack-go sends) or as a raw body.
func (s *Server) serveUpload(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	token := strings.TrimPrefix(r.URL.Path, "/upload/v1/")
	h := r.Header.Get("Authorization")
	call := Call{Method: MethodUpload, Params: map[string]string{"token_path": token},
		TokenKind: s.tokenKind(strings.TrimPrefix(h, "Bearer ")), Time: s.clock()}
	status, body, retryAfter := s.upload(r, token, &call)
	call.Status, call.OK, call.Duration = status, status == http.StatusOK, time.Since(start)
	if !call.OK {
		call.Error = body
	}
	s.recordCall(call)
	if retryAfter != "" {
		w.Header().Set("Retry-After", retryAfter)
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

func (s *Server) upload(r *http.Request, token string, call *Call) (status int, body, retryAfter string) {
	if r.Method != http.MethodPost {
		return http.StatusMethodNotAllowed, "method_not_allowed", ""
	}
	s.mu.Lock()
	id, found := s.uploadTokens[token]
	s.mu.Unlock()
	if !found {
		return http.StatusNotFound, "not_found", ""
	}
	if resp, handled := s.applyFault(r.Context(), MethodUpload, call); handled {
		return resp.status, resp.errorCode(), resp.retryAfter
	}
	data, err := readUploadBody(r)
	if err != nil {
		return http.StatusBadRequest, "bad_request: " + err.Error(), ""
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.uploads[id]
	u.Data, u.Uploaded = data, true
	call.Params["file_id"] = id
	call.Params["bytes"] = strconv.Itoa(len(data))
	s.notifyLocked()
	return http.StatusOK, "OK - " + strconv.Itoa(len(data)), ""
}

func readUploadBody(r *http.Request) ([]byte, error) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct != "multipart/form-data" {
		return io.ReadAll(io.LimitReader(r.Body, 64<<20))
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, err
	}
	var fallback []byte
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			if fallback != nil {
				return fallback, nil
			}
			return nil, fmt.Errorf("no file part")
		}
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(io.LimitReader(part, 64<<20))
		if err != nil {
			return nil, err
		}
		if part.FormName() == "file" {
			return data, nil
		}
		if part.FileName() != "" && fallback == nil {
			fallback = data
		}
	}
}

func (s *Server) apiFilesCompleteUploadExternal(req *apiRequest) apiResponse {
	p := req.params
	var files []struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	}
	if json.Unmarshal([]byte(p["files"]), &files) != nil || len(files) == 0 {
		return fail("invalid_arguments")
	}
	comment := p["initial_comment"]
	raw, blocks, err := parseBlocksParam(p["blocks"])
	if err != nil {
		return fail("invalid_blocks_format")
	}
	if code, errs := checkMessage(comment, blocks); code != "" {
		s.mu.Lock()
		s.violationLocked(req.method, errs...)
		s.mu.Unlock()
		return failBlocks(code, errs)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	chID := p["channel_id"]
	if chID == "" {
		chID, _, _ = strings.Cut(p["channels"], ",")
	}
	var ch *channel
	if chID != "" {
		var code string
		if ch, code = s.postableLocked(chID); ch == nil {
			return fail(code)
		}
	}
	out := make([]map[string]any, 0, len(files))
	ids := make([]string, 0, len(files))
	for _, f := range files {
		u, found := s.uploads[f.ID]
		if !found || !u.Uploaded {
			return fail("file_not_found")
		}
		ids = append(ids, f.ID)
	}
	for _, f := range files {
		u := s.uploads[f.ID]
		u.Title, u.Completed, u.InitialComment, u.ThreadTS = f.Title, true, comment, p["thread_ts"]
		if ch != nil {
			u.Channel = ch.id
		}
		out = append(out, map[string]any{"id": f.ID, "title": f.Title})
	}
	if ch != nil {
		m := &Message{Channel: ch.id, TS: s.nextTSLocked(), ThreadTS: p["thread_ts"], Text: comment,
			Blocks: raw, Files: ids, Time: s.clock()}
		s.messages[ch.id] = append(s.messages[ch.id], m)
	}
	s.notifyLocked()
	return ok(map[string]any{"files": out})
}
