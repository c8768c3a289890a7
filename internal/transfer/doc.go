// Package transfer reads the files of `pollen import` and writes the files
// of `pollen export`. It is pure: it reads from an io.Reader, writes to an
// io.Writer and turns rows into pairing records; the caller owns the
// files, the database transaction and Slack. (It does look time zone names
// up with time.LoadLocation, which reads the zone database.)
//
// # Importing
//
// An import file lists people, projects and declared familiarity, as CSV
// or YAML (by the extension: .csv, .yaml or .yml). The checks are the
// bot's own (pairing.ProjectName, pairing.RepoURL, pairing.ParseWorkingHours,
// pairing.ParseCadence, pairing.ParseDeclared), so a file is refused for
// the same reasons a slash command would be.
//
// Read checks everything before anything is written and reports every bad
// row, with its line, in one *ValidationError:
//
//	line 4: hours "9-5" is not a time range: use HH:MM-HH:MM, e.g. 09:00-17:00
//	line 7: cadence "monthly" is not a cadence: use weekly or biweekly
//	line 9: there is no project churn: add a project row for it
//
// A familiarity row may name a person or project that is not in the file
// if the database already has it (the Known argument); a project known
// only from the database must not be retired. Project owners need only be
// Slack user IDs: as with /pair project add, an owner need not be on the
// roster. Parse does the checks that need only the file, Validate those
// that need the database; Read does both in one pass. Batch.Records then
// gives the people, projects and events to write in one transaction.
//
// An empty field leaves what the database has: a row for a person already
// on the roster with no hours keeps their hours; a new person gets the
// defaults (UTC, 09:00-17:00, weekly). A person's status (active, paused
// or left) changes only when the row gives one; new people join active
// unless it says otherwise. A paused person needs paused_until, the date
// they come back (YYYY-MM-DD, 00:00 UTC, or an RFC 3339 time), and a
// paused_until alone means paused. A project row brings a retired project
// back unless its retired column says true.
//
// # CSV
//
// One table with a header row and a kind column saying what each row is;
// every kind fills its own columns and leaves the others empty. Columns
// come in any order, and a file needs only those it uses:
//
//	kind        person, name, tz, hours, cadence, status, paused_until, project, repo, owners, retired, level
//	person      person (Slack user ID), name, tz (IANA), hours, cadence,
//	            status (active, paused or left), paused_until
//	project     project (name), repo, owners (Slack IDs, ';'-separated),
//	            retired (true or false)
//	familiarity person, project, level (expert, some, none, or 0 to 1)
//
// Lines starting with '#' and blank rows are skipped. For example:
//
//	kind,person,name,tz,hours,cadence,project,repo,owners,level
//	person,U024BE7LH,Ada Lovelace,Europe/Berlin,09:00-17:00,weekly,,,,
//	person,U0G9QF9C6,Grace Hopper,America/New_York,08:30-16:30,biweekly,,,,
//	project,,,,,,churn-model,https://github.com/acme/churn,U024BE7LH,
//	familiarity,U0G9QF9C6,,,,,churn-model,,,some
//
// # YAML
//
// Three lists, each optional, with the CSV columns as keys (id for a
// person's, name for a project's); lines are those of the YAML source:
//
//	people:
//	  - id: U024BE7LH
//	    name: Ada Lovelace
//	    tz: Europe/Berlin
//	    hours: 09:00-17:00
//	    cadence: weekly
//	  - id: U0G9QF9C6
//	    cadence: biweekly
//	projects:
//	  - name: churn-model
//	    repo: https://github.com/acme/churn
//	    owners: [U024BE7LH]
//	familiarity:
//	  - person: U0G9QF9C6
//	    project: churn-model
//	    level: some
//
// # Exporting
//
// WriteSessions, WriteFamiliarity and WriteBusFactor write tidy CSV for
// analysis (pandas.read_csv reads them as they are): one header row in
// snake_case, one observation per row, times in ISO 8601 UTC and dates as
// YYYY-MM-DD. WriteBusFactor labels each week with the date of its
// Monday, which pandas parses as a date, rather than an ISO week ID.
//
// WriteRoster (or WritePeople and WriteProjects, in that order) writes the
// team in the import format above. Exported and imported into an empty
// database, it gives back: everyone on the roster (ID, name, time zone,
// hours, cadence, status and, for paused people, the date they come
// back; people who have left too), every project (name, repo, owners,
// whether it is retired) and each person's familiarity with each project
// at the time of the export, written as a numeric level (to four
// decimals, or in full where rounding would change who knows a project),
// declared again at the time of the import. What does not come back:
// session history and ratings, rounds, team settings, how a familiarity
// came about and its peak (so the knowledge log starts afresh, and fading
// restarts at the import), join dates, rounds a person skips, whom they
// avoid (private) and when they last said "Stay in". Importing an export
// back into the database it came from changes no person or project; it
// declares everyone's familiarity again at its exported level, which
// forgets peaks and any fading since the export.
package transfer
