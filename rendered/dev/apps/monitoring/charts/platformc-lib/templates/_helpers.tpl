{{/*
Metadata shared by every object a workload component makes.

Called with (dict "values" .Values) or (dict "values" .Values "name" $name "namespace" $ns):
the object is named after the component unless "name" says otherwise, and
lives in the component's namespace unless "namespace" says otherwise.
Every value is written with quote/toYaml, never evaluated. `annotations` (a hook job's
Argo CD hook and delete policy) go on every object, so they all run in the same phase.
*/}}
{{- define "platformc.metadata" -}}
name: {{ .name | default .values.name | quote }}
namespace: {{ .namespace | default .values.namespace | quote }}
labels:
  {{- toYaml (.values.labels | default dict) | nindent 2 }}
annotations:
  argocd.argoproj.io/sync-wave: {{ .values.syncWave | toString | quote }}
  {{- with .values.annotations }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
{{- end -}}

{{/* Fails rendering early, with the contract's key name, when a required value is missing. */}}
{{- define "platformc.validate" -}}
{{- range $key := list "name" "namespace" "kind" "syncWave" "selectorLabels" "container" }}
{{- if or (not (hasKey $.Values $key)) (kindIs "invalid" (index $.Values $key)) }}
{{- fail (printf "platformc-lib: %q is required in the values of workload %q (docs/chart-contract.md)" $key (toString $.Values.name)) }}
{{- end }}
{{- end }}
{{- end -}}
