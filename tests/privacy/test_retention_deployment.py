"""The `retention` deployment runs daily in Amsterdam and takes no personal data."""

from __future__ import annotations

import inspect
from pathlib import Path

import yaml

from flows.retention import retention

PREFECT_YAML = Path(__file__).resolve().parents[2] / "prefect.yaml"


def deployments() -> dict[str, dict]:
    return {d["name"]: d for d in yaml.safe_load(PREFECT_YAML.read_text())["deployments"]}


def test_retention_is_deployed_daily_like_dispatch():
    retention_, dispatch_ = deployments()["retention"], deployments()["dispatch"]
    assert retention_["entrypoint"] == "flows/retention.py:retention"
    [schedule] = retention_["schedules"]
    minute, hour, day, month, weekday = schedule["cron"].split()
    assert minute.isdigit() and hour.isdigit() and (day, month, weekday) == ("*", "*", "*")
    assert schedule["timezone"] == "Europe/Amsterdam"
    assert retention_["work_pool"] == dispatch_["work_pool"]
    assert retention_["tags"] == dispatch_["tags"]
    assert retention_.get("description") and retention_.get("parameters") is None


def test_the_flow_takes_a_moment_and_a_flag_only():
    parameters = inspect.signature(retention.fn).parameters
    assert list(parameters) == ["as_of", "dry_run"]
