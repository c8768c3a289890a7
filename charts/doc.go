// Package charts renders Pollen's knowledge report as PNG images from plain
// data: the familiarity heatmap, bus factor per project over time, sessions
// per week by outcome, and the pairing network. No Slack and no database
// here: callers pass values in and get bytes out.
package charts
