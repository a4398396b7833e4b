from pyramid.httpexceptions import HTTPMovedPermanently, HTTPNotFound
from pyramid.view import view_config

from companion.accounts.interfaces import IUserService


@view_config(route_name="accounts.profile", renderer="accounts/profile.html", request_method=("GET", "HEAD"))
def profile(request):
    users = request.find_service(IUserService)
    user = users.get_user_by_username(request.matchdict["username"])
    if user is None:
        raise HTTPNotFound()
    if user.username != request.matchdict["username"]:
        raise HTTPMovedPermanently(request.route_path("accounts.profile", username=user.username))
    return {"user": user, "roles": users.roles_for_user(user)}
