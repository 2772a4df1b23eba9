{{/*
platformc.objects: writes every file under the chart's objects/ (one complete
manifest each, as platformc emitted it) as its own document, in path order.
.Files.Get returns a file's text without evaluating it, so text such as
Prometheus `{{ $labels.pod }}` stays literal. The umbrella chart calls it for
the objects of its application, platformc.workload for those of one workload.
*/}}
{{- define "platformc.objects" -}}
{{- range $path, $_ := .Files.Glob "objects/*.yaml" }}
---
{{ $.Files.Get $path }}
{{- end }}
{{- end -}}
