package scenarios

import (
	"errors"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
)

var momentKeys = keysOf("moments[]")

// moments decodes the lesson's key moments. Each is checked as
// trace.CheckMoment checks it, after the ones above it (an after names
// one of them), and a problem names the moment's field.
func (d *decoder) moments(n *yaml.Node, dst *[]trace.Moment) {
	if n == nil {
		return
	}
	*dst = nil
	for i, item := range d.sequence(n, "moments") {
		path := fmt.Sprintf("moments[%d]", i)
		f := d.fields(item, path, momentKeys...)
		m := trace.Moment{Nth: 1}
		parse(d, f["kind"], path+".kind", trace.ParseKind, &m.Kind)
		d.str(f["name"], path+".name", &m.Name)
		d.str(f["say"], path+".say", &m.Say)
		m.Say = strings.TrimSpace(m.Say) // a folded block's last line break
		choose(d, f["side"], path+".side", sides, &m.Dir)
		matchText(d, f["flags"], path+".flags", trace.ParseFlags, &m.Flags)
		matchText(d, f["state"], path+".state", func(s string) (trace.State, error) { return trace.ParseState(m.Kind, s) }, &m.State)
		matchText(d, f["from"], path+".from", func(s string) (trace.State, error) { return trace.ParseState(trace.StateChanged, s) }, &m.From)
		matchText(d, f["label"], path+".label", same, &m.Label)
		matchText(d, f["note"], path+".note", same, &m.Note)
		d.count(f["page"], path+".page", row("moments[].page"), &m.Page)
		d.count(f["client"], path+".client", row("moments[].client"), &m.Client)
		parse(d, f["conn"], path+".conn", trace.ParseConnRule, &m.Conn)
		d.str(f["after"], path+".after", &m.After)
		d.count(f["nth"], path+".nth", row("moments[].nth"), &m.Nth)
		for _, p := range d.sequence(f["protocols"], path+".protocols") {
			var v model.Protocol
			parse(d, p, path+".protocols", model.ParseProtocol, &v)
			m.Protocols = append(m.Protocols, v.Traced())
		}
		if d.err != nil {
			return
		}
		if field, err := trace.CheckMoment(*dst, &m); err != nil {
			at := f[field]
			if at == nil {
				at = item
			}
			d.fail(at, path+"."+field, err)
			return
		}
		*dst = append(*dst, m)
	}
}

// matchText reads a field whose value is words a record must have:
// given, it must say something (left out, it matches anything).
func matchText[T any](d *decoder, n *yaml.Node, field string, fn func(string) (T, error), dst *T) {
	parse(d, n, field, func(s string) (T, error) {
		if strings.TrimSpace(s) == "" {
			var zero T
			return zero, errors.New("empty; leave the field out to match any record")
		}
		return fn(s)
	}, dst)
}

func same(s string) (string, error) { return s, nil }
