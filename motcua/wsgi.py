"""The WSGI application gunicorn serves (`scripts/run-prod.sh`)."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
application = get_wsgi_application()
# Every view module and API schema imported now rather than at the first request, then set aside from
# the cyclic garbage collector: these objects live as long as the process, and walking them at each full
# collection paused a request for about 100 ms every 1,500 receptions (gc.freeze: they stay in memory).
get_resolver().url_patterns  # noqa: B018 - loads the URL configuration
gc.freeze()
