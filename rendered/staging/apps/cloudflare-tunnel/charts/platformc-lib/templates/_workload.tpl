{{/*
platformc.workload: every object of one workload component, called with the
subchart's context (.Values = docs/chart-contract.md). Each object is its own
YAML document; optional objects render nothing when their key is absent.
The component's objects carried as data (its NetworkPolicy) come last.
*/}}
{{- define "platformc.workload" -}}
{{- include "platformc.validate" . }}
{{- include "platformc.serviceAccount" . }}
{{- include "platformc.controller" . }}
{{- include "platformc.service" . }}
{{- include "platformc.configmap" . }}
{{- include "platformc.pvcs" . }}
{{- include "platformc.pdb" . }}
{{- include "platformc.hpa" . }}
{{- include "platformc.ingress" . }}
{{- include "platformc.backup" . }}
{{- include "platformc.objects" . }}
{{- end -}}

{{/* The controller: Deployment, StatefulSet, DaemonSet, Job or CronJob. */}}
{{- define "platformc.controller" -}}
{{- $kind := .Values.kind }}
{{- if eq $kind "Deployment" }}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  {{- include "platformc.metadata" (dict "values" .Values) | nindent 2 }}
spec:
  {{- if include "platformc.hasReplicas" . }}
  replicas: {{ .Values.replicas | toJson }}
  {{- end }}
  {{- if .Values.persistentVolumeClaims }}
  {{- /* A ReadWriteOnce volume cannot attach to the new pod while the old one still holds it. */}}
  strategy:
    type: Recreate
  {{- end }}
  selector:
    matchLabels:
      {{- toYaml .Values.selectorLabels | nindent 6 }}
  template:
    {{- include "platformc.podTemplate" . | nindent 4 }}
{{- else if eq $kind "StatefulSet" }}
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  {{- include "platformc.metadata" (dict "values" .Values) | nindent 2 }}
spec:
  serviceName: {{ printf "%s-headless" .Values.name | quote }}
  {{- if include "platformc.hasReplicas" . }}
  replicas: {{ .Values.replicas | toJson }}
  {{- end }}
  selector:
    matchLabels:
      {{- toYaml .Values.selectorLabels | nindent 6 }}
  template:
    {{- include "platformc.podTemplate" . | nindent 4 }}
  {{- with .Values.volumeClaimTemplates }}
  volumeClaimTemplates:
    {{- range . }}
    {{- /* The name only: a StatefulSet's volumeClaimTemplates cannot change once it exists. */}}
    - metadata:
        name: {{ .name | quote }}
      spec:
        {{- include "platformc.claimSpec" . | nindent 8 }}
    {{- end }}
  {{- end }}
{{- else if eq $kind "DaemonSet" }}
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  {{- include "platformc.metadata" (dict "values" .Values) | nindent 2 }}
spec:
  selector:
    matchLabels:
      {{- toYaml .Values.selectorLabels | nindent 6 }}
  template:
    {{- include "platformc.podTemplate" . | nindent 4 }}
{{- else if eq $kind "Job" }}
---
apiVersion: batch/v1
kind: Job
metadata:
  {{- include "platformc.metadata" (dict "values" .Values) | nindent 2 }}
spec:
  {{- include "platformc.jobSpec" . | trim | nindent 2 }}
{{- else if eq $kind "CronJob" }}
{{- $cronjob := .Values.cronjob | default dict }}
---
apiVersion: batch/v1
kind: CronJob
metadata:
  {{- include "platformc.metadata" (dict "values" .Values) | nindent 2 }}
spec:
  schedule: {{ required (printf "platformc-lib: CronJob %q needs cronjob.schedule" .Values.name) $cronjob.schedule | quote }}
  suspend: {{ $cronjob.suspend | default false | toJson }}
  concurrencyPolicy: {{ $cronjob.concurrencyPolicy | default "Forbid" | quote }}
  jobTemplate:
    spec:
      {{- include "platformc.jobSpec" . | trim | nindent 6 }}
{{- else }}
{{- fail (printf "platformc-lib: workload %q has kind %q; expected Deployment, StatefulSet, DaemonSet, Job or CronJob" (toString .Values.name) (toString $kind)) }}
{{- end }}
{{- end -}}

{{/* "true" when spec.replicas is set: without the key an autoscaler owns the count. */}}
{{- define "platformc.hasReplicas" -}}
{{- if and (has .Values.kind (list "Deployment" "StatefulSet")) (hasKey .Values "replicas") (not (kindIs "invalid" .Values.replicas)) -}}
true
{{- end -}}
{{- end -}}

{{/* The spec of a Job, also a CronJob's jobTemplate.spec. */}}
{{- define "platformc.jobSpec" -}}
{{- $job := .Values.job | default dict -}}
{{- range $key := list "backoffLimit" "activeDeadlineSeconds" "ttlSecondsAfterFinished" }}
{{- if hasKey $job $key }}
{{ $key }}: {{ index $job $key | toJson }}
{{- end }}
{{- end }}
template:
  {{- include "platformc.podTemplate" . | nindent 2 }}
{{- end -}}
