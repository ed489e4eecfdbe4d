"""What the pages take from the app rather than writing it down a second time: the session TTL
on the upload page (a setting), the fewest rated films a ranking by rating needs and the
years the API takes (the API's)."""

from __future__ import annotations

from letterboxd_stats.stats.schemas import MIN_RATED
from letterboxd_stats.stats.service import MAX_YEAR, MIN_YEAR
from tests.fixtures.apps import AppFactory
from tests.fixtures.exports import make_zip, multipart, small_export


async def test_the_upload_page_says_the_configured_session_ttl(make_client: AppFactory) -> None:
    client = await make_client(session_ttl_days=7)
    page = (await client.get("/")).text
    assert "Uploads are kept for 7 days after your last visit." in page
    assert "30 days" not in page
    missing = await client.get("/session/00000000-0000-4000-8000-000000000000")
    assert missing.status_code == 404
    assert "uploads are kept for 7 days after their last visit" in missing.text
    assert "30 days" not in missing.text


async def test_the_pages_say_when_libraries_never_expire(make_client: AppFactory) -> None:
    client = await make_client(session_ttl_days=0)
    assert "Uploads are kept until you delete them." in (await client.get("/")).text
    missing = (await client.get("/session/00000000-0000-4000-8000-000000000000")).text
    assert "expired" not in missing
    upload = await client.post("/api/upload", files=multipart(("a.zip", make_zip(small_export()))))
    data = (await client.get(f"/session/{upload.json()['session_id']}/data")).text
    assert "keeps libraries until they are deleted" in " ".join(data.split())


async def test_the_dashboard_is_given_the_minimum_rated_films(make_client: AppFactory) -> None:
    client = await make_client()
    upload = await client.post("/api/upload", files=multipart(("a.zip", make_zip(small_export()))))
    session_id = upload.json()["session_id"]
    page = (await client.get(f"/session/{session_id}")).text
    assert f'data-min-rated="{MIN_RATED}"' in page
    for path in ("", "/watch", "/completion", "/review", "/data"):
        page = (await client.get(f"/session/{session_id}{path}")).text
        assert f'data-min-year="{MIN_YEAR}" data-max-year="{MAX_YEAR}"' in page
