{{/*
platformc.objects: called with the umbrella chart's context; writes every
complete manifest in .Values._platformc.objects as its own document, with
toYaml only, so text such as Prometheus `{{ $labels.pod }}` stays literal.
*/}}
{{- define "platformc.objects" -}}
{{- $platformc := index .Values "_platformc" | default dict }}
{{- range $platformc.objects }}
---
{{ toYaml . }}
{{- end }}
{{- end -}}
