// Package gitimport seeds Pollen's knowledge map from a repository's git
// history: who authors which files, the repository's truck factor, and a
// familiarity per author that becomes knowledge events for a project.
//
// Read is the only function that does I/O. Everything after it (ParseLog,
// Prepare, Authorship, TruckFactor, Events, Report) is a pure function of
// its inputs, so it is tested on histories written by hand.
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
// the file tree.
//
// The same email is the same author, whatever its case. The repository's
// .mailmap is applied by git; Options.Aliases merges emails given the same
// value (pass the author map to merge a person's addresses), and
// Options.MergeByName merges authors with the same name.
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
// # Familiarity
//
// An author's familiarity with the project is the share of its files they
// author: f = files authored / files. A person who authors half the files
// or more reaches Pollen's "knows" (f ≥ 0.5): exactly those who could, on
// their own, keep the project from being abandoned in Avelino's sense. So
// every imported knower is among the truck-factor authors and Pollen's bus
// factor, right after an import, never exceeds the truck factor; it falls
// short of it when ownership is fragmented (three authors of a third each:
// truck factor 2, no knower). A saturating curve would instead make all
// three knowers and put the bus factor above the truck factor. Authors of
// no file get no event: git says nothing about what they know.
//
// Events dates each author's level at their last counted commit and does
// not fade it: the knowledge model fades every event from its date when it
// replays the log (half-life 365 days, never below half the level), so
// fading here as well would count the years twice. Someone who authors 60%
// of the files and committed last month imports 0.6 and knows the project;
// if they last committed two years ago, the model shows 0.3. An import
// raises familiarity to its level and never lowers it (git shows what
// someone knows, not what they do not): sessions before it still count,
// later sessions build on it, and a later declaration overrides it.
package gitimport
