"""Model fields shared by the apps."""

from __future__ import annotations

from django.core.validators import URLValidator
from django.db import models

# Only web links: a source or article address is opened by people in a browser.
web_url = URLValidator(
    schemes=["http", "https"], message="Enter a web address starting with http:// or https://."
)


class WebURLField(models.URLField):
    """An http(s) URL; its form assumes https:// when the scheme is left out."""

    default_validators = [web_url]

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})
