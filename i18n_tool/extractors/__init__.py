"""Message extractors, usable by i18n-tool and (as ``babel.extractors`` entry points) by pybabel.

Every extractor follows Babel's protocol: ``extract(fileobj, keywords, comment_tags, options)``
yields ``(lineno, funcname, messages, comments)``.
"""

from functools import lru_cache
from importlib import import_module

BUILTIN_METHODS = {
    "python": "i18n_tool.extractors.python_source:extract",
    "jinja2": "i18n_tool.extractors.jinja_templates:extract",
    "i18n_python": "i18n_tool.extractors.python_source:extract",
    "i18n_jinja2": "i18n_tool.extractors.jinja_templates:extract",
    "javascript": "babel.messages.extract:extract_javascript",
    "ignore": None,
}


def _import(spec: str):
    module, _, attr = spec.partition(":")
    obj = import_module(module)
    for part in attr.split("."):
        obj = getattr(obj, part)
    return obj


@lru_cache(maxsize=1)
def _entry_point_methods() -> dict[str, str]:
    from importlib.metadata import entry_points  # slow to import: only for names not built in

    return {ep.name: ep.value for ep in entry_points(group="babel.extractors")}


def method_names() -> list[str]:
    """Every method name a mapping may use (``module:function`` specs aside)."""
    return sorted(set(BUILTIN_METHODS) | set(_entry_point_methods()))


def method_spec(name: str) -> str | None:
    """The ``module:function`` that implements ``name`` (None for ``ignore``).

    Raises LookupError for a name that is neither built in, registered, nor a spec.
    """
    if name in BUILTIN_METHODS:
        return BUILTIN_METHODS[name]
    if ":" in name:
        return name
    registered = _entry_point_methods()
    if name in registered:
        return registered[name]
    raise LookupError(name)


def resolve(name: str):
    """The extractor callable for a method name, or None for ``ignore``.

    Raises LookupError when the name is unknown and ImportError when it cannot be imported.
    """
    spec = method_spec(name)
    if spec is None:
        return None
    try:
        return _import(spec)
    except AttributeError as exc:
        raise ImportError(f"{spec}: {exc}") from exc
