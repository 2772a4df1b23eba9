{{/* An Ingress (networking.k8s.io/v1) to the component's Service, by port name. */}}
{{- define "platformc.ingress" -}}
{{- with .Values.ingress }}
{{- if not $.Values.service }}
{{- fail (printf "platformc-lib: %q has an ingress but no service" (toString $.Values.name)) }}
{{- end }}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  {{- include "platformc.metadata" (dict "values" $.Values) | nindent 2 }}
spec:
  {{- with .className }}
  ingressClassName: {{ . | quote }}
  {{- end }}
  rules:
    - host: {{ required "platformc-lib: ingress needs a host" .host | quote }}
      http:
        paths:
          - path: {{ .path | default "/" | quote }}
            pathType: Prefix
            backend:
              service:
                name: {{ $.Values.name | quote }}
                port:
                  name: {{ required "platformc-lib: ingress needs a port name" .port | quote }}
{{- end }}
{{- end -}}
