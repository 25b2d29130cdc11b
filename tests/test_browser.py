"""Real browser tests: Playwright driving Debian's Chromium against `avatar serve`'s app.

Needs ``/usr/bin/chromium`` (``apt-get install chromium``; scripts/setup.sh installs it for
the test setup) and the ``playwright`` package — never ``playwright install``. Screenshots
go to tests/artifacts/. The model is the ScriptedBackend and the embedder the HashEmbedder:
these scenarios are about the app, not the model.
"""

from __future__ import annotations

import re
import shutil
import uuid
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import ROOT

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "tests" / "artifacts"
PASSWORD = "studio-pass-for-tests"
LABEL = "🤖 AI-generated · Mara Okafor's avatar"
LIVE_RECORD = re.compile(r'"channel"\s*:\s*"live"')

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium (apt-get install chromium)"),
]
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The combined app on a free 127.0.0.1 port; the persona starts with an empty store."""
    from avatar.avatar import Avatar
    from avatar.config import load_persona
    from avatar.server.http_api import serve_in_background
    from avatar.stores.chroma import PersonaStore, make_client
    from avatar.testing import HashEmbedder, ScriptedBackend
    from avatar.server.server import create_server

    folder = tmp_path_factory.mktemp("browser") / "mara-okafor"
    shutil.copytree(ROOT / "persona_data" / "mara-okafor", folder, ignore=shutil.ignore_patterns(".avatar", "posts"))
    persona = load_persona(folder)
    emb = HashEmbedder()
    store = PersonaStore(make_client(ephemeral=True), f"{persona.id}-{uuid.uuid4().hex[:6]}", emb)
    av = Avatar(persona, embedder=emb, store=store,
                backend=ScriptedBackend([["Start with three full-body sessions a week. ",
                                          "Form first, then load!"]]))
    app = create_server(av, api_token="browser-test-token-123456", studio_password=PASSWORD)
    with serve_in_background(app) as base:
        yield base, av


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--headless", "--disable-gpu", "--disable-dev-shm-usage",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-default-apps"])
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A page that may only reach 127.0.0.1; anything else is blocked and recorded."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.external = []

    def route(r):
        host = urlparse(r.request.url).hostname
        if r.request.url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost"):
            return r.continue_()
        pg.external.append(r.request.url)
        return r.abort()
    pg.route("**/*", route)
    yield pg
    context.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def test_fan_sees_a_labelled_reply_and_verifies_it(server, page):
    base, av = server
    page.goto(base + "/")
    page.get_by_text("Chat with Mara Okafor's AI avatar").wait_for(timeout=30_000)
    page.locator("#fan-message textarea").fill("Where should a total beginner start?")
    page.locator("#fan-send").click()
    chat = page.locator("#fan-chat")
    chat.get_by_text("Form first, then load!").wait_for(timeout=30_000)
    text = chat.inner_text()
    assert LABEL in text                              # the visible label, above the body
    assert text.index(LABEL) < text.index("Start with three full-body sessions")
    assert chat.locator("code", has_text="AI").count() >= 1     # the AI badge by the name
    assert "Where should a total beginner start?" in text
    page.get_by_text("Verify this reply").click()
    page.locator("#fan-verify").click()
    page.locator("#fan-verdict").get_by_text("valid").first.wait_for(timeout=15_000)
    verdict = page.locator("#fan-verdict").inner_text()
    assert "valid" in verdict and "invalid" not in verdict and "@mara.lifts" in verdict
    shot(page, "fan_chat.png")

    page.get_by_label("Live chat").check()                # the channel switch reaches the record
    page.locator("#fan-message textarea").fill("quick one: rest days?")
    page.locator("#fan-send").click()
    sync_api.expect(chat.get_by_text("Form first, then load!")).to_have_count(2, timeout=30_000)
    for _ in range(30):                 # the signed reply lands just after the last piece
        page.locator("#fan-verify").click()
        page.wait_for_timeout(500)
        if LIVE_RECORD.search(page.locator("#fan-verify-panel").text_content()):
            break
    assert LIVE_RECORD.search(page.locator("#fan-verify-panel").text_content())
    assert "valid" in page.locator("#fan-verdict").inner_text()
    assert av.audit.verify().ok and av.audit.verify().entries == 2
    assert not page.external, page.external


def test_creator_logs_in_uploads_an_export_and_sees_the_profile(server, page):
    base, av = server
    page.goto(base + "/studio/")
    page.get_by_label("username").fill("creator")
    page.get_by_label("password").fill("not-the-password")
    page.get_by_role("button", name="Login").click()
    page.get_by_text("Incorrect Credentials").wait_for(timeout=15_000)
    page.get_by_label("username").fill("creator")
    page.get_by_label("password").fill(PASSWORD)
    page.get_by_role("button", name="Login").click()
    page.get_by_text("Creator studio · Mara Okafor").wait_for(timeout=30_000)

    export = ROOT / "persona_data" / "mara-okafor" / "posts" / "posts.jsonl"
    page.locator("#import-files input[type=file]").set_input_files(str(export))
    page.locator("#import-files").get_by_text("posts.jsonl").first.wait_for(timeout=15_000)
    page.locator("#import-run").click()
    summary = page.locator("#import-summary")
    summary.get_by_text("added").wait_for(timeout=120_000)
    n_lines = sum(1 for line in export.read_text(encoding="utf-8").splitlines() if line.strip())
    assert f"read {n_lines}, added {n_lines}" in summary.inner_text()
    assert av.store.count() == n_lines

    page.get_by_role("tab", name="Style profile").click()
    page.locator("#profile-refresh").click()
    profile = page.locator("#profile-text textarea")
    sync_api.expect(profile).to_have_value(re.compile(rf"Style profile from {n_lines} posts"), timeout=30_000)
    page.wait_for_timeout(3000)          # let the two charts finish drawing for the screenshot
    shot(page, "creator_studio.png")
    assert not page.external, page.external


def test_studio_pages_need_the_login(server):
    import httpx
    base, _ = server
    r = httpx.get(base + "/studio/config")
    assert r.status_code == 401
