from django.conf import settings
from django.utils import translation


class UserLanguageMiddleware:
    """A signed-in person's saved language (`User.language`) wins over the language cookie
    and the browser's Accept-Language, so it follows them from device to device."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = user.language
            if language in self.languages and language != translation.get_language():
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)
