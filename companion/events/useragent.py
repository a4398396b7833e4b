"""A short browser and system summary of a user agent (ua-parser), for the security history."""

from __future__ import annotations

import re
from functools import lru_cache

from ua_parser import parse

_PRODUCT = re.compile(r"[A-Za-z][\w.+-]{0,30}(?:/[\w.+-]{1,20})?")


@lru_cache(maxsize=4096)
def summary(user_agent: str | None) -> tuple[str, str]:
    """(client, system): ``("Firefox 128", "Windows")``, ``("twine 7.0.0", "")``, ``("", "")``."""
    if not user_agent:
        return "", ""
    result = parse(user_agent[:300])
    client = result.user_agent
    system = result.os.family if result.os and result.os.family != "Other" else ""
    if client and client.family != "Other":
        return " ".join(filter(None, (client.family, client.major))), system
    product = _PRODUCT.match(user_agent)  # "twine/7.0.0 CPython/3.11": its first product token
    return (product.group().replace("/", " ") if product else ""), system
