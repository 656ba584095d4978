import os
MEDIA_DIR = "/srv/media"
os.makedirs(MEDIA_DIR, exist_ok=True)
