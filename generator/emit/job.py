"""A job's or cronjob's run, and the Argo CD hook a job runs as, in the library chart's shape.

A hook job runs in its phase (PreSync before everything else of its application,
Sync in its wave with the rest, PostSync after the whole application is healthy);
every object of the component carries the same hook annotations, so its
ServiceAccount and ConfigMap exist when its pod starts. See docs/language.md.
"""

from __future__ import annotations

from generator.emit.tree import Output
from generator.model.types import Component

HOOK = "argocd.argoproj.io/hook"
HOOK_DELETE_POLICY = "argocd.argoproj.io/hook-delete-policy"
# A failed run is retried this often unless `job.backoffLimit` says otherwise.
DEFAULT_BACKOFF_LIMIT = 3


def run_values(component: Component) -> Output:
    """`cronjob:` and `job:` of the contract for a cronjob or job; nothing for other workloads."""
    kind = component.workload_type
    values: Output = {}
    if kind == "cronjob":
        values["cronjob"] = {
            "schedule": component.schedule or "",
            "suspend": bool(component.suspend),
            "concurrencyPolicy": "Forbid",
        }
    if kind in ("job", "cronjob"):
        values["job"] = job_values(component)
    return values


def job_values(component: Component) -> Output:
    """`job:` of the contract: the spec fields of a Job (also a CronJob's jobTemplate)."""
    run = component.job
    if run is None:
        return {"backoffLimit": DEFAULT_BACKOFF_LIMIT}
    values: Output = {
        "backoffLimit": DEFAULT_BACKOFF_LIMIT if run.backoff_limit is None else run.backoff_limit
    }
    if run.active_deadline_seconds is not None:
        values["activeDeadlineSeconds"] = run.active_deadline_seconds
    if run.ttl_seconds_after_finished is not None:
        values["ttlSecondsAfterFinished"] = run.ttl_seconds_after_finished
    return values


def hook_annotations(component: Component) -> dict[str, str]:
    """The Argo CD hook annotations on every object of a hook job; none for anything else."""
    if component.hook is None or component.job is None:
        return {}
    return {HOOK: component.hook, HOOK_DELETE_POLICY: component.job.hook_delete_policy}
