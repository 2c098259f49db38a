"""Every page the navigation and the footer link to, logged out and logged in, passes axe.

The list comes from the rendered navigation, so a page that someone adds to the menu is checked
here before its own journey exists. The Django admin is left out: the accessibility statement
names it as not assessed.
"""

from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page

from .conftest import assert_page_basics, axe_check, logout, sign_in

pytestmark = pytest.mark.browser

# Nobody and the strategy office (who sees every menu entry) walk the whole menu; a city
# coordinator only their home page, whose content is theirs (their pages have a journey).
SWEEP_AS = {None: "menu", "toimisto": "menu", "koordinaattori-helsinki": "home"}
NOT_SWEPT = ("/admin/", "/accounts/")


def _linked_pages(page: Page) -> list[str]:
    hrefs = page.eval_on_selector_all(
        ".site-nav a[href], .site-footer a[href], a.site-brand",
        "links => links.map(a => a.getAttribute('href'))",
    )
    paths = []
    for href in hrefs:
        url = urlparse(href)
        if url.scheme or url.netloc or href.startswith(("#", "mailto:")):
            continue
        if not url.path.startswith(NOT_SWEPT) and url.path not in paths:
            paths.append(url.path)
    return paths


def test_every_linked_page_passes_axe(page: Page, screenshot, demo_users):
    seen = {}
    for username, scope in SWEEP_AS.items():
        if username:
            sign_in(page, username)
        page.goto("/")
        paths = _linked_pages(page)
        assert "/" in paths and "/accessibility/" in paths, paths
        seen[username] = paths
        if scope == "home":
            paths = ["/"]
        for path in paths:
            response = page.goto(path)
            assert response is not None and response.status == 200, (path, username)
            assert_page_basics(page, "fi")
            axe_check(page)
            slug = path.strip("/").replace("/", "-") or "home"
            screenshot(f"{username or 'anonymous'}-{slug}")
        if username:
            logout(page)
    assert len(seen["toimisto"]) > len(seen[None]), "logging in should add pages to the menu"
