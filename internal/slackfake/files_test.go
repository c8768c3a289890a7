package slackfake_test

import (
	"bytes"
	"net/url"
	"strings"
	"testing"

	"github.com/slack-go/slack"
)

func TestUploadFileEndToEnd(t *testing.T) {
	srv := newServer(t)
	api := newAPI(srv)
	dm := openDM(t, api, alice.ID)
	png := bytes.Repeat([]byte{0x89, 'P', 'N', 'G'}, 300)
	f, err := api.UploadFileContext(testCtx(t), slack.UploadFileParameters{
		Reader: bytes.NewReader(png), FileSize: len(png), Filename: "chart.png",
		Title: "Pairing chart", Channel: dm, InitialComment: "This week's pairs",
	})
	if err != nil {
		t.Fatal(err)
	}
	if f.Title != "Pairing chart" || !strings.HasPrefix(f.ID, "F") {
		t.Fatalf("file = %+v", f)
	}
	ups := srv.Uploads()
	if len(ups) != 1 || !bytes.Equal(ups[0].Data, png) || !ups[0].Completed || ups[0].Channel != dm ||
		ups[0].Filename != "chart.png" || ups[0].Length != len(png) {
		t.Fatalf("uploads = %+v", ups)
	}
	msgs := srv.Messages(dm)
	if len(msgs) != 1 || msgs[0].Text != "This week's pairs" || len(msgs[0].Files) != 1 || msgs[0].Files[0] != f.ID {
		t.Fatalf("messages = %+v", msgs)
	}
	for _, m := range []string{"files.getUploadURLExternal", "upload", "files.completeUploadExternal"} {
		if calls := srv.Calls(m); len(calls) != 1 || !calls[0].OK {
			t.Fatalf("%s calls = %+v", m, calls)
		}
	}
}

func TestUploadErrors(t *testing.T) {
	srv := newServer(t)
	api := newAPI(srv)
	_, err := api.CompleteUploadExternalContext(testCtx(t), slack.CompleteUploadExternalParameters{
		Files: []slack.FileSummary{{ID: "FNOPE", Title: "x"}}})
	assertSlackError(t, err, "file_not_found")
	_, body := rawCall(t, srv, "files.getUploadURLExternal", url.Values{"token": {srv.BotToken}, "filename": {"a.png"}, "length": {"0"}}, "")
	if body["error"] != "invalid_length" {
		t.Fatalf("body = %v", body)
	}
	u, err := api.GetUploadURLExternalContext(testCtx(t), slack.GetUploadURLExternalParameters{FileName: "a.txt", FileSize: 3})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(u.UploadURL, srv.URL()+"/") {
		t.Fatalf("upload_url %q is not on the API host %q", u.UploadURL, srv.URL())
	}
	_, err = api.CompleteUploadExternalContext(testCtx(t), slack.CompleteUploadExternalParameters{
		Files: []slack.FileSummary{{ID: u.FileID}}})
	assertSlackError(t, err, "file_not_found") // nothing uploaded yet
}
