"""The export a page asks for: the ticked dashboards and reports (or every one a collection
page's search matches) in the chosen release's format, as a download, the API's bytes."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, post
from litestar.datastructures import FormMultiDict
from litestar.di import NamedDependency
from litestar.params import SkipValidation
from litestar.response import Stream, Template
from litestar.status_codes import HTTP_400_BAD_REQUEST

from application.ports.collection_listing import DEFAULT_PAGE_SIZE
from application.ports.export import (
    Export,
    ExportAnswer,
    ExportKind,
    ExportRequest,
    ExportTarget,
)
from application.use_cases.list_collection_page import ListCollectionPage
from domain.errors import DomainError
from domain.export_format.losses import LossesRefused
from entrypoints.asgi_shared.export_answers import LOSSES_HEADER, losses_header, send
from entrypoints.error_table import body_for
from entrypoints.web.collection_pages import ListingView
from entrypoints.web.error_pages import error_page


class ExportPages(Controller):
    """The router's guard lets only a signed-in session through."""

    path = "/"
    include_in_schema = False

    @post("/export")
    async def export(
        self,
        request: Request[Any, Any, Any],
        export: NamedDependency[SkipValidation[Export]],  # a Protocol: not checked
        list_collection_page: NamedDependency[ListCollectionPage],
    ) -> Response[Any] | Template:
        """The file the API answers for the ticked entities (or every one the search matches),
        in the chosen release's format: the API's dashboard export, its report export, or both
        in one array when both are ticked, which an import takes as it is. With losses
        allowed, what the release loses is shown first, and downloaded from there."""
        form = await request.form()
        try:
            target = ExportTarget.named(
                _text(form.get("release")) or None, allow_loss=form.get("allow_loss") == "true"
            )
            dashboards, reports = _chosen(form, list_collection_page)
            if not dashboards and not reports:
                return _nothing_ticked(request)
            answers = await _answers(export, target, dashboards, reports)
        except LossesRefused as refused:
            return _export_refused(request, LossesRefused(refused.release, refused.losses, _HINT))
        except DomainError as refused:
            return _export_refused(request, refused)
        losses = tuple(loss for a in answers for loss in a.losses)
        if losses and form.get("losses_seen") != "true":
            for answer in answers:
                await answer.aclose()
            return _losses_page(target, dashboards, reports, losses)
        name = {
            (True, False): "boardport-dashboards.json",
            (False, True): "boardport-reports.json",
        }.get((bool(dashboards), bool(reports)), "boardport-export.json")
        response = await (send(answers[0]) if len(answers) == 1 else _together(*answers))
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


_HINT = (
    "Tick “Write it even if that release cannot hold everything” to see what it loses, "
    "then download it without these."
)


def _chosen(form: FormMultiDict, listing: ListCollectionPage) -> tuple[list[str], list[str]]:
    """The dashboards and reports to export: those ticked, or with `scope=matching` every one
    the page's search matches (the page's own parameters come back as hidden fields)."""
    if form.get("scope") != "matching":
        return _strings(form.getall("dashboard", [])), _strings(form.getall("report", []))
    collection = _text(form.get("collection")) or None
    view = ListingView.read(
        "",
        q=_text(form.get("q")),
        type_=_text(form.get("type")) or "all",
        sort=_text(form.get("sort")) or "created",
        order=_text(form.get("order")) or "asc",
        page=1,
        size=DEFAULT_PAGE_SIZE,
    )
    matching = listing.matching_ids(view.query(collection))
    return list(matching.dashboards), list(matching.reports)


async def _answers(
    export: Export, target: ExportTarget, dashboards: list[str], reports: list[str]
) -> list[ExportAnswer]:
    kinds: list[tuple[ExportKind, list[str]]] = [("dashboards", dashboards), ("reports", reports)]
    answers: list[ExportAnswer] = []
    try:
        for kind, ids in kinds:
            if ids:
                answers.append(await export.answer(ExportRequest.of(kind, ids, target)))
    except BaseException:
        for answer in answers:
            await answer.aclose()
        raise
    return answers


async def _together(first: ExportAnswer, second: ExportAnswer) -> Response[Any]:
    """Both answers as one JSON array: the first without its closing bracket, a comma, the
    second without its opening one. An entity in both (a ticked report that a ticked dashboard
    shows) is there twice, identical, which an import takes as one."""

    async def blocks() -> Any:
        try:
            held = b""
            async for block in first:
                if held:
                    yield held
                held = block
            yield held.rstrip()[:-1] + b","
            opening = True
            async for block in second:
                if opening:
                    stripped = block.lstrip()
                    if not stripped:
                        continue
                    block = stripped[1:]  # noqa: PLW2901 - the same block, bracket off
                    opening = False
                yield block
        finally:
            await first.aclose()
            await second.aclose()

    losses = (*first.losses, *second.losses)
    headers = {LOSSES_HEADER: losses_header(losses)} if losses else {}
    return Stream(blocks(), media_type="application/json", headers=headers, status_code=200)


def _nothing_ticked(request: Request[Any, Any, Any]) -> Template:
    return error_page(
        request,
        HTTP_400_BAD_REQUEST,
        "Nothing to export",
        "No dashboard or report was ticked. Go back, tick the ones to export (or use "
        "“Export all matching”), and export again.",
    )


def _export_refused(request: Request[Any, Any, Any], refused: DomainError) -> Template:
    body = body_for(refused)
    return error_page(
        request,
        body.status,
        "The export was refused",
        body.detailed_message,
        code=body.error_code,
    )


def _losses_page(
    target: ExportTarget, dashboards: list[str], reports: list[str], losses: tuple[Any, ...]
) -> Template:
    return Template(
        "export_losses.html",
        context={
            "release": target.release.name,
            "dashboards": dashboards,
            "reports": reports,
            "losses": losses,
        },
    )


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _strings(values: list[Any]) -> list[str]:
    return [v for v in values if isinstance(v, str)]
