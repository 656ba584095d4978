from pathlib import Path
BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "x"
DEBUG = False
MEDIA_ROOT = BASE_DIR / "media"
STATIC_ROOT = "/app/static"
LOGGING = {"version": 1, "handlers": {"console": {"class": "logging.StreamHandler"}}}
DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "app"}}
