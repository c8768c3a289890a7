package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

const (
	appToken = "xapp-1-A0SECRETAPP-1234567890-abcdef"
	botToken = "xoxb-1234-5678-SECRETBOT"
)

func TestFromEnv(t *testing.T) {
	c, err := FromEnv(env(map[string]string{"SLACK_API_URL": "http://127.0.0.1:9/api", "POLLEN_LOG_LEVEL": "debug"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.APIURL != "http://127.0.0.1:9/api/" {
		t.Errorf("APIURL = %q, want a trailing slash", c.APIURL)
	}
	if c.DB != DefaultDB || c.HTTPAddr != DefaultHTTPAddr || c.LogFormat != "text" || c.LogLevel.String() != "DEBUG" {
		t.Errorf("defaults: %+v", c)
	}
	for _, bad := range []map[string]string{{"POLLEN_LOG_LEVEL": "loud"}, {"POLLEN_LOG_FORMAT": "xml"}} {
		if _, err := FromEnv(env(bad)); err == nil {
			t.Errorf("FromEnv(%v) accepted", bad)
		}
	}
}

func TestValidateTokens(t *testing.T) {
	tests := []struct {
		name     string
		app, bot string
		wantErr  string
	}{
		{"both fine", appToken, botToken, ""},
		{"no app token", "", botToken, "SLACK_APP_TOKEN is not set"},
		{"no bot token", appToken, "", "SLACK_BOT_TOKEN is not set"},
		{"swapped", botToken, appToken, "SLACK_APP_TOKEN does not start with xapp-"},
		{"user token as bot", appToken, "xoxp-SECRETUSER", "SLACK_BOT_TOKEN does not start with xoxb-"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Config{AppToken: Secret(tt.app), BotToken: Secret(tt.bot)}.ValidateTokens()
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want prefix %q", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), "SECRET") {
				t.Errorf("error leaks a token: %v", err)
			}
		})
	}
}

func TestTokensNeverPrint(t *testing.T) {
	c, _ := FromEnv(env(map[string]string{"SLACK_APP_TOKEN": appToken, "SLACK_BOT_TOKEN": botToken}))
	var out bytes.Buffer
	for _, format := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		fmt.Fprintf(&out, format+"\n", c)
	}
	j, _ := json.Marshal(c)
	out.Write(j)
	for _, f := range []string{"text", "json"} {
		c.LogFormat = f
		c.Logger(&out).Info("config", "config", c, "bot", c.BotToken)
	}
	if strings.Contains(out.String(), "SECRET") {
		t.Fatalf("a token was printed:\n%s", out.String())
	}
	if c.BotToken.Reveal() != botToken {
		t.Error("Reveal lost the token")
	}
}

func TestDataDir(t *testing.T) {
	tests := []struct{ db, dataDir, want string }{
		{"pollen.db", "", "."},
		{"/data/pollen.db", "", "/data"},
		{"/data/pollen.db", " /srv/pollen ", "/srv/pollen"},
	}
	for _, tt := range tests {
		env := map[string]string{"POLLEN_DB": tt.db, "POLLEN_DATA_DIR": tt.dataDir}
		c, err := FromEnv(func(k string) string { return env[k] })
		if err != nil {
			t.Fatal(err)
		}
		if got := c.Data(); got != tt.want {
			t.Errorf("POLLEN_DB=%q POLLEN_DATA_DIR=%q: Data() = %q, want %q", tt.db, tt.dataDir, got, tt.want)
		}
	}
}
