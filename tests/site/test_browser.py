"""Auditors' journeys in a real Chromium (Debian's /usr/bin/chromium through Playwright; no
browser is downloaded).  Screenshots go to tests/artifacts/."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from sitekit import ARTIFACTS, BASE, HOSTILE, HOSTILE_TITLE, Site

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert Path(CHROMIUM).exists(), "Chromium is missing: apt-get install chromium (scripts/apt-packages.txt)"
    # zh pages in the screenshots must show characters, not boxes
    cjk = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=True).stdout
    assert cjk.strip(), "no Chinese font: apt-get install fonts-noto-cjk (scripts/apt-packages.txt)"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    ctx = browser.new_context(locale="en-GB", java_script_enabled=False)
    pg = ctx.new_page()
    yield pg
    ctx.close()


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"site-{name}.png"), full_page=True)


def local(iri: str) -> str:
    return "/" + iri[len(BASE):]


pytestmark = pytest.mark.browser


def test_home_agency_dataset_article_and_back_to_another_violator(page: Page, served: str, site: Site) -> None:
    page.goto(served + "/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert int(page.locator("#total-datasets").inner_text()) >= 300
    assert page.locator("ul.jurisdictions li").count() >= 4
    shot(page, "home")
    # an agency: reach it through its jurisdiction
    page.click(f'ul.jurisdictions a[href="{local(site.jurisdiction)}"]')
    assert page.url.endswith(local(site.jurisdiction))
    page.goto(served + local(site.agency))
    assert page.locator("#hierarchy").is_visible()
    assert page.locator("#compliance .sev-violation").count() >= 1
    shot(page, "agency")
    # a dataset of that agency
    page.click(f'#datasets a[href="{local(site.dataset)}"]')
    assert page.url.endswith(local(site.dataset))
    assert "Legal basis" in page.locator("table.summary").inner_text()
    assert "compilation" in page.locator("#provenance").inner_text().lower()
    assert "The legal basis is not explained" in page.locator("#findings").inner_text()
    shot(page, "dataset")
    # its legal basis: the article
    page.click(f'tr.f-legal-basis a[href="{local(site.article)}"]')
    assert page.url.endswith(local(site.article))
    breaking = page.locator("#breaking")
    assert breaking.locator(f'a[href="{local(site.dataset)}"]').count() >= 1
    shot(page, "article")
    # back to another dataset breaking the same article
    breaking.locator(f'a[href="{local(site.other)}"]').first.click()
    assert page.url.endswith(local(site.other))
    assert "The legal basis is not explained" in page.locator("#findings").inner_text()
    assert page.locator("#findings a", has_text=re.compile(".+")).count() >= 1


def test_search_with_two_facets(page: Page, served: str, site: Site) -> None:
    page.goto(served + "/search")
    total = int(page.locator("#result-count strong").inner_text())
    page.locator("#facet-sharing-type li a").first.click()
    one = int(page.locator("#result-count strong").inner_text())
    assert 0 < one < total
    page.locator("#facet-jurisdiction li:not(.on) a").first.click()
    two = int(page.locator("#result-count strong").inner_text())
    assert 0 < two <= one
    assert page.locator(".facet li.on").count() == 2
    assert page.locator("li.hit").count() == min(two, 20)
    href = page.locator("#sparql-link").get_attribute("href")
    assert href.startswith("/sparql?query=")
    shot(page, "search")
    # text within the facets
    page.fill("form.search input[name=q]", "zzzz-nothing")
    page.click("form.search button")
    assert page.locator("#result-count strong").inner_text() == "0"
    assert page.locator(".facet li.on").count() == 0 or "sharing-type" in page.url


def test_dashboard_number_leads_to_its_list(page: Page, served: str, site: Site) -> None:
    page.goto(served + "/dashboard")
    assert page.locator("#trend svg circle").count() >= 2
    bar = page.locator("#by-article svg a").first
    n = int(bar.locator("text.count").text_content() or "")
    shot(page, "dashboard")
    bar.click()
    assert "/findings?" in page.url
    assert int(page.locator("#findings-count strong").inner_text()) == n
    assert page.locator("tr.finding").count() == n
    shot(page, "findings")


def test_hostile_title_shows_as_text_and_no_dialog_fires(browser: Browser, served: str, site: Site) -> None:
    ctx = browser.new_context(java_script_enabled=True)
    page = ctx.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(served + local(HOSTILE))
    assert page.locator("h1#title").inner_text() == HOSTILE_TITLE
    page.goto(served + "/search?q=script")
    assert page.get_by_text(HOSTILE_TITLE).first.is_visible()
    page.wait_for_timeout(300)
    shot(page, "hostile")
    assert dialogs == []
    ctx.close()


def test_language_switch_to_chinese_and_back(page: Page, served: str, site: Site) -> None:
    """The zh/en switch keeps the page, and the zh page shows Chinese labels (screenshot
    rendered with a CJK font, see the browser fixture)."""
    page.goto(served + local(site.agency))
    en_title = page.locator("h1").first.inner_text()
    page.click("a.lang-switch")
    assert page.locator("html").get_attribute("lang") == "zh"
    assert local(site.agency) in page.url
    zh_title = page.locator("h1").first.inner_text()
    assert zh_title != en_title
    assert re.search(r"[\u4e00-\u9fff]", zh_title), zh_title
    shot(page, "agency-zh")
    page.click("a.lang-switch")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").first.inner_text() == en_title
