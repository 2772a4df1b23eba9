"""Settings Argo CD itself must have for the platform's Applications (its `argocd-cm`).

Argo CD has had no health check for `argoproj.io/Application` since 1.8: without one,
an app-of-apps does not wait for an Application of an earlier sync wave to be healthy
before the next wave, so waves order nothing. The check reports a child Application's
own health (Progressing until it has one). It goes into the bootstrap values (the first
install) and into the values of the platform's own argo-cd chart, so that Argo CD
syncing itself keeps it.
"""

from __future__ import annotations

HEALTH_KEY = "resource.customizations.health.argoproj.io_Application"
APPLICATION_HEALTH = """\
hs = {}
hs.status = "Progressing"
hs.message = ""
if obj.status ~= nil and obj.status.health ~= nil then
  hs.status = obj.status.health.status
  if obj.status.health.message ~= nil then
    hs.message = obj.status.health.message
  end
end
return hs
"""
# argocd-cm keys (the argo-cd chart's `configs.cm`) the platform sets unless the author did.
ARGOCD_CM: dict[str, str] = {HEALTH_KEY: APPLICATION_HEALTH}
