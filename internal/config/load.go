package config

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"net/url"
	"reflect"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
)

// Flags binds a command's flag set to the configuration: --config and one
// flag per setting the command takes. After the flags are parsed, Load
// fills Config from every source.
type Flags struct {
	// Config is filled by Load. Pointers into it may be taken before.
	Config Config

	file  string            // --config
	given map[string]string // key → text given on the command line
}

// Bind adds --config and a flag for each named setting to fs.
func Bind(fs *flag.FlagSet, keys ...string) *Flags {
	f := &Flags{given: map[string]string{}}
	fs.Var(fileFlag{f}, "config", "a TOML `FILE` of settings (or "+EnvFile+")")
	for _, k := range keys {
		s := byKey[k]
		if s == nil {
			panic("config: no setting " + k)
		}
		fs.Var(&settingFlag{f: f, s: s}, s.flag, s.help+" ("+s.env+")")
	}
	return f
}

// FromFlagSet returns the Flags that Bind added to fs, or nil.
func FromFlagSet(fs *flag.FlagSet) *Flags {
	if fl := fs.Lookup("config"); fl != nil {
		if v, ok := fl.Value.(fileFlag); ok {
			return v.f
		}
	}
	return nil
}

type fileFlag struct{ f *Flags }

func (v fileFlag) String() string {
	if v.f == nil {
		return ""
	}
	return v.f.file
}
func (v fileFlag) Set(s string) error { v.f.file = s; return nil }

// settingFlag keeps the text given; Load checks it with every other source,
// so a bad flag is reported in the same words as a bad variable.
type settingFlag struct {
	f *Flags
	s *setting
}

func (v *settingFlag) String() string {
	if v == nil || v.s == nil {
		return ""
	}
	return v.s.def // what --help shows as the default
}
func (v *settingFlag) Set(s string) error { v.f.given[v.s.key] = s; return nil }
func (v *settingFlag) IsBoolFlag() bool   { return v.s != nil && v.s.typ.Kind() == reflect.Bool }

// Load fills f.Config: defaults, then the TOML file, then the environment
// read through getenv (an empty variable counts as unset), then the flags.
// Every invalid value is reported at once, in an *Error.
func (f *Flags) Load(getenv func(string) string) error {
	c := Default()
	var problems []string
	path, pathFrom := f.file, "--config"
	if path == "" {
		path, pathFrom = getenv(EnvFile), EnvFile
	}
	if path != "" {
		problems = append(problems, c.loadFile(path, pathFrom)...)
	}
	for _, s := range settings {
		if text := getenv(s.env); text != "" {
			if msg := c.set(s, text, "env "+s.env); msg != "" {
				problems = append(problems, s.env+": "+msg)
			}
		}
	}
	for _, s := range settings {
		if text, ok := f.given[s.key]; ok {
			if msg := c.set(s, text, "flag --"+s.flag); msg != "" {
				problems = append(problems, "--"+s.flag+": "+msg)
			}
		}
	}
	if len(problems) > 0 {
		return &Error{Problems: problems}
	}
	f.Config = *c
	return nil
}

// loadFile applies the settings of a TOML file. Unknown keys are errors: a
// misspelt setting would otherwise be silently ignored.
func (c *Config) loadFile(path, pathFrom string) []string {
	var m map[string]any
	if _, err := toml.DecodeFile(path, &m); err != nil {
		var perr toml.ParseError
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return []string{fmt.Sprintf("%s: the settings file %s does not exist", pathFrom, path)}
		case errors.As(err, &perr):
			return []string{fmt.Sprintf("%s: line %d: %s", path, perr.Position.Line, perr.Message)}
		}
		return []string{fmt.Sprintf("%s: the settings file %s cannot be read: %v", pathFrom, path, err)}
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var problems []string
	for _, k := range keys {
		s := byKey[k]
		if s == nil {
			problems = append(problems, fmt.Sprintf("%s: unknown setting %q; the settings are %s", path, k, strings.Join(Keys(), ", ")))
			continue
		}
		var text string
		switch v := m[k].(type) {
		case string:
			text = v
		case int64, bool, float64:
			text = fmt.Sprint(v)
		default:
			problems = append(problems, fmt.Sprintf("%s: %s must be a single value, not a table or list", path, k))
			continue
		}
		if msg := c.set(s, text, "file "+path); msg != "" {
			problems = append(problems, fmt.Sprintf("%s: %s: %s", path, k, msg))
		}
	}
	return problems
}

const masked = "********"

// maskURL hides the password in a URL (postgres://user:pass@host) and any
// query parameter named like a password, token or secret; other text is
// returned as it is.
func maskURL(text string) string {
	if !strings.Contains(text, "://") {
		return text
	}
	u, err := url.Parse(text)
	if err != nil {
		return masked // cannot tell where a secret would be: hide it all
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), masked)
	}
	q := u.Query()
	hid := false
	for k := range q {
		lk := strings.ToLower(k)
		if strings.Contains(lk, "password") || strings.Contains(lk, "token") || strings.Contains(lk, "secret") {
			q.Set(k, masked)
			hid = true
		}
	}
	if hid {
		u.RawQuery = q.Encode()
	}
	s := u.String()
	return strings.ReplaceAll(s, url.QueryEscape(masked), masked)
}
