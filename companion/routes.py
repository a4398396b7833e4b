"""Every URL of the app, in one place (as Warehouse keeps them)."""


def includeme(config) -> None:
    config.add_route("index", "/")
    config.add_route("search", "/search/")
    config.add_route("help", "/help/")
    config.add_route("packaging.projects", "/projects/")
    config.add_route("packaging.project", "/project/{name}/")
    config.add_route("accounts.profile", "/user/{username}/")
