from zope.interface import Interface


class IUserService(Interface):
    def get_user_by_username(username):
        """The user with this username, compared case-insensitively; None if there is none."""

    def count_users():
        """How many users there are."""

    def roles_for_user(user):
        """The user's roles, each with its project, ordered by project name."""
