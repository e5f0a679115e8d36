"""The storefront's HTML, read as a browser and an assistive technology read it:
balanced elements, unique ids, one h1, landmarks, a skip link, alt text on every
photo, a label for every field. (axe-core checks the rendered pages too:
tests/browser/test_storefront.py.)"""

from html.parser import HTMLParser

import pytest

from tests.factories.catalog import content_page

VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
    "source", "track", "wbr",
}  # fmt: skip
# Elements whose end tag HTML lets a page leave out.
OPTIONAL_END = {"li", "dt", "dd", "p", "option", "tr", "td", "th", "thead", "tbody"}


class Markup(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.problems: list[str] = []
        self.ids: list[str] = []
        self.labels_for: list[str] = []
        self.fields: list[dict] = []
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if "id" in attributes:
            self.ids.append(attributes["id"])
        if tag == "label" and "for" in attributes:
            self.labels_for.append(attributes["for"])
        if tag in {"input", "select", "textarea"}:
            self.fields.append({**attributes, "_inside_label": "label" in self.open})
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.open.pop()

    def handle_endtag(self, tag):
        while self.open and self.open[-1] != tag and self.open[-1] in OPTIONAL_END:
            self.open.pop()
        if not self.open or self.open[-1] != tag:
            self.problems.append(
                f"</{tag}> closes <{self.open[-1] if self.open else ''}>"
            )
            return
        self.open.pop()

    def count(self, tag, **attributes) -> int:
        return sum(
            1
            for name, found in self.tags
            if name == tag and all(found.get(k) == v for k, v in attributes.items())
        )


def read(response) -> Markup:
    markup = Markup()
    markup.feed(response.content.decode())
    markup.close()
    return markup


PAGES = [
    "/",
    "/catalog/",
    "/catalog/?metal=gold&max=abc",
    "/catalog/R1/",
    "/catalog/R1/reserve/",
    "/catalog/S1/",
    "/about/",
    "/no-such-page/",
]


@pytest.fixture
def site(stock):
    content_page(stock, "About us", slug="about", body=[("text", "<p>Since 1962.</p>")])
    return stock


@pytest.mark.parametrize("path", PAGES)
def test_each_page_is_well_formed_and_accessible(get, site, path):
    response = get(path)
    page = read(response)

    assert response.content.startswith(b"<!DOCTYPE html>")
    assert page.problems == []
    assert [tag for tag in page.open if tag not in OPTIONAL_END] == []
    assert len(page.ids) == len(set(page.ids)), "ids are unique"
    assert page.count("h1") == 1
    assert page.count("html", lang="en") == 1
    for landmark in ("header", "nav", "main", "footer"):
        assert page.count(landmark) >= 1, landmark
    assert page.count("a", href="#main") == 1, "the skip link"
    for tag, attributes in page.tags:
        if tag == "img":
            assert "alt" in attributes, attributes
    for field in page.fields:
        if field.get("type") in {"hidden", "submit"}:
            continue
        labelled = (
            field.get("id") in page.labels_for
            or field["_inside_label"]
            or "aria-label" in field
        )
        assert labelled, field
