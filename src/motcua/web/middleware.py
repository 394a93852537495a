"""The UI language: Vietnamese unless the visitor chose another (SPEC §5)."""

from django.conf import settings
from django.utils import translation


class LanguageMiddleware:
    """Vietnamese by default, whatever the browser asks for; a visitor who picks English on
    a page keeps it (the language cookie set by Django's ``set_language`` view)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if code not in dict(settings.LANGUAGES):
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = code
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", code)
        return response
