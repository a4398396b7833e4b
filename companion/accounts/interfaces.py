from zope.interface import Interface


class IUserService(Interface):
    def get_user_by_username(username):
        """The user with this username, compared case-insensitively; None if there is none."""

    def get_user(user_id):
        """The user with this id; None if there is none."""

    def get_user_by_email(email):
        """The user with this email address, compared case-insensitively; None if there is none."""

    def create_user(username, email, password, preferred_locale=None):
        """A new user with the password hashed, added to the session and flushed."""

    def count_users():
        """How many users there are."""

    def roles_for_user(user):
        """The user's roles, each with its project, ordered by project name."""
