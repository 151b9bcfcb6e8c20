import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gvalley.settings")
application = get_wsgi_application()

if os.environ.get("GVALLEY_WARM_TEXT", "1") == "1":
    # Load the Korean morphological analyser once per process (with gunicorn --preload, once for all
    # workers) so that the first search does not pay for it.
    from gvalley.engines.text import get_kiwi

    get_kiwi()
