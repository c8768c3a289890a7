// Package reposync keeps a project's knowledge in step with its git
// repository: Sync clones the repository under a data directory (blobless
// where the server allows), fetches it when it is already cloned, and
// imports its history with internal/gitimport into the store.
//
// # What a sync imports
//
// Degree of authorship is a function of a file's whole history (who
// created it, who changed it since), so each sync reads the whole history
// of the local clone again: that is local work, about a second for 5,000
// commits. What is new is known by the last synced commit, kept in the
// project's record (pairing.Project.Synced) and written in the same
// transaction as the events the sync imports. A sync whose fetched branch
// is still at that commit writes nothing; otherwise it reports the
// commits since it and writes only the events the knowledge log does not
// hold yet (the same rule as pollen import-git), so syncing twice never
// counts anything twice.
//
// # Clones and credentials
//
// A project's clone is DataDir/repos/NAME.git, a bare clone made with
// --filter=blob:none: it holds commits and trees, and fetches only the
// blobs rename detection compares. A server that does not support filters
// makes git fall back to a full clone by itself (it warns and goes on).
// git runs with GIT_TERMINAL_PROMPT=0, so a repository that wants a
// password fails at once instead of waiting for a terminal; credentials
// come the ways git takes them (a credential helper or GIT_ASKPASS reading
// a token from the environment, or an SSH key through GIT_SSH_COMMAND; see
// README). Errors are one line, and any user:password@ in a URL is removed
// before an error is returned, so a URL with a token never reaches a log
// or Slack.
//
// A failed clone or fetch returns before the store is opened for writing:
// the project's knowledge stays as it was.
package reposync
