"""The test helper that reads a form as a browser would send it back."""

from __future__ import annotations

from tests.html_forms import submitted

FORM = """<form id="f">
<input type="hidden" name="csrf" value="t">
<input type="date" name="ok" value="2021-01-23"><input type="date" name="gb" value="23/01/2021">
<input type="url" name="link" value="  https://a.example/  ">
<input name="title" value="Bridge&#10;closed"><input type="number" name="n" value="1,5">
<textarea name="body">
first line
second</textarea>
<select name="who"><option value="1">Rui</option><option value="none">Nobody</option></select>
<select name="left"><option value="1">Rui</option><option selected disabled>Sam</option></select>
<select name="tags" multiple>
<option selected>a</option><option>b</option><option selected>c</option></select>
<input type="checkbox" name="on" checked><input type="checkbox" name="off" value="1">
<input name="gone" value="x" disabled><fieldset disabled><input name="gone2" value="y"></fieldset>
<input type="submit" name="_save" value="Save"><button name="_other" value="1">Other</button>
</form>"""


def test_a_form_is_sent_back_as_a_browser_would():
    assert submitted(FORM, button="_save") == {
        "csrf": ["t"],
        "ok": ["2021-01-23"],
        "gb": [""],  # a date picker cannot hold it
        "link": ["https://a.example/"],
        "title": ["Bridgeclosed"],
        "n": [""],
        "body": ["first line\r\nsecond"],
        "who": ["1"],  # nothing selected: the first option
        "tags": ["a", "c"],
        "on": ["on"],
        "_save": ["Save"],
    }


def test_only_the_pressed_button_is_sent():
    sent = submitted(FORM, button="_other")
    assert sent["_other"] == ["1"]
    assert "_save" not in sent
