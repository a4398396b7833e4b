"""API tokens: macaroons scoped to a user or to projects, their pages, and the upload API's check."""


def includeme(config) -> None:
    config.scan(".views")
