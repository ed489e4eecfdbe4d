"""`GET /api/session/{id}/review` through the app on a fake TMDB whose every director's gender,
film's original language, countries and genres are known: the gaps checked exactly against
figures the test computes from the catalogue it built; a year and all time; a share id; 404;
422."""

from __future__ import annotations

from collections import Counter
from typing import Any

from letterboxd_stats.kit.regions import region_name
from tests.fixtures.apps import AppClient
from tests.fixtures.exports import DIARY, FILM, REVIEWS, csv_text, make_zip
from tests.fixtures.tmdb import TMDB_SETTINGS, FakeFilm, FakeTmdb
from tests.fixtures.uploads import upload_completed

DRAMA, CRIME, COMEDY, HORROR = (18, "Drama"), (80, "Crime"), (35, "Comedy"), (27, "Horror")


def _film(film_id: int, title: str, year: int, **fields: Any) -> FakeFilm:
    return FakeFilm(film_id, title, year, **fields)


# The library: each film's directors' genders (None: TMDB says nothing), language, countries.
LIBRARY = [
    _film(8001, "Amber Road", 1994, director_genders=(1,), original_language="fr",
          countries=("FR",), genres=(DRAMA,)),
    _film(8002, "Brass Moon", 2024, director_genders=(2, 1), countries=("US", "GB"),
          genres=(DRAMA, CRIME)),
    _film(8003, "Cobalt Sky", 2005, director_genders=(2,), original_language="ja",
          countries=("JP",), genres=(COMEDY,)),
    _film(8004, "Dusk Harbour", 1975, director_genders=(None,), countries=("US",),
          genres=(CRIME,)),
    _film(8005, "Ember Field", 2024, director_genders=(3,), original_language="ko",
          countries=("KR",), genres=(DRAMA,)),
    _film(8006, "Frost Garden", 1962, director_genders=(0, 2), original_language="it",
          countries=("IT", "FR"), genres=(COMEDY, DRAMA)),
]  # fmt: skip
# On the watchlist only: in the stored catalogue, not the user's films.
WATCHLIST = [
    _film(8101, "Glass Orchard", 1931, countries=("IR",), genres=(DRAMA,)),
    _film(8102, "Hollow Tide", 1948, countries=("IN",), genres=(CRIME,)),
    _film(8103, "Ivory Lantern", 1955, countries=("IR", "EG"), genres=(DRAMA,)),
    _film(8104, "Jade Bridge", 1994, countries=("FR",), genres=(COMEDY,)),
    _film(8105, "Kestrel Night", 1933, countries=("BR",), genres=(HORROR,)),  # other genre
]
# Diary: (film, watched date, rewatch, rating in stars or "")
DIARY_ROWS = [
    (LIBRARY[0], "2023-03-04", False, "4"),
    (LIBRARY[0], "2024-01-10", True, "4.5"),
    (LIBRARY[1], "2024-01-10", False, "3"),
    (LIBRARY[2], "2024-02-14", False, ""),
    (LIBRARY[4], "2024-03-01", False, "5"),
    (LIBRARY[3], "2023-07-07", False, "2.5"),
    (LIBRARY[5], "2022-12-25", False, "3.5"),
]
REVIEWED = LIBRARY[1]  # reviewed on its 2024 viewing
YEAR = 2024


def _review_row() -> str:
    f = REVIEWED
    return f"2024-01-10,{f.title},{f.year},https://boxd.it/r,3,,Fine,,2024-01-10"


def _export() -> bytes:
    diary = [
        f"{on},{f.title},{f.year},https://boxd.it/d{n},{rating},{'Yes' if rewatch else ''},,{on}"
        for n, (f, on, rewatch, rating) in enumerate(DIARY_ROWS)
    ]
    return make_zip(
        {
            "watched.csv": csv_text(
                FILM, [f"2024-12-01,{f.title},{f.year},https://boxd.it/f{f.id}" for f in LIBRARY]
            ),
            "diary.csv": csv_text(DIARY, diary),
            "reviews.csv": csv_text(REVIEWS, [_review_row()]),
            "watchlist.csv": csv_text(
                FILM, [f"2024-05-01,{f.title},{f.year},https://boxd.it/w{f.id}" for f in WATCHLIST]
            ),
        }
    )


