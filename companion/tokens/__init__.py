"""API tokens: macaroons with caveats (models, caveats, services), operators' commands, leak reports."""


def includeme(config) -> None:
    config.include("companion.tokens.leaks")
    config.scan(".leak_views")
