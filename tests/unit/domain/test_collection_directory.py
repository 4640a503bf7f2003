"""The directory form's names and manifest: file-name slugs that transliterate instead of
dropping letters, and the check that tells a whole pull from a part of one."""

from __future__ import annotations

import pytest

from domain.collection_directory import Manifest, directory_problems, read_manifest, slug
from domain.source_label import LONGEST, source_label


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Überblick", "uberblick"),
        ("Zeit für", "zeit-fur"),
        ("Straße & Brücke", "strasse-brucke"),
        ("Crème Brûlée (EU)", "creme-brulee-eu"),
        ("Łódź", "lodz"),
        ("Отчёт по дням", "отчёт-по-дням"),
        ("日本語レポート", "日本語レポート"),
        ("ﬁle №1", "file-no1"),
        ("!!!", "untitled"),
    ],
)
def test_a_slug_takes_the_accents_off_latin_letters_and_keeps_every_letter(
    name: str, expected: str
) -> None:
    assert slug(name) == expected


def test_a_slug_is_at_most_48_characters_and_never_ends_in_a_dash() -> None:
    made = slug("word " * 30)
    assert len(made) <= 48
    assert not made.endswith("-")


WHOLE = Manifest("http://s", "c", {"r1": "reports/a.json", "d1": "dashboards/b.json"})


def test_a_directory_holding_exactly_its_manifests_entities_has_no_problem() -> None:
    read = {"r1": "reports/renamed.json", "d1": "dashboards/b.json"}
    assert directory_problems(WHOLE, read, pull_unfinished=False) == []


def test_each_way_a_directory_falls_short_of_its_manifest_is_named() -> None:
    assert directory_problems(WHOLE, {"r1": "reports/a.json"}, pull_unfinished=False) == [
        "1 file(s) of boardport.json are missing: dashboards/b.json"
    ]
    read = {"r1": "reports/a.json", "d1": "dashboards/b.json", "x": "reports/x.json"}
    assert directory_problems(WHOLE, read, pull_unfinished=False) == [
        "1 file(s) are not in boardport.json: reports/x.json"
    ]
    assert directory_problems(WHOLE, {}, pull_unfinished=True) == [
        "the last pull into it did not finish"
    ]
    assert directory_problems(None, {}, pull_unfinished=False) == [
        "it has no boardport.json, which boardport pull writes last"
    ]


def test_a_manifest_without_an_entity_list_is_read_as_not_listing_them() -> None:
    manifest = read_manifest('{"source": "http://s", "collection": "c"}')
    assert manifest == Manifest("http://s", "c", None)
    assert read_manifest("not json") is None
    assert read_manifest(None) is None


def test_a_source_label_is_the_source_url_and_collection_within_200_printable_characters() -> None:
    assert source_label("https://optimize.example/", "c1") == "https://optimize.example c1"
    long = source_label("https://optimize.example/" + "x" * 300, "c1")
    assert len(long) <= LONGEST
    assert long != source_label("https://optimize.example/" + "x" * 300, "c2")
    assert source_label("http://s", "a\nb").isprintable()
