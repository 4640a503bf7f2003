"""Deploys that converge (issue 20), with real processes on loopback: two `boardport serve`
(a source with the demo collection; a target on SQLite, then on PostgreSQL), the `boardport`
command, and a fault-injecting proxy in front of the target. For each fault kind, the run
tells the truth in its exit status and summary, and a rerun leaves each entity once."""

from __future__ import annotations

import subprocess
from typing import Any

import pytest

from tests.system.deploys import (
    DEMO_ENTITIES,
    DeployServers,
    demo_once,
    document,
    fresh_collection,
    held,
    migrate_to,
)
from tests.system.fault_proxy import Fault, fault_proxy
from tests.system.test_client import BOARDPORT, RUN_SECONDS, client_environ, migrate_args

IMPORT = "/api/public/import"
FAULTS: dict[str, dict[str, Any]] = {
    "502-before": {"action": "502"},
    "503-before": {"action": "503"},
    "504-before": {"action": "504"},
    "502-after": {"action": "502", "after": True},
    "503-after": {"action": "503", "after": True},
    "504-after": {"action": "504", "after": True},
    "cut-mid-way": {"action": "cut"},
    "dropped-after-commit": {"action": "drop", "after": True},
}
"""Each fault once, on the first try of the import."""


@pytest.mark.parametrize("fault", list(FAULTS.values()), ids=list(FAULTS))
def test_a_fault_of_the_import_is_retried_with_its_key_and_a_rerun_converges(
    converging: DeployServers, fault: dict[str, Any]
) -> None:
    collection_id = fresh_collection(converging)
    with fault_proxy(converging.target.url) as (url, proxy):
        proxy.faults.append(Fault("POST", IMPORT, **fault))
        first = document(migrate_to(converging, collection_id, url))
    tries = [s for s in proxy.seen if s.path.startswith(IMPORT)]
    acted = fault.get("after", False) or fault["action"] == "cut"
    assert [s.outcome for s in tries][1:] == ["forwarded"]
    assert len({s.idempotency_key for s in tries}) == 1
    assert tries[1].replayed is acted  # the first try's answer, not a second import
    assert first["counts"]["created"] == DEMO_ENTITIES
    assert first["retries"] == 1
    assert held(converging.target, collection_id) == demo_once(converging)
    again = document(migrate_to(converging, collection_id))
    assert again["counts"]["unchanged"] == DEMO_ENTITIES
    assert held(converging.target, collection_id) == demo_once(converging)


def test_an_import_delayed_past_the_timeout_is_tried_again_and_lands_once(
    converging: DeployServers,
) -> None:
    collection_id = fresh_collection(converging)
    delay = Fault("POST", IMPORT, "delay", seconds=6)
    with fault_proxy(converging.target.url) as (url, proxy):
        proxy.faults.append(delay)
        first = document(
            migrate_to(converging, collection_id, url, BOARDPORT_CLIENT_TIMEOUT_SECONDS="2")
        )
        assert delay.forwarded.wait(timeout=RUN_SECONDS), "the delayed try never reached it"
    assert first["counts"]["created"] == DEMO_ENTITIES
    assert first["retries"] >= 1
    assert held(converging.target, collection_id) == demo_once(converging)
    assert document(migrate_to(converging, collection_id))["counts"]["unchanged"] == DEMO_ENTITIES


def test_a_probe_that_cannot_be_read_stops_the_run_and_nothing_is_imported(
    converging: DeployServers,
) -> None:
    collection_id = fresh_collection(converging)
    with fault_proxy(converging.target.url) as (url, proxy):
        proxy.only_api = True  # /schema/openapi.json is a 404 page
        proxy.faults.append(Fault("GET", "/api/readyz", "503", times=100))
        run = migrate_to(converging, collection_id, url)
    assert run.returncode == 1
    assert f"target {url}: serverKindUnknown: cannot tell whether {url} is a boardport" in (
        run.stderr
    )
    assert proxy.outcomes("POST", IMPORT) == []
    assert held(converging.target, collection_id) == {}


def test_a_gateway_that_routes_only_the_api_still_shows_a_boardport(
    converging: DeployServers,
) -> None:
    collection_id = fresh_collection(converging)
    with fault_proxy(converging.target.url) as (url, proxy):
        proxy.only_api = True
        document(migrate_to(converging, collection_id, url))
        again = document(migrate_to(converging, collection_id, url))
    assert again["converging"] is True
    assert again["counts"]["unchanged"] == DEMO_ENTITIES
    assert held(converging.target, collection_id) == demo_once(converging)


def test_killing_the_client_mid_import_and_running_it_again_converges(
    converging: DeployServers,
) -> None:
    collection_id = fresh_collection(converging)
    hold = Fault("POST", IMPORT, "hold")
    with fault_proxy(converging.target.url) as (url, proxy):
        proxy.faults.append(hold)
        process = subprocess.Popen(  # noqa: S603 - our own console script
            [
                str(BOARDPORT),
                *migrate_args(collection_id, source=converging.source.url, target=url),
            ],
            env=client_environ(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            assert hold.arrived.wait(timeout=RUN_SECONDS), "the import never reached the proxy"
        finally:
            process.kill()  # SIGKILL: no clean-up of any kind
            process.wait(timeout=30)
        hold.release.set()  # the import the killed client sent lands after all
        assert hold.forwarded.wait(timeout=RUN_SECONDS)
    again = document(migrate_to(converging, collection_id))
    assert again["counts"]["unchanged"] == DEMO_ENTITIES
    assert held(converging.target, collection_id) == demo_once(converging)
