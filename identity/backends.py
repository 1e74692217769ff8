"""The administrator's switch for username-and-password sign-in (PASSWORD_SIGN_IN)."""

from django.conf import settings
from django.core.exceptions import PermissionDenied


class PasswordSignInSwitch:
    """With PASSWORD_SIGN_IN off, refuses every password sign-in: the portals' form, the
    admin's, the API's session login and its token endpoint all authenticate through the
    backends, and PermissionDenied here stops the ones after it. On, it steps aside. It has
    no `get_user`: it never signs anyone in, so no session names it (and `force_login` skips
    it for the backend that does)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if password is not None and not settings.PASSWORD_SIGN_IN:
            raise PermissionDenied
        return None
