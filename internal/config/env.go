package config

import (
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"

	"github.com/spf13/pflag"
)

// The one reader of settings: every setting is a pflag flag, and the same
// flag's parser reads its environment variable, so a value means the same
// whether it came from the command line or the environment, and a
// malformed one is refused by name either way.
//
// A flag's variable is SOCMAP_ followed by its name in capitals with
// dashes as underscores (--max-upload-mib: SOCMAP_MAX_UPLOAD_MIB); a flag
// may also read other, conventional names after it (alsoEnv). An empty
// variable counts as unset. A flag given on the command line wins.
//
// This is our own small reader rather than peterbourgon/ff or koanf: the
// commands are cobra and pflag, which ff v3 does not speak, and koanf would
// decode into the struct a second time with its own conversions, where
// here the flag's parser is the only one.

// envAnnotation marks a flag the environment may set, listing the
// variables after its SOCMAP_ one.
const envAnnotation = "socmap-env"

// bind registers the flags register adds, as settings the environment may
// set too, and names their variables in their help.
func bind(fs *pflag.FlagSet, register func(fs *pflag.FlagSet)) {
	own := pflag.NewFlagSet("", pflag.ContinueOnError)
	register(own)
	own.VisitAll(func(f *pflag.Flag) {
		if f.Annotations == nil {
			f.Annotations = map[string][]string{}
		}
		if _, ok := f.Annotations[envAnnotation]; !ok {
			f.Annotations[envAnnotation] = nil
		}
		f.Usage += " [" + strings.Join(EnvNames(f), ", ") + "]"
		fs.AddFlag(f)
	})
}

// alsoEnv lets a flag of own be read from further variables, after its SOCMAP_ one.
func alsoEnv(own *pflag.FlagSet, name string, vars ...string) {
	f := own.Lookup(name)
	if f.Annotations == nil {
		f.Annotations = map[string][]string{}
	}
	f.Annotations[envAnnotation] = append(f.Annotations[envAnnotation], vars...)
}

// EnvNames are the environment variables a flag is read from, first to last.
func EnvNames(f *pflag.Flag) []string {
	own := "SOCMAP_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
	return append([]string{own}, f.Annotations[envAnnotation]...)
}

// ApplyEnv sets each setting the command line left alone from the first of
// its environment variables that is set, with the flag's own parser. Every
// malformed value is reported, naming the variable.
func ApplyEnv(fs *pflag.FlagSet, lookup func(string) (string, bool)) error {
	var errs []error
	fs.VisitAll(func(f *pflag.Flag) {
		if _, setting := f.Annotations[envAnnotation]; !setting || f.Changed {
			return
		}
		for _, name := range EnvNames(f) {
			if v, ok := lookup(name); ok && v != "" {
				if err := f.Value.Set(v); err != nil {
					errs = append(errs, fmt.Errorf("%s=%q: %w", name, v, err))
				}
				return
			}
		}
	})
	return errors.Join(errs...)
}

// boolValue is a yes/no setting that takes the usual spellings and refuses
// anything else, so SOCMAP_SECURE_COOKIES=1 means on and =maybe stops the
// command instead of meaning off.
type boolValue struct{ p *bool }

// boolVar registers a yes/no flag; the bare flag (--secure-cookies) means yes.
func boolVar(fs *pflag.FlagSet, p *bool, name string, value bool, usage string) {
	*p = value
	fs.VarPF(boolValue{p}, name, "", usage).NoOptDefVal = "true"
}

func (b boolValue) Set(s string) error {
	v, err := ParseBool(s)
	if err == nil {
		*b.p = v
	}
	return err
}

func (b boolValue) String() string { return strconv.FormatBool(*b.p) }
func (b boolValue) Type() string   { return "bool" }

// ParseBool reads true, 1, yes, on, y, t and false, 0, no, off, n, f, in
// any case; anything else is an error.
func ParseBool(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "1", "yes", "on", "y", "t":
		return true, nil
	case "false", "0", "no", "off", "n", "f":
		return false, nil
	}
	return false, fmt.Errorf("%q is not yes or no: use true or false (or 1/0, yes/no, on/off)", s)
}

// listValue is a comma-separated list; blanks around items are dropped, an
// empty value is an empty list, and a repeated flag adds to the list.
type listValue struct {
	p   *[]string
	set bool
}

func listVar(fs *pflag.FlagSet, p *[]string, name string, usage string) {
	fs.Var(&listValue{p: p}, name, usage)
}

func (l *listValue) Set(s string) error {
	if !l.set {
		*l.p, l.set = nil, true
	}
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			*l.p = append(*l.p, part)
		}
	}
	return nil
}

func (l *listValue) String() string { return strings.Join(*l.p, ",") }
func (l *listValue) Type() string   { return "list" }

// levelValue is a log level: debug, info, warn or error.
type levelValue struct{ p *slog.Level }

func (l levelValue) Set(s string) error {
	switch s {
	case "debug", "info", "warn", "error":
		return l.p.UnmarshalText([]byte(s))
	}
	return fmt.Errorf("%q: expected debug, info, warn or error", s)
}

func (l levelValue) String() string { return strings.ToLower(l.p.String()) }
func (l levelValue) Type() string   { return "level" }
