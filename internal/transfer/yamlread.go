package transfer

import (
	"bytes"
	"errors"
	"io"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// section is one top-level list of a YAML import file.
type section struct {
	key  string
	kind string
	// keys maps each key an entry may have to its CSV column, in the order
	// messages list them.
	keys [][2]string
}

var sections = []section{
	{"people", kindPerson, [][2]string{{"id", "person"}, {"name", "name"}, {"tz", "tz"}, {"hours", "hours"}, {"cadence", "cadence"}, {"status", "status"}, {"paused_until", "paused_until"}}},
	{"projects", kindProject, [][2]string{{"name", "project"}, {"repo", "repo"}, {"owners", "owners"}, {"retired", "retired"}}},
	{"familiarity", kindFamiliarity, [][2]string{{"person", "person"}, {"project", "project"}, {"level", "level"}}},
}

func (s section) keyNames() string {
	names := make([]string, len(s.keys))
	for i, k := range s.keys {
		names[i] = k[0]
	}
	return strings.Join(names, ", ")
}

// readYAML feeds every entry of a YAML import file to c. It returns an
// error only when reading fails; problems with the content, syntax errors
// included, go to c.
func readYAML(r io.Reader, c *checker) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if !errors.Is(err, io.EOF) { // io.EOF: an empty file, nothing to import
			c.syntaxIn(data, err)
		}
		return nil
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case errors.Is(err, io.EOF):
	case err != nil:
		c.syntax(err)
		return nil
	default:
		c.problem(next.Line, "a second YAML document: put everything in one")
		return nil
	}
	if len(doc.Content) == 0 {
		return nil
	}
	root := resolve(doc.Content[0])
	if isNull(root) {
		return nil
	}
	if root.Kind != yaml.MappingNode {
		c.problem(root.Line, "the file must be a mapping with the keys people, projects and familiarity")
		return nil
	}
	seen := make(map[string]bool)
	for i := 0; i+1 < len(root.Content); i += 2 {
		key, val := resolve(root.Content[i]), resolve(root.Content[i+1])
		s, ok := findSection(key.Value)
		switch {
		case key.Kind != yaml.ScalarNode || !ok:
			c.problem(key.Line, "unknown key %q: use people, projects and familiarity", truncate(key.Value, 30))
		case seen[s.key]:
			c.problem(key.Line, "%s appears twice: put all its entries in one list", s.key)
		default:
			seen[s.key] = true
			c.yamlSection(s, val)
		}
	}
	return nil
}

func findSection(key string) (section, bool) {
	for _, s := range sections {
		if s.key == key {
			return s, true
		}
	}
	return section{}, false
}

func (c *checker) yamlSection(s section, list *yaml.Node) {
	if isNull(list) {
		return
	}
	if list.Kind != yaml.SequenceNode {
		c.problem(list.Line, "%s must be a list of entries, each starting with '- '", s.key)
		return
	}
	for _, entry := range list.Content {
		entry = resolve(entry)
		if entry.Kind != yaml.MappingNode {
			c.problem(entry.Line, "each entry of %s must be a mapping with the keys %s", s.key, s.keyNames())
			continue
		}
		c.add(c.yamlEntry(s, entry))
	}
}

// yamlEntry turns one mapping into a record. A key that is missing reads as
// empty, labelled with its YAML name so messages use the file's words; an
// unknown key is reported and the rest of the entry still checked.
func (c *checker) yamlEntry(s section, entry *yaml.Node) record {
	r := record{kind: s.kind, line: entry.Line, fields: make(map[string]field)}
	for _, k := range s.keys {
		r.fields[k[1]] = field{label: k[0], line: entry.Line}
	}
	seen := make(map[string]bool)
	for i := 0; i+1 < len(entry.Content); i += 2 {
		key, val := resolve(entry.Content[i]), resolve(entry.Content[i+1])
		column := ""
		for _, k := range s.keys {
			if key.Kind == yaml.ScalarNode && k[0] == key.Value {
				column = k[1]
			}
		}
		switch {
		case column == "":
			c.problem(key.Line, "unknown key %q in %s: use %s", truncate(key.Value, 30), s.key, s.keyNames())
			continue
		case seen[key.Value]:
			c.problem(key.Line, "%s appears twice in one entry", key.Value)
			continue
		}
		seen[key.Value] = true
		f := field{label: key.Value, line: val.Line}
		switch {
		case isNull(val):
		case val.Kind == yaml.ScalarNode:
			f.text = val.Value
		case val.Kind == yaml.SequenceNode && column == "owners":
			f.isList = true
			for _, item := range val.Content {
				switch item = resolve(item); {
				case isNull(item):
				case item.Kind != yaml.ScalarNode:
					c.problem(item.Line, "owners must be a list of Slack user IDs")
				default:
					f.list = append(f.list, item.Value)
				}
			}
		default:
			c.problem(val.Line, "%s must be a single value", key.Value)
			continue
		}
		r.fields[column] = f
	}
	return r
}

// resolve follows aliases to the node they stand for. Chains are short in
// practice; the bound keeps a malicious file from looping.
func resolve(n *yaml.Node) *yaml.Node {
	for range 8 {
		if n.Kind != yaml.AliasNode || n.Alias == nil {
			break
		}
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n.Kind == 0 || (n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null")
}

var yamlLineRE = regexp.MustCompile(`(?s)^yaml: line (\d+): (.*)$`)

// maxLocateLines bounds the files whose structure errors are located by
// parsing prefixes (quadratic, so only for files people write by hand).
const maxLocateLines = 2000

// syntaxIn reports a YAML syntax error of data. For a broken block
// structure (a line indented wrong), yaml.v3 names the line where the
// enclosing block starts, which can be many lines before the mistake; the
// mistake is on the first line whose prefix of the file no longer parses,
// so that line is reported when it comes later.
func (c *checker) syntaxIn(data []byte, err error) {
	m := yamlLineRE.FindStringSubmatch(err.Error())
	if m == nil || !strings.Contains(m[2], "did not find expected") {
		c.syntax(err)
		return
	}
	reported, _ := strconv.Atoi(m[1])
	lines := strings.SplitAfter(string(data), "\n")
	if len(lines) > maxLocateLines {
		c.syntax(err)
		return
	}
	for k := reported; k <= len(lines); k++ {
		var n yaml.Node
		if e := yaml.Unmarshal([]byte(strings.Join(lines[:k], "")), &n); e != nil {
			if k > reported {
				c.problem(k, "YAML: %s (check this line's indentation)", m[2])
				return
			}
			break
		}
	}
	c.syntax(err)
}

// syntax reports a YAML syntax error at the line the parser names.
func (c *checker) syntax(err error) {
	msg := err.Error()
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		c.problem(line, "YAML: %s", m[2])
		return
	}
	c.problem(0, "%s", strings.Replace(msg, "yaml: ", "YAML: ", 1))
}
