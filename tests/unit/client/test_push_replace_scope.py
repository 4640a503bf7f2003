"""push --prune against an Optimize deletes only what the previous push to the same collection
of the same target created: never what a push to another collection, or to another server,
created."""

from __future__ import annotations

import itertools
from typing import Any

from application.deploy.delivery import DeliveryOptions
from application.ports.optimize_server import ServerKind
from application.use_cases.push_directory import PushDirectory, PushOptions, PushResult
from tests.client_fakes import FakeFileTree, MemorySpool, NoReleaseConverter
from tests.fake_optimize_server import FakeOptimizeServer
from tests.unit.client.scenarios import pulled, source_server

A, B = "collection-a", "collection-b"


def optimize(url: str, first_id: int) -> FakeOptimizeServer:
    """An Optimize (no overwrite, so each push creates) whose new IDs start at `first_id`, so
    that no two servers of a test hand out the same ID."""
    return FakeOptimizeServer(
        url=url,
        server_kind=ServerKind.OPTIMIZE,
        check_definitions=False,
        _ids=itertools.count(first_id),
    )


def push(
    target: FakeOptimizeServer, tree: FakeFileTree, collection_id: str, *, replace: bool = False
) -> PushResult:
    return PushDirectory(target, tree, MemorySpool(), converter=NoReleaseConverter())(
        collection_id, PushOptions(DeliveryOptions(prune=replace))
    )


def ids_in(target: FakeOptimizeServer, collection_id: str) -> list[Any]:
    return sorted(e["id"] for e in target.holds(collection_id))


def created(result: PushResult) -> list[str]:
    return sorted(result.id_map().values())


def test_a_first_push_with_replace_to_another_collection_deletes_nothing() -> None:
    tree, target = FakeFileTree(), optimize("http://target.invalid", 1000)
    pulled(source_server(), tree)
    into_a = push(target, tree, A)
    into_b = push(target, tree, B, replace=True)
    assert into_b.deleted == ()
    assert ids_in(target, A) == created(into_a)
    assert ids_in(target, B) == created(into_b)


def test_replace_follows_each_collection_of_each_target_on_its_own() -> None:
    tree = FakeFileTree()
    pulled(source_server(), tree)
    one, two = optimize("http://one.invalid", 1000), optimize("http://two.invalid", 5000)
    one_a, one_b, two_a = push(one, tree, A), push(one, tree, B), push(two, tree, A)
    replaced = push(one, tree, A, replace=True)
    assert sorted(replaced.deleted) == created(one_a)
    assert ids_in(one, A) == created(replaced)
    assert ids_in(one, B) == created(one_b)
    assert ids_in(two, A) == created(two_a)
    again = push(two, tree, A, replace=True)
    assert sorted(again.deleted) == created(two_a)
    assert ids_in(two, A) == created(again)
    assert ids_in(one, A) == created(replaced)
    assert ids_in(one, B) == created(one_b)
