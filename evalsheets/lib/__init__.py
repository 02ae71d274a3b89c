"""The shared vocabulary below every app: era years, formatting, printed numbers, URL parameters, charts theme,
table bases, frame helpers, downloads, history and form helpers, template tags. Imports no app."""
