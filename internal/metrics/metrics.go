// Package metrics exposes Pollen's Prometheus metrics: what happened
// (commands, rounds, Slack calls, rate-limit waits), counted as it happens,
// and what is (sessions by state, outbox depth, bus factors), read from a
// snapshot at scrape time. The bot and the scheduler see only small
// interfaces of their own; Prometheus types stay here.
package metrics

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Snapshot is the state the gauges report, read at each scrape.
type Snapshot struct {
	SessionsByState  map[string]int
	OutboxDepth      int
	MeanBusFactor    float64
	ProjectsAtBFOne  int // bus factor 1 or less
	Projects         int
	TeamTruckFactor  int
	PeopleInRotation int // the default rotation's, as before rotations
	// PeopleByRotation is the people active in each active rotation, by
	// rotation ID.
	PeopleByRotation map[string]int
}

// Metrics holds the counters and the registry.
type Metrics struct {
	reg        *prometheus.Registry
	commands   *prometheus.CounterVec
	rounds     prometheus.Counter
	slackCalls *prometheus.CounterVec
	rateWaits  prometheus.Counter
	rateWaited prometheus.Counter
	dropped    *prometheus.CounterVec
	leader     prometheus.Gauge
}

// New registers Pollen's metrics; snapshot is called at every scrape.
func New(snapshot func() (Snapshot, error)) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		commands: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pollen_commands_total", Help: "Slash commands handled, by command and outcome (ok, invalid, refused, error).",
		}, []string{"command", "outcome"}),
		rounds: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "pollen_rounds_planned_total", Help: "Rounds planned.",
		}),
		slackCalls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pollen_slack_api_calls_total",
			Help: "Slack Web API calls, by method, HTTP status (or \"error\" when no response came) and Slack's answer: " +
				"\"ok\", its error code (invalid_auth, ratelimited, …; HTTP 200 for most), or \"n/a\" when the body is not Slack JSON.",
		}, []string{"method", "status", "error"}),
		rateWaits: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "pollen_slack_rate_limit_waits_total", Help: "Times the outbox paused because Slack answered 429.",
		}),
		rateWaited: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "pollen_slack_rate_limit_wait_seconds_total", Help: "Seconds the outbox was told to wait by Retry-After.",
		}),
		dropped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pollen_outbox_dropped_total", Help: "Messages dropped because they can never be sent (Slack refused them for good, their session is gone, the record does not decode), by kind.",
		}, []string{"kind"}),
	}
	m.leader = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "pollen_scheduler_leader", Help: "1 while this replica runs the scheduler (it holds the leader lease), 0 while another does.",
	})
	m.reg.MustRegister(m.commands, m.rounds, m.slackCalls, m.rateWaits, m.rateWaited, m.dropped, m.leader,
		&stateCollector{snapshot: snapshot},
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves /metrics.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// CommandDone counts one slash command.
func (m *Metrics) CommandDone(command, outcome string) {
	m.commands.WithLabelValues(command, outcome).Inc()
}

// Leader sets whether this replica runs the scheduler.
func (m *Metrics) Leader(leading bool) {
	if leading {
		m.leader.Set(1)
	} else {
		m.leader.Set(0)
	}
}

// RoundPlanned counts a planned round.
func (m *Metrics) RoundPlanned(int) { m.rounds.Inc() }

// RateLimited counts a pause for Slack's Retry-After.
func (m *Metrics) RateLimited(wait time.Duration) {
	m.rateWaits.Inc()
	m.rateWaited.Add(wait.Seconds())
}

// Dropped counts an outbox message dropped because it can never be sent.
func (m *Metrics) Dropped(kind string) { m.dropped.WithLabelValues(kind).Inc() }

// Transport counts every Slack Web API call that goes through it, by the
// method in the URL path, the response status and Slack's own verdict
// (see slackAnswer): Slack reports most failures as HTTP 200.
func (m *Metrics) Transport(next http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	return roundTripper(func(r *http.Request) (*http.Response, error) {
		resp, err := next.RoundTrip(r)
		status, answer := "error", answerNone
		if err == nil {
			status, answer = strconv.Itoa(resp.StatusCode), slackAnswer(resp)
		}
		m.slackCalls.WithLabelValues(method(r.URL.Path), status, answer).Inc()
		return resp, err
	})
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// method is the Web API method of a path such as /api/chat.postMessage;
// other paths (uploads, response URLs) are grouped so labels stay few.
func method(path string) string {
	i := strings.LastIndexByte(path, '/')
	name := path[i+1:]
	if strings.Contains(path, "/api/") && strings.Contains(name, ".") && len(name) < 64 {
		return name
	}
	return "other"
}

// stateCollector reads the snapshot at scrape time.
type stateCollector struct {
	snapshot func() (Snapshot, error)
}

var (
	descSessions = prometheus.NewDesc("pollen_sessions", "Sessions by state.", []string{"state"}, nil)
	descOutbox   = prometheus.NewDesc("pollen_outbox_depth", "Messages decided but not yet delivered.", nil, nil)
	descMeanBF   = prometheus.NewDesc("pollen_mean_bus_factor", "Mean bus factor over active projects.", nil, nil)
	descBFOne    = prometheus.NewDesc("pollen_projects_at_bus_factor_one", "Active projects known by one person or nobody.", nil, nil)
	descProjects = prometheus.NewDesc("pollen_projects", "Active projects.", nil, nil)
	descTruck    = prometheus.NewDesc("pollen_team_truck_factor", "Team truck factor.", nil, nil)
	descRotation = prometheus.NewDesc("pollen_people_in_rotation", "People active in the rotation.", nil, nil)
	// descRotations is the one gauge labelled by rotation. A rotation is a
	// Slack channel an admin started one in, so its label takes tens of
	// values, not thousands, and stopped rotations are left out. Gauges
	// whose other label would multiply it (per project, per person, per
	// session state) stay workspace-wide: rotations × projects can reach
	// the thousands of series Prometheus's guidance warns about.
	descRotations  = prometheus.NewDesc("pollen_rotation_people", "People active in each active rotation.", []string{"rotation"}, nil)
	descScrapeFail = prometheus.NewDesc("pollen_state_scrape_errors", "1 when the state could not be read at this scrape.", nil, nil)
)

func (c *stateCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descSessions, descOutbox, descMeanBF, descBFOne, descProjects, descTruck, descRotation, descRotations, descScrapeFail} {
		ch <- d
	}
}

func (c *stateCollector) Collect(ch chan<- prometheus.Metric) {
	s, err := c.snapshot()
	if err != nil {
		ch <- prometheus.MustNewConstMetric(descScrapeFail, prometheus.GaugeValue, 1)
		return
	}
	ch <- prometheus.MustNewConstMetric(descScrapeFail, prometheus.GaugeValue, 0)
	for state, n := range s.SessionsByState {
		ch <- prometheus.MustNewConstMetric(descSessions, prometheus.GaugeValue, float64(n), state)
	}
	ch <- prometheus.MustNewConstMetric(descOutbox, prometheus.GaugeValue, float64(s.OutboxDepth))
	ch <- prometheus.MustNewConstMetric(descMeanBF, prometheus.GaugeValue, s.MeanBusFactor)
	ch <- prometheus.MustNewConstMetric(descBFOne, prometheus.GaugeValue, float64(s.ProjectsAtBFOne))
	ch <- prometheus.MustNewConstMetric(descProjects, prometheus.GaugeValue, float64(s.Projects))
	ch <- prometheus.MustNewConstMetric(descTruck, prometheus.GaugeValue, float64(s.TeamTruckFactor))
	ch <- prometheus.MustNewConstMetric(descRotation, prometheus.GaugeValue, float64(s.PeopleInRotation))
	for rot, n := range s.PeopleByRotation {
		ch <- prometheus.MustNewConstMetric(descRotations, prometheus.GaugeValue, float64(n), rot)
	}
}
