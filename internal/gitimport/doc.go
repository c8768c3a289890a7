// Package gitimport seeds Pollen's knowledge map from a repository's git
// history: who authors which files, the repository's truck factor, and a
// familiarity per author that becomes knowledge events for a project.
//
// Read is the only function that reads a repository. Everything after it
// (ParseLog, Prepare, Authorship, TruckFactor, Events, Report) is a pure
// function of its inputs, so it is tested on histories written by hand.
// ReadImport and Import.Save are `pollen import-git` without its flags and
// printing: Read and the steps after it, the caller's Slack lookup, then
// one store operation whose decision (pairing.PlanImport over what the
// database holds) is pure; they are tested on repositories the tests
// build with git and databases in temporary directories.
//
// # Reading history
//
// Read shells out to git: git log for the history, git ls-tree for the
// files of the last commit. That costs no dependency, reads any repository
// the user's git can (worktrees, shallow clones, .mailmap, safe.directory),
// follows renames with git's own --find-renames, and is fast: the 3,800
// non-merge commits of Flask stream in and parse in about a second. A Go
// git library would be a large dependency that re-implements rename
// detection.
//
// Merge commits are skipped (--no-merges): their changes are those of the
// commits they merge, which are already counted, and counting them again
// would make whoever merges a co-author of everything. What a replay
// without merges cannot see is taken from the last commit's tree: only the
// files in it count, and an edit made on a branch to a path renamed
// meanwhile on another goes to the renamed file, as the merge took it.
//
// Bots (by email or name), mass reformatting (by subject) and commits that
// change more than Options.MaxFiles existing files can be excluded: they
// count for nobody, but their additions, deletions and renames still shape
// the file tree. DefaultOptions excludes bots only: the published algorithm
// counts every commit, and on the real histories of the measurement below
// dropping the commits that change more than 100 files ("all: change
// import paths", licence headers) moved 9 of 67 module truck factors away
// from it.
//
// The log is read with --raw, never --numstat: --raw needs only trees, so a
// blobless clone (--filter=blob:none) works and fetches nothing but the
// blobs rename detection compares.
//
// # Identities
//
// One person often commits under several identities: work and home
// addresses, GitHub's noreply address, a changed email. By default they are
// merged three ways: the same email is the same author, whatever its case;
// the repository's .mailmap is applied by git; and the same name (case and
// spacing ignored, "root" and the like excepted) is the same author, unless
// Options.SeparateNames. Options.Aliases merges identities given the same
// value (pass the author map to merge a person's addresses). Identities
// without an email (git's "name <handle>") are keyed by their handle.
//
// # Authorship and truck factor
//
// Authorship follows Avelino et al., "A novel approach for estimating truck
// factors" (ICPC 2016). A developer's degree of authorship on a file is
//
//	DOA = 3.293 + 1.098·FA + 0.164·DL − 0.321·ln(1 + AC)
//
// with FA = 1 for the developer who created the file (following renames),
// DL their later commits to it and AC the commits to it by others. They
// author the file when their DOA is more than 0.75 of the file's highest
// and at least 3.293 (the paper's rule; the current tool also lets first
// authors skip the 3.293, which we do not).
//
// TruckFactor is the published greedy algorithm: remove the author of the
// most files until fewer than half of the files have an author left; the
// number removed is the truck factor.
//
// # Familiarity and the bus factor
//
// An author's familiarity with the project is the share of its files they
// author: f = files authored / files, dated at their last counted commit.
// The knowledge model holds it there (pairing/doc.go): authorship is a fact
// about the repository as it is now and is re-measured by the next import,
// so it does not fade with time. Pollen's bus factor counts the greedy
// truck factor on the coverage 1 − Π(1 − f) of the people left, which for
// these shares is the share of files with an author left, as the truck
// factor counts it, if authorship were independent. BusFactor gives that
// figure for a result, every author on the team.
//
// Measured on the top-level modules of four public repositories (gonum,
// mlxtend, requests, scrapy: 67 modules, derived history data under
// testdata/realhistory), with DefaultOptions and no alias map, the bus
// factor equals the module truck factor of the published algorithm
// (implemented independently in the test) on 66 modules and the printed
// TruckFactor on 67 (TestRealHistoryAgreesWithPublishedTruckFactor). The
// knower count Pollen showed before (a share faded by a 365-day half-life,
// at least 0.5) agreed on 47.
//
// Events produces one imported event per Slack user. An import raises
// familiarity to its level and never lowers what sessions added (git shows
// what someone knows, not what they do not): sessions before it still
// count, later sessions build on it, and a later declaration overrides it.
// Authors of no file get no event: git says nothing about what they know.
package gitimport
