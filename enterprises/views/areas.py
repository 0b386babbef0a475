"""The base of every area (viewflow Application) of the site."""

from viewflow.urls import Application


class RoleApplication(Application):
    """An area of the site shown to the roles holding ``permission``.

    Anonymous visitors pass through to the views, which send them to the login page
    instead of answering 403.
    """

    permission = None
    menu_template_name = "tidu/app_menu.html"
    # (url name inside this area, query string, label, material icon, queue count to show or None)
    menu_links: list[tuple] = []

    def has_view_permission(self, user, obj=None):
        if not user.is_authenticated:
            return True
        return self.permission is None or user.has_perm(self.permission)

    def menu_link_allowed(self, name: str, user) -> bool:
        """Whether the menu offers ``user`` the link to ``name`` (a page the user's role cannot use is not offered)."""
        return True
