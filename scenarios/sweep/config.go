package sweep

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/scenarios"
)

// setting is one field set to one value, fixed or at a grid point.
type setting struct {
	where string   // for messages: "--rtt 100ms", "--vary rtt=100ms", "--set tcp.min_rto=200ms"
	field string   // scenario field, or "ideal"
	value string   // its text, as a scenario file would have it
	list  []string // a list value instead (--object-size 10KB,1MB)
	page  bool     // set by a run flag of the page: the others get run's defaults
}

// builder makes the configuration of a grid point: the scenario, then
// --ideal (given or varied), then every other setting, applied by
// scenarios.Base.With: written into the scenario as YAML and read back
// by the file's parser, so that a sweep accepts exactly what a scenario
// file (and "keepalive run") does, with the same checks and messages. It
// is safe for concurrent use.
type builder struct {
	sc       *scenarios.Scenario
	scIdeal  *scenarios.Scenario // sc read as if it began with "ideal: true"
	idealErr error               // why sc cannot be read so, if it cannot
	ideal    bool
	mu       sync.Mutex
	bases    map[bool]*scenarios.Base // sc and scIdeal ready for settings, made when first needed
}

func newBuilder(sc, scIdeal *scenarios.Scenario, idealErr error, ideal bool) *builder {
	return &builder{sc: sc, scIdeal: scIdeal, idealErr: idealErr, ideal: ideal, bases: map[bool]*scenarios.Base{}}
}

// scenario returns the scenario; if ideal, as if the file began with
// "ideal: true", so that its own fields still win (as "keepalive run
// --ideal" does).
func (b *builder) scenario(ideal bool) (*scenarios.Scenario, error) {
	if !ideal {
		return b.sc, nil
	}
	if b.idealErr != nil {
		return nil, &InputError{Where: "ideal", Err: b.idealErr}
	}
	return b.scIdeal, nil
}

// base returns the scenario's configuration (see scenario).
func (b *builder) base(ideal bool) (model.Config, error) {
	sc, err := b.scenario(ideal)
	if err != nil {
		return model.Config{}, err
	}
	return sc.Config, nil
}

// prepared returns the scenario ready for settings, made once.
func (b *builder) prepared(ideal bool) (*scenarios.Base, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if base, ok := b.bases[ideal]; ok {
		return base, nil
	}
	sc, err := b.scenario(ideal)
	if err != nil {
		return nil, err
	}
	base, err := sc.Base()
	if err != nil {
		return nil, err
	}
	b.bases[ideal] = base
	return base, nil
}

// config returns the configuration with every setting applied; the
// protocol and seed are set per run.
func (b *builder) config(settings []setting) (model.Config, error) {
	ideal := b.ideal
	var rest []setting
	for _, s := range settings {
		if s.field != nameIdeal {
			rest = append(rest, s)
			continue
		}
		v, err := strconv.ParseBool(s.value)
		if err != nil || (s.value != "true" && s.value != "false") {
			return model.Config{}, &InputError{Where: s.where, Err: errors.New("not true or false")}
		}
		ideal = v
	}
	if len(rest) == 0 {
		return b.base(ideal)
	}
	base, err := b.prepared(ideal)
	if err != nil {
		return model.Config{}, err
	}
	sc, err := base.With(scenarioSettings(rest)...)
	if err != nil {
		return model.Config{}, inputError(err)
	}
	return sc.Config, nil
}

// inputError words a *scenarios.SettingError as a sweep's: where the
// user gave the setting, then the field and the problem.
func inputError(err error) error {
	var se *scenarios.SettingError
	switch {
	case errors.As(err, &se) && strings.HasPrefix(se.Where, "with "): // a conflict: the message names the field
		return &InputError{Where: se.Where, Err: se.Err}
	case errors.As(err, &se):
		return &InputError{Where: se.Where, Err: fmt.Errorf("%s: %w", se.Field, se.Err)}
	}
	return err
}

// scenarioSettings are the settings as scenarios.SettingErrorFor takes
// them.
func scenarioSettings(settings []setting) []scenarios.Setting {
	var out []scenarios.Setting
	for _, s := range settings {
		out = append(out, scenarios.Setting{Where: s.where, Field: s.field, Value: s.value, List: s.list, Page: s.page})
	}
	return out
}
