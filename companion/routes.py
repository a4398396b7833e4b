"""Every URL of the app, in one place (as Warehouse keeps them)."""


def includeme(config) -> None:
    config.add_route("index", "/")
    config.add_route("search", "/search/")
    config.add_route("help", "/help/")
    config.add_route("packaging.projects", "/projects/")
    config.add_route("packaging.project", "/project/{name}/")
    config.add_route("accounts.profile", "/user/{username}/")
    config.add_route("accounts.login", "/account/login/")
    config.add_route("accounts.logout", "/account/logout/")
    config.add_route("accounts.register", "/account/register/")
    config.add_route("accounts.settings", "/account/")
    config.add_route("accounts.verify_email", "/account/verify-email/{token}/")
    config.add_route("accounts.reset_password_request", "/account/reset-password/")
    config.add_route("accounts.reset_password", "/account/reset-password/{token}/")
    config.add_route("events.account_history", "/account/history/")
    config.add_route("events.project_history", "/project/{name}/history/")
    config.add_route("events.admin", "/admin/events/")
    config.add_route("events.admin_export", "/admin/events/export.{format:csv|json}")