async def _library(make_client: Any) -> tuple[AppClient, str]:
    client: AppClient = await make_client(
        tmdb_transport=FakeTmdb([*LIBRARY, *WATCHLIST]).transport(), **TMDB_SETTINGS
    )
    session_id = await upload_completed(client, _export())
    await client.app.state.runner.wait_idle()  # the watchlist's films stored too
    return client, session_id


# --- what the answer must be, computed from the catalogue above ---


def _period(year: int | None) -> list[FakeFilm]:
    seen = {f.id for f, on, *_ in DIARY_ROWS if year is None or on.startswith(str(year))}
    return [f for f in LIBRARY if year is None or f.id in seen]


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def _expected_gaps(year: int | None) -> dict[str, Any]:
    films = _period(year)
    genders = [f.director_genders or () for f in films]
    known = [g for g in genders if g and all(x in (1, 2, 3) for x in g)]
    women = sum(1 for g in known if 1 in g)
    other = sum(1 for f in films if f.original_language != "en")
    genre_counts = Counter(g for f in films for g in f.genres)
    top = {g for g, _ in sorted(genre_counts.items(), key=lambda kv: (-kv[1], kv[0][1]))[:5]}
    catalogue = [f for f in (*LIBRARY, *WATCHLIST) if top & set(f.genres)]
    decades = {f.year // 10 * 10 for f in catalogue} - {f.year // 10 * 10 for f in films}
    seen_countries = {c for f in films for c in f.countries}
    never = Counter(c for f in catalogue for c in f.countries if c not in seen_countries)
    return {
        "women_directors": {
            "based_on": len(films), "known": len(known), "films": women,
            "share": _share(women, len(known)),
            "unknown_share": _share(len(films) - len(known), len(films)),
        },
        "non_english": {
            "based_on": len(films), "known": len(films), "films": other,
            "share": _share(other, len(films)), "unknown_share": 0.0,
        },
        "decades_never": {"based_on": len(catalogue), "items": sorted(decades)},
        "countries_never": {
            "based_on": len(catalogue),
            "items": [
                {"code": c, "name": region_name(c), "catalogue_films": n}
                for c, n in sorted(never.items(), key=lambda kv: (-kv[1], region_name(kv[0])))
            ],
        },
    }  # fmt: skip


def _continents(year: int | None) -> dict[str, int]:
    continent = {"FR": "EU", "GB": "EU", "IT": "EU", "US": "NA", "JP": "AS", "KR": "AS"}
    counts = Counter(dict.fromkeys(("AF", "AS", "EU", "NA", "OC", "SA"), 0))
    for f in _period(year):
        counts.update({continent[c] for c in f.countries})
    return dict(counts)


async def test_the_gaps_of_a_year_and_of_all_time(make_client: Any) -> None:
    client, session_id = await _library(make_client)
    for year in (YEAR, None):
        query = "" if year is None else f"?year={year}"
        response = await client.get(f"/api/session/{session_id}/review{query}")
        assert response.status_code == 200, response.text
        body = response.json()
        assert (body["session_id"], body["year"]) == (session_id, year)
        gaps = body["gaps"]
        expected = _expected_gaps(year)
        for key, value in expected.items():
            assert gaps[key] == value, (year, key)
        films = _period(year)
        continents = gaps["continents"]
        assert (continents["based_on"], continents["unknown"]) == (len(films), 0)
        assert {c["code"]: c["films"] for c in continents["items"]} == _continents(year)
        for item in continents["items"]:
            assert item["share"] == _share(item["films"], len(films))
        countries = Counter(c for f in films for c in f.countries)
        assert {c["code"]: c["films"] for c in body["countries"]["items"]} == dict(countries)
        assert body["countries"]["based_on"] == len(films)


async def test_the_years_breakdowns_calendar_grid_and_drift(make_client: Any) -> None:
    client, session_id = await _library(make_client)
    body = (await client.get(f"/api/session/{session_id}/review?year={YEAR}")).json()
    rows = [r for r in DIARY_ROWS if r[1].startswith(str(YEAR))]
    films = _period(YEAR)
    releases = body["breakdowns"]["releases"]
    new = sum(1 for f in films if f.year >= YEAR)
    assert releases == {
        "based_on": len(films), "of_period": new, "older": len(films) - new, "unknown": 0
    }  # fmt: skip
    rewatches = sum(1 for r in rows if r[2])
    assert body["breakdowns"]["first_watches"] == {
        "based_on": len(rows), "first": len(rows) - rewatches, "rewatches": rewatches
    }  # fmt: skip
    assert body["breakdowns"]["reviewed"] == {
        "based_on": len(films), "reviewed": 1, "not_reviewed": len(films) - 1
    }  # fmt: skip
    per_day = Counter(r[1] for r in rows)
    assert body["calendar"] == [
        {
            "year": YEAR,
            "days": [{"date": d, "viewings": n} for d, n in sorted(per_day.items())],
            "max": max(per_day.values()),
        }
    ]
    by_month: dict[str, list[float]] = {}
    for _, on, _, rating in rows:
        if rating:
            by_month.setdefault(on[:7], []).append(float(rating))
    assert body["rating_drift"] == [
        {"period": m, "mean": round(sum(v) / len(v), 2), "ratings": len(v)}
        for m, v in sorted(by_month.items())
    ]
    grid = body["decade_genre"]
    assert grid["based_on"] == len(films)
    assert grid["decades"] == sorted({f.year // 10 * 10 for f in films})
    cells = Counter((f.year // 10 * 10, name) for f in films for _, name in f.genres)
    assert {(c["decade"], c["genre"]): c["films"] for c in grid["cells"]} == dict(cells)


async def test_all_time_calendar_and_releases(make_client: Any) -> None:
    client, session_id = await _library(make_client)
    body = (await client.get(f"/api/session/{session_id}/review")).json()
    years = sorted({int(r[1][:4]) for r in DIARY_ROWS})
    assert [c["year"] for c in body["calendar"]] == years
    first: dict[int, str] = {}
    for f, on, *_ in DIARY_ROWS:
        first[f.id] = min(first.get(f.id, on), on)
    of_period = sum(1 for f in LIBRARY if int(first[f.id][:4]) <= f.year)
    assert body["breakdowns"]["releases"] == {
        "based_on": len(LIBRARY), "of_period": of_period,
        "older": len(LIBRARY) - of_period, "unknown": 0,
    }  # fmt: skip
    assert body["breakdowns"]["first_watches"]["based_on"] == len(DIARY_ROWS)


async def test_a_share_id_reads_it_and_sees_its_share_id(make_client: Any) -> None:
    client, session_id = await _library(make_client)
    share_id = (await client.post(f"/api/session/{session_id}/share")).json()["share_id"]
    owner = (await client.get(f"/api/session/{session_id}/review?year={YEAR}")).json()
    viewer = await client.get(f"/api/session/{share_id}/review?year={YEAR}")
    assert viewer.status_code == 200
    assert viewer.json()["session_id"] == share_id
    assert session_id not in viewer.text
    assert viewer.json() | {"session_id": session_id} == owner


async def test_unknown_id_and_bad_years(make_client: Any) -> None:
    client: AppClient = await make_client()
    missing = await client.get("/api/session/00000000-0000-4000-8000-000000000000/review")
    assert missing.status_code == 404
    assert missing.json()["error"] == "SessionNotFound"
    assert (await client.get("/api/session/not-an-id/review")).status_code == 404
    client2, session_id = await _library(make_client)
    for bad in ("1869", "2101", "twenty"):
        response = await client2.get(f"/api/session/{session_id}/review?year={bad}")
        assert response.status_code == 422, bad
        assert response.json()["detail"]
    stats = await client2.get(f"/api/session/{session_id}/stats?year=1869")
    assert stats.status_code == 422  # the same rule as /stats
