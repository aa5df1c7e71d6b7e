from __future__ import annotations

from datetime import date

import pytest

from articles import extract as extract_module
from articles.extract import MAX_IMPORT_BYTES, Extracted, ExtractionError, extract, kind_of

PAGE = b"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Five convoys attacked near Kherson | Example News</title>
<meta name="author" content="Jane Example">
<meta property="article:published_time" content="2026-01-22T10:00:00Z">
<script>var x = "<p>not text</p>";</script><style>p { color: red }</style></head>
<body><header><nav><a href="/">Home</a> <a href="/world">World</a></nav></header>
<main><article><h1>Five convoys attacked near Kherson</h1>
<p>KYIV, Jan. 22 (Example) \xe2\x80\x94 Five convoys came under attack on the road to Kherson on
Tuesday, the regional governor said. Three contractors were allegedly injured.</p>
<p>Group X claimed responsibility in a statement, according to the army.</p>
<p>\xe2\x80\x9cWe will not leave. This is our home,\xe2\x80\x9d said Olena, 54 &amp; a teacher.</p>
</article></main>
<aside>Most read: Ten things you missed</aside>
<footer>\xc2\xa9 2026 Example News. All rights reserved. Cookie policy.</footer></body></html>"""


def test_html_keeps_the_article_and_its_paragraphs_and_drops_the_page_around_it():
    found = extract(PAGE, "html")
    paragraphs = found.body.split("\n\n")
    assert len(paragraphs) == 3
    assert paragraphs[0].startswith("KYIV, Jan. 22 (Example) — Five convoys")
    assert "said Olena, 54 & a teacher." in paragraphs[2]
    for chrome in ("Home", "Most read", "Cookie policy", "not text", "color: red"):
        assert chrome not in found.body
    assert found.title == "Five convoys attacked near Kherson"
    assert found.byline == "Jane Example"
    assert found.published_on == date(2026, 1, 22)


def test_markdown_becomes_plain_paragraphs_and_its_first_heading_the_title():
    text = (
        b"# Convoys attacked\n\nFive convoys came under **attack**, the [governor](https://x.example)"
        b" said.\nThree contractors were injured.\n\n- One list item\n\n![a photo](x.jpg)\n"
    )
    found = extract(text, "markdown")
    assert found.title == "Convoys attacked"
    assert found.body == (
        "Five convoys came under attack, the governor said. Three contractors were injured."
        "\n\nOne list item"
    )


def test_plain_text_is_normalised_once():
    found = extract("Cafe\u0301 owners said.\r\n\r\nSecond paragraph.\r\n".encode(), "text")
    assert found.body == "Café owners said.\n\nSecond paragraph."


def test_latin_1_text_is_read_by_its_encoding():
    text = "Le café a fermé ses portes après trois décennies, a déclaré le maire."
    assert extract(text.encode("cp1252"), "text").body == text


def test_utf16_with_a_byte_order_mark_is_text():
    assert extract("Five convoys.".encode("utf-16"), "text").body == "Five convoys."


@pytest.mark.parametrize(
    ("data", "kind", "message"),
    [
        (b"", "text", "empty"),
        (b"  \n\n ", "text", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "text", "binary"),
        (bytes(range(1, 32)) * 20, "text", "binary"),
        (
            b"<html><head><title>T</title><script>x()</script></head><body></body></html>",
            "html",
            "No article text",
        ),
        (b"# Only a heading\n", "markdown", "No article text"),
        (b"x" * (MAX_IMPORT_BYTES + 1), "text", "limit is 2 MB"),
    ],
)
def test_bad_documents_are_refused_with_a_reason(data, kind, message):
    with pytest.raises(ExtractionError, match=message):
        extract(data, kind)


@pytest.mark.parametrize(
    ("name", "kind"), [("a.TXT", "text"), ("b.md", "markdown"), ("c.htm", "html")]
)
def test_the_kind_comes_from_the_extension(name, kind):
    assert kind_of(name) == kind


def test_other_extensions_are_refused_by_name():
    with pytest.raises(ExtractionError, match=r"“report\.pdf” is not a file Newsdesk can import"):
        kind_of("/tmp/report.pdf")


def test_a_broken_utf16_file_is_refused_not_a_crash():
    with pytest.raises(ExtractionError, match="says it is UTF-16"):
        extract(b"\xff\xfeH\x00i\x00!", "text")


def test_a_jpeg_named_html_is_binary():
    with pytest.raises(ExtractionError, match="binary"):
        extract(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + b"\x00" * 100, "html")


@pytest.mark.parametrize(
    "text",
    [
        "Zürich: Die Polizei hat am Montag drei Männer festgenommen, sagte ein Sprecher.",
        "Le café coûte trois euros à Paris, a déclaré le maire.",
    ],
)
def test_western_legacy_text_is_read_as_windows_1252_and_says_so(text):
    found = extract(text.encode("latin-1"), "text")
    assert found.body == text
    assert found.encoding == "Windows-1252"


def test_cyrillic_legacy_text_keeps_its_own_encoding():
    text = "Министерство заявило, что пять колонн подверглись нападению во вторник утром."
    found = extract(text.encode("cp1251"), "text")
    assert found.body == text


def test_markdown_drops_scripts_and_styles_and_reads_tables_row_by_row():
    text = (
        "Deaths rose, officials said.\n\n<style>.ad { display: none }</style>\n\n"
        "<script>window.dataLayer = [];</script>\n\n"
        "| Year | Deaths |\n|------|--------|\n| 2024 | 12 |\n| 2025 | 19 |\n"
    )
    found = extract(text.encode(), "markdown")
    assert found.body == "Deaths rose, officials said.\n\nYear | Deaths\n\n2024 | 12\n\n2025 | 19"


def test_the_language_of_a_web_page_is_read_from_its_html_tag():
    page = PAGE.replace(b'<html lang="en">', b'<html lang="fr-CA">')
    assert extract(page, "html").language == "fr-CA"


def test_details_from_a_document_are_cut_to_fit_and_odd_links_dropped():
    found = extract(PAGE, "html")
    long = found.__class__(body="x", title="T" * 500, url="https://x.example/" + "a" * 3000)
    details = long.details({"title": "", "url": "", "outlet": "Typed"})
    assert len(details["title"]) == 300
    assert details["url"] == ""
    assert details["outlet"] == "Typed"
    assert details["language"] == "en"


@pytest.mark.parametrize(
    ("said", "stored"), [("en-GB", "en-GB"), ("en_US", "en"), ("x" * 20, "en"), ("", "en")]
)
def test_a_documents_language_fills_an_empty_box_when_it_is_a_language_tag(said, stored):
    found = Extracted(body="Words.", language=said)
    assert found.details({"language": ""})["language"] == stored
    assert found.details({"language": "fr"})["language"] == "fr"


def test_a_block_too_long_to_parse_is_reduced_to_its_words(monkeypatch):
    monkeypatch.setattr("articles.extract.INLINE_PARSED", 20)
    text = (
        "Officials *said* [five convoys](https://example.org/a) were hit "
        "![a photo](p.jpg) near <b>Karsk</b>, \\*not\\* [Pemba][ref].\n\n"
        "[ref]: https://example.org/b\n"
    )
    assert extract(text, "markdown").body == (
        "Officials said five convoys were hit near Karsk, *not* Pemba."
    )


def test_runs_of_markdown_marks_become_text_or_nothing_not_an_error():
    assert extract("[" * 50_000, "markdown").body == "[" * 50_000
    assert extract("_a_ " * 20_000, "markdown").body == " ".join(["a"] * 20_000)


def test_a_document_of_very_many_lines_is_read_in_one_pass_with_the_same_words(monkeypatch):
    # The parser reads "[\n" lines as one paragraph; so does the one-pass reader, which
    # takes over beyond MARKDOWN_PARSED_LINES (1,000,000 such lines took the parser 45 s).
    text = "[\n" * 300
    parsed = extract(text, "markdown").body
    monkeypatch.setattr(extract_module, "MARKDOWN_PARSED_LINES", 100)
    assert extract(text, "markdown").body == parsed == " ".join(["["] * 300)


def test_the_one_pass_reader_keeps_the_title_paragraphs_and_words(monkeypatch):
    monkeypatch.setattr(extract_module, "MARKDOWN_PARSED_LINE", 10)
    text = (
        "# Convoys attacked\n\nFive convoys came under **attack**, the "
        "[governor](https://x.example) said.\nThree contractors were injured.\n\n"
        "- One list item\n> A quote\n\n```\ncode\n```\n\n| Year | Deaths |\n|---|---|\n"
    )
    found = extract(text, "markdown")
    assert found.title == "Convoys attacked"
    assert found.body == (
        "Five convoys came under attack, the governor said. Three contractors were injured."
        "\n\nOne list item A quote\n\ncode\n\nYear Deaths"
    )


def test_a_line_too_long_for_the_parser_is_read_in_one_pass(monkeypatch):
    # One line of "- - - …" made the parser read it once per level of nesting (8 s at 2 MB).
    monkeypatch.setattr(extract_module, "MARKDOWN_PARSED_LINE", 100)
    assert extract("- " * 200 + "convoys", "markdown").body == " ".join(["-"] * 199 + ["convoys"])


def test_a_page_of_too_many_tags_is_read_by_lxml_alone_keeping_its_paragraphs(monkeypatch):
    # trafilatura took 48 s over 2 MB of unclosed <p>; past HTML_PARSED_TAGS the page's
    # words are kept paragraph by paragraph, page chrome included, code left out.
    monkeypatch.setattr(extract_module, "HTML_PARSED_TAGS", 5)
    found = extract(PAGE, "html")
    paragraphs = found.body.split("\n\n")
    assert paragraphs[2].startswith("KYIV, Jan. 22 (Example) — Five convoys")
    assert "said Olena, 54 & a teacher." in paragraphs[4]
    assert "not text" not in found.body
    assert "color: red" not in found.body
    assert found.title == "Five convoys attacked near Kherson | Example News"
    assert extract(b"<p>x" * 10, "html").body == "\n\n".join(["x"] * 10)
