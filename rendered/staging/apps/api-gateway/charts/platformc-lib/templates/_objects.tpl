{{/*
platformc.objects: writes every complete manifest in .Values._platformc.objects
as its own document, with toYaml only, so text such as Prometheus
`{{ $labels.pod }}` stays literal. The umbrella chart calls it for the objects
of its application, platformc.workload for those of one workload.
*/}}
{{- define "platformc.objects" -}}
{{- $platformc := index .Values "_platformc" | default dict }}
{{- range $platformc.objects }}
---
{{ toYaml . }}
{{- end }}
{{- end -}}
