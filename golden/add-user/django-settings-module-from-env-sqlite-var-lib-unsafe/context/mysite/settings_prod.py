from .settings import *
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "/var/lib/mysite/db.sqlite3"}}
