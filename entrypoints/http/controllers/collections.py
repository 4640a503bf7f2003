from __future__ import annotations

from litestar import Controller, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from application.use_cases.add_to_collection_scope import AddToCollectionScope
from application.use_cases.create_collection import CreateCollection
from application.use_cases.get_collection import GetCollection
from application.use_cases.list_collections import ListCollections
from domain.collection import Collection, ScopeEntry
from domain.definition import DefinitionType
from entrypoints.http.responses import api_error_specs
from entrypoints.http.schemas import (
    CollectionCreate,
    CollectionData,
    CollectionDetail,
    CollectionSummary,
    EntityId,
    ScopeEntryBody,
    ScopeEntryOut,
)


class CollectionController(Controller):
    path = "/api/public/collection"
    tags = ("Collections",)

    @post(
        "/create",
        operation_id="createCollection",
        summary="Create an empty collection",
        status_code=200,
        sync_to_thread=True,
        responses=api_error_specs(
            {400: "The name is not usable, or the body is not JSON."}, with_body=True
        ),
    )
    def create(
        self,
        create_collection: NamedDependency[CreateCollection],
        data: JSONBody[CollectionCreate | None] = None,
    ) -> EntityId:
        body = data or CollectionCreate()
        return EntityId(id=create_collection(body.name, body.ownerId).id)

    @get(
        operation_id="listCollections",
        summary="Every collection",
        sync_to_thread=True,
        responses=api_error_specs(),
    )
    def list_all(
        self, list_collections: NamedDependency[ListCollections]
    ) -> list[CollectionSummary]:
        return [CollectionSummary(c.id, c.name) for c in list_collections()]

    @get(
        "/{collection_id:str}",
        operation_id="getCollection",
        summary="A collection with its scope",
        sync_to_thread=True,
        responses=api_error_specs({404: "The collection does not exist."}),
    )
    def get_one(
        self, get_collection: NamedDependency[GetCollection], collection_id: FromPath[str]
    ) -> CollectionDetail:
        return _detail(get_collection(collection_id))

    @put(
        "/{collection_id:str}/scope",
        operation_id="addCollectionScope",
        summary="Add definitions (and their tenants) to a collection's scope",
        status_code=204,
        sync_to_thread=True,
        responses=api_error_specs(
            {400: "The body is not a list of scope entries.", 404: "No such collection."},
            with_body=True,
        ),
    )
    def add_scope(
        self,
        add_to_collection_scope: NamedDependency[AddToCollectionScope],
        collection_id: FromPath[str],
        data: JSONBody[list[ScopeEntryBody]],
    ) -> None:
        entries = [
            ScopeEntry(DefinitionType(e.definitionType), e.definitionKey, tuple(e.tenants))
            for e in data
        ]
        add_to_collection_scope(collection_id, entries)


def _detail(collection: Collection) -> CollectionDetail:
    return CollectionDetail(
        id=collection.id,
        name=collection.name,
        owner=collection.owner_id,
        created=collection.created.isoformat(),
        data=CollectionData(
            configuration={},
            scope=[
                ScopeEntryOut(e.id, e.definition_type.value, e.key, list(e.tenants))
                for e in collection.scope
            ],
        ),
    )
