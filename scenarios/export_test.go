package scenarios

// FieldsMarkdown renders a section's table of fields for docs/scenarios.md.
var FieldsMarkdown = fieldsMarkdown

// DocSections lists the sections with a field table in docs/scenarios.md.
func DocSections() []string {
	var out []string
	for _, s := range docSections {
		out = append(out, s.path)
	}
	return out
}

// DefaultCell is the docs' default of the field at path, for the linux
// profile or (rfc) for "tcp: {profile: rfc}".
func DefaultCell(path string, rfc bool) (string, error) {
	yml := ""
	if rfc {
		yml = "tcp: {profile: rfc}"
	}
	enc, err := encodedFields(yml)
	if err != nil {
		return "", err
	}
	return defaultCell(row(path), enc), nil
}
