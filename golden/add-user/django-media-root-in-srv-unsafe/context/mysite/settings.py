from pathlib import Path
BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = "x"
DEBUG = False
MEDIA_ROOT = "/srv/media"
MEDIA_URL = "/media/"
