"""Stand-ins for what ``config.include("i18n_tool.pyramid")`` will provide.

``base.html`` reads ``request.locale_tag`` (BCP 47, for ``<html lang>``) and ``request.locale_dir``
(``ltr``/``rtl``). Until the i18n include exists, every page is English, left to right. When it
lands, it replaces this module: delete this file and include ``i18n_tool.pyramid`` in its place in
``companion.configure``.
"""


def includeme(config) -> None:
    config.add_request_method(lambda request: "en", "locale_tag", reify=True)
    config.add_request_method(lambda request: "ltr", "locale_dir", reify=True)
